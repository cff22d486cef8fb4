"""Settings come from the environment, and nothing insecure is a default."""

import os
import subprocess
import sys

from django.conf import settings

BASE = str(settings.BASE_DIR)


def load_settings(**env):
    """Import tracker.settings in a fresh interpreter with exactly this environment."""
    prefixes = ("DJANGO_", "DATABASE_", "TRACKER_", "REDIS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    code = (
        "import tracker.settings as s, json; print(json.dumps({'debug': s.DEBUG, "
        "'hosts': s.ALLOWED_HOSTS, 'engine': s.DATABASES['default']['ENGINE'], "
        "'name': str(s.DATABASES['default']['NAME']), 'ssl': s.SECURE_SSL_REDIRECT, "
        "'secure_cookie': s.SESSION_COOKIE_SECURE, 'proxy_header': s.SECURE_PROXY_SSL_HEADER, "
        "'num_proxies': s.NUM_PROXIES}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_outside_debug():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_mode_is_only_on_when_asked_for_and_uses_sqlite_by_default():
    import json

    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["debug"] is True
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"].endswith("var/tracker.sqlite3")
    assert loaded["hosts"] == ["127.0.0.1", "localhost"]


def test_production_settings_are_secure_and_read_the_database_url():
    import json

    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="tracker.example.org, api.example.org",
        DATABASE_URL="postgres://u:p@db:5432/tracker",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["debug"] is False
    assert loaded["hosts"] == ["tracker.example.org", "api.example.org"]
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["ssl"] is True and loaded["secure_cookie"] is True
    # Nothing in front of the app unless the deployment says so: X-Forwarded-Proto is the
    # client's own claim, not believed.
    assert loaded["num_proxies"] == 0 and loaded["proxy_header"] is None


def test_forwarded_headers_are_believed_only_behind_a_declared_proxy():
    import json

    result = load_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_NUM_PROXIES="1")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["num_proxies"] == 1
    assert loaded["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    result = load_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_NUM_PROXIES="-1")
    assert result.returncode != 0 and "DJANGO_NUM_PROXIES must be a whole number" in result.stderr


def test_a_malformed_boolean_is_an_error_not_a_guess():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_plain_http_must_be_asked_for_explicitly():
    import json

    result = load_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_HTTPS="false")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["ssl"] is False and loaded["secure_cookie"] is False


def test_the_database_cache_setting_is_refused_not_ignored():
    # It would otherwise fall back, silently, to limits each worker counts on its own.
    result = load_settings(DJANGO_DEBUG="1", DJANGO_CACHE="database")
    assert result.returncode != 0
    assert "DJANGO_CACHE is gone: set REDIS_URL" in result.stderr


def test_docker_compose_runs_postgres_with_a_volume_and_a_migrating_web_app():
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    db, web = compose["services"]["db"], compose["services"]["web"]
    assert db["image"].startswith("postgres:")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://tracker:")
    assert "?" in web["environment"]["DJANGO_SECRET_KEY"]  # required, no default
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    assert "python manage.py migrate --no-input && " in dockerfile
    assert "exec gunicorn tracker.wsgi" in dockerfile


def test_docker_compose_publishes_the_app_on_loopback_only():
    """Reachable from the world only through a TLS proxy on the host, never directly."""
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    assert web["ports"] and all(str(p).startswith("127.0.0.1:") for p in web["ports"])
    assert "db" not in compose["services"] or not compose["services"]["db"].get("ports")
    assert web["environment"]["DJANGO_NUM_PROXIES"] == "${DJANGO_NUM_PROXIES:-0}"
