# Production image: gunicorn behind a TLS-terminating proxy, PostgreSQL via DATABASE_URL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# collectstatic needs settings to import; this key exists only in this build step.
RUN DJANGO_SECRET_KEY=collectstatic-only-build-key python manage.py collectstatic --no-input \
    && useradd --system --uid 10001 --home-dir /app tracker

USER tracker
EXPOSE 8000

# The admin process (or a single one): migrate on start (idempotent), then serve:
# gunicorn.conf.py sets the workers and timeouts (WEB_CONCURRENCY, GUNICORN_TIMEOUT, …).
# A public-only process (TRACKER_PUBLIC_ONLY=1) runs gunicorn alone and never migrates:
# docker-compose.yml's `public` service gives that command.
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn tracker.wsgi:application -c gunicorn.conf.py --bind 0.0.0.0:8000"]
