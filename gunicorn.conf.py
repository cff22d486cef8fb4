"""
gunicorn's settings for the production image (`gunicorn -c gunicorn.conf.py …`).

Sync workers, each serving one request at a time; put a buffering reverse proxy in front
(it also terminates TLS), so that slow clients hold the proxy, not a worker. Each worker
may spend at most GUNICORN_TIMEOUT seconds on a request, sending a streamed CSV file
included, without telling the master it is alive; a streamed download tells it as it makes
progress (``post_worker_init`` below, ``tracker.lib.keepalive``), so only a stalled one is
killed. The timeout is kept above the public side's statement time limit
(DJANGO_PUBLIC_STATEMENT_TIMEOUT_MS), so that a slow query is cancelled by the database
and answered (503, JSON) before the worker is killed (which would answer nothing). A
stream that fails after its first byte is cut off without the chunked transfer's last
chunk, so the client sees a broken download.

    WEB_CONCURRENCY            worker processes (default 3)
    GUNICORN_TIMEOUT           seconds per request before a worker is killed (default 60)
    GUNICORN_GRACEFUL_TIMEOUT  seconds to finish requests on restart or stop (default 30)
    GUNICORN_MAX_REQUESTS      requests before a worker is replaced (default 2000; 0: never)
"""

import math
import os


def _whole(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise SystemExit(f"{name} must be a whole number of 0 or more, not {value!r}.")
    return int(value)


workers = _whole("WEB_CONCURRENCY", 3) or 1
worker_class = "sync"
timeout = _whole("GUNICORN_TIMEOUT", 60)
graceful_timeout = _whole("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Replacing workers now and then bounds the memory any one of them can grow to.
max_requests = _whole("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10

# Requests gunicorn refuses itself (the schema documents the 414): a request line over
# 4094 bytes, more than 100 headers, a header over 8190 bytes.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"

_statement_ms = _whole("DJANGO_PUBLIC_STATEMENT_TIMEOUT_MS", 5000)
if timeout and _statement_ms and timeout <= math.ceil(_statement_ms / 1000) + 5:
    raise SystemExit(
        f"GUNICORN_TIMEOUT ({timeout} s) must be well above the statement time limit "
        f"(DJANGO_PUBLIC_STATEMENT_TIMEOUT_MS = {_statement_ms} ms): at least "
        f"{math.ceil(_statement_ms / 1000) + 6} s."
    )

# gunicorn itself would believe X-Forwarded-Proto from loopback callers; leave that to
# Django, which believes it only behind the proxies DJANGO_NUM_PROXIES declares.
forwarded_allow_ips = ""


def post_worker_init(worker):
    """Let streamed downloads tell the master this worker is alive (tracker.lib.keepalive)."""
    from tracker.lib import keepalive

    keepalive.install(worker.notify)
