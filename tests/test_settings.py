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


def compose():
    import yaml

    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]


def test_docker_compose_runs_postgres_redis_a_migrating_admin_and_a_public_process():
    services = compose()
    assert set(services) == {"db", "redis", "admin", "public"}
    db, redis, admin, public = (services[name] for name in ("db", "redis", "admin", "public"))
    assert db["image"].startswith("postgres:")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert redis["image"].startswith("redis:") and "ping" in redis["healthcheck"]["test"]
    # The admin migrates, makes the public processes' read-only role, then serves; the
    # public process runs gunicorn alone, once the admin has done so.
    admin_command = " ".join(admin["command"])
    assert admin_command.index("migrate") < admin_command.index("public_role tracker_public")
    assert admin_command.index("public_role") < admin_command.index("gunicorn")
    assert public["command"][0] == "gunicorn" and "migrate" not in " ".join(public["command"])
    assert admin["depends_on"]["db"]["condition"] == "service_healthy"
    assert {name: dep["condition"] for name, dep in public["depends_on"].items()} == {
        "db": "service_healthy",
        "redis": "service_healthy",
        "admin": "service_healthy",
    }
    # The admin connects as the owner; the public process as the role that may read the
    # published edition and nothing else.
    assert admin["environment"]["DATABASE_URL"].startswith("postgres://tracker:")
    assert public["environment"]["DATABASE_URL"].startswith("postgres://tracker_public:")
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    assert "python manage.py migrate --no-input && exec gunicorn tracker.wsgi" in dockerfile
    assert "createcachetable" not in dockerfile


def test_only_the_public_process_is_public_only_and_shares_the_redis_cache():
    services = compose()
    public, admin = services["public"]["environment"], services["admin"]["environment"]
    assert public["TRACKER_PUBLIC_ONLY"] == "1" and "TRACKER_PUBLIC_ONLY" not in admin
    assert public["REDIS_URL"] == "redis://redis:6379/0"
    # The admin never reads a cache a public process writes (Django's cache holds pickles).
    assert "REDIS_URL" not in admin
    assert "/admin/login/" in " ".join(services["admin"]["healthcheck"]["test"])
    assert "/admin/" not in " ".join(services["public"]["healthcheck"]["test"])


def test_docker_compose_holds_no_secret_and_gives_each_process_its_own_key():
    services = compose()
    public, admin = services["public"]["environment"], services["admin"]["environment"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert admin["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")  # required
    assert public["DJANGO_SECRET_KEY"].startswith("${DJANGO_PUBLIC_SECRET_KEY:?")


def test_docker_compose_publishes_the_apps_on_loopback_only():
    """Reachable from the world only through a TLS proxy on the host, never directly:
    the public process on the published port, the admin on its own."""
    import yaml

    whole = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = whole["services"]
    assert services["public"]["ports"] == ["127.0.0.1:8000:8000"]
    assert services["admin"]["ports"] == ["127.0.0.1:8001:8000"]
    assert not services["db"].get("ports") and not services["redis"].get("ports")
    for name in ("public", "admin"):
        assert services[name]["environment"]["DJANGO_NUM_PROXIES"] == "${DJANGO_NUM_PROXIES:-0}"
    # Redis is on a network of its own, without a route out, that only the public joins.
    assert services["redis"]["networks"] == ["cache"] and whole["networks"]["cache"]["internal"]
    joined = {name for name, service in services.items() if "cache" in service["networks"]}
    assert joined == {"redis", "public"}
