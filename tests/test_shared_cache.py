"""
The shared cache: with REDIS_URL set, the rate limits count in Redis, so that every
worker process of every server (the public processes of docker-compose.yml) counts the
same client once; an unreachable Redis is a 503, not a 500 and not a hang. Against a real
throwaway redis-server (tests/conftest.py).
"""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from tracker.lib import errors, throttling

LIST = "/api/v1/facilities/"
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def redis_cache(redis_server):
    """The default cache in Redis, as settings.py makes it when REDIS_URL is set; empty."""
    config = {"default": {"BACKEND": REDIS, "LOCATION": redis_server}}
    with override_settings(CACHES=config):
        caches["default"].clear()
        yield
        caches["default"].clear()


def worker_cache():
    """What one gunicorn worker of one server has: its own client, its own connections."""
    return caches.create_connection("default")


def test_settings_use_redis_when_redis_url_is_set_and_need_no_table():
    code = "import tracker.settings as s, json; print(json.dumps(s.CACHES['default']))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}

    def cache_of(**env):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env={**clean, "DJANGO_DEBUG": "1", **env},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    shared = cache_of(REDIS_URL="redis://cache.internal:6379/0")
    assert shared["BACKEND"] == REDIS
    assert shared["LOCATION"] == "redis://cache.internal:6379/0"
    assert cache_of()["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_two_processes_count_one_client_once(redis_cache):
    first, second = worker_cache(), worker_cache()
    assert first is not second and first._cache is not second._cache
    limit = throttling.Limit("api", requests=3, period=60)
    assert throttling.hit(limit, "192.0.2.1", cache=first) is None
    assert throttling.hit(limit, "192.0.2.1", cache=second) is None
    assert throttling.count(limit, "192.0.2.1", cache=first) == 2
    assert throttling.hit(limit, "192.0.2.1", cache=first) is None
    wait = throttling.hit(limit, "192.0.2.1", cache=second)
    assert wait is not None and 0 < wait <= 60
    assert throttling.count(limit, "192.0.2.2", cache=second) == 0
    assert throttling.hit(limit, "192.0.2.2", cache=first) is None  # another client


# One worker process: Django's settings with REDIS_URL, then requests of one client as fast
# as it can from a given moment on; prints how many went ahead.
WORKER = """
import os, sys, time
import django
django.setup()
from tracker.lib import throttling
limit = throttling.Limit("api", requests=int(sys.argv[2]), period=60)
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
print(sum(throttling.hit(limit, "192.0.2.9") is None for _ in range(int(sys.argv[3]))))
"""


def test_concurrent_requests_in_two_processes_are_none_of_them_lost(redis_server):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env = clean | {
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DJANGO_DEBUG": "1",
        "REDIS_URL": redis_server,
    }
    begin = str(time.time() + 4)  # both started and set up by then
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, begin, "150", "200"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [worker.communicate(timeout=60) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), results
    # 400 requests at once against a limit of 150: exactly 150 went ahead, whichever
    # process took them.
    assert sum(int(out) for out, _err in results) == 150


@override_settings(API_ANON_RATE="3/minute")
def test_the_middleware_counts_in_redis(client, db, redis_cache):
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    another_server = worker_cache()
    assert throttling.count(throttling.limit_for(LIST), "127.0.0.1", cache=another_server) == 3
    limited = client.get(LIST)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_an_unreachable_redis_is_a_503_with_retry_after(client, db):
    client.raise_request_exception = False  # answer as the server would
    nobody = "redis://127.0.0.1:1/0"  # a port no redis-server listens on
    options = {"socket_connect_timeout": 2, "socket_timeout": 2}
    config = {"default": {"BACKEND": REDIS, "LOCATION": nobody, "OPTIONS": options}}
    with override_settings(CACHES=config, API_ANON_RATE="100/minute"):
        limited = client.get(LIST)  # the rate limit cannot count
    with override_settings(CACHES=config):
        stats = client.get("/api/v1/stats/")  # the statistics cannot be cached
    for response in (limited, stats):
        assert response.status_code == 503
        assert response.json() == {"detail": errors.CACHE_UNAVAILABLE}
        assert int(response["Retry-After"]) > 0
