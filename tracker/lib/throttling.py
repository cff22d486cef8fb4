"""
Rate limits for the public side: the API, the CSV downloads and the data package.

One middleware (``RateLimitMiddleware``) counts requests per client and per kind of
route, each kind with its own limit, suited to its cost:

- ``/api/…``: scope ``api``, settings.API_ANON_RATE (default 120/minute);
- ``/exports/datapackage.zip``: scope ``datapackage``, settings.DATAPACKAGE_RATE (5/hour);
- any other ``/exports/…`` (the CSV files): scope ``export``, settings.EXPORT_RATE
  (20/minute).

A rate is ``<number>/<second|minute|hour|day>``; ``None`` turns the limit off. A request
over the limit answers 429 with ``{"detail": …}`` in the language the request asks for
(``tracker.lib.api.message_language``) and ``Retry-After`` (seconds).

**Who is a client**: the address ``tracker.lib.client_address`` gives (the socket's,
unless settings.NUM_PROXIES says how many proxies' X-Forwarded-For entries to believe),
so a client cannot pick a new identity per request by sending a new header. IPv6
addresses count per /64 network, the block one subscriber usually holds.

**Where the counts live**: Django's default cache. With the database cache (the default,
``DJANGO_CACHE=database``; the table comes from ``manage.py createcachetable``) every
worker process of every server sees the same count. Each count is a window that opens
with the client's first request and lasts one period; a request reads and writes it under
a lock (a PostgreSQL advisory lock, SQLite's write lock, or a process lock for the local
memory cache), so concurrent requests are not lost. A request over the limit only reads.

The middleware runs before the view and outside the request's transaction, so a request
counts whatever it answers: an error or a query that times out is rolled back, its count
is not.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import math
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, router, transaction
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from .api import message_language
from .client_address import client_address

RATE = re.compile(r"([1-9][0-9]{0,8})/(s|sec|second|m|min|minute|h|hour|d|day)")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# (path, exact?) -> scope and the setting that holds its rate; the first match counts.
ROUTES = (
    ("/exports/datapackage.zip", True, "datapackage", "DATAPACKAGE_RATE"),
    ("/exports/", False, "export", "EXPORT_RATE"),
    ("/api/", False, "api", "API_ANON_RATE"),
)
KEY_PREFIX = "ratelimit"
_process_lock = threading.Lock()
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    scope: str
    requests: int
    period: int  # seconds


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """``"120/minute"`` -> (120, 60); None, "" or "off" -> None (no limit)."""
    if rate is None:
        return None
    text = str(rate).strip().lower()
    if text in {"", "off", "none"}:
        return None
    match = RATE.fullmatch(text)
    if not match:
        raise ImproperlyConfigured(
            f"A rate limit is <number>/<second|minute|hour|day> or off, not {rate!r}."
        )
    return int(match[1]), PERIODS[match[2][0]]


def limit_for(path: str) -> Limit | None:
    """The limit that applies to a path, or None."""
    for prefix, exact, scope, setting in ROUTES:
        if path == prefix if exact else path.startswith(prefix):
            rate = parse_rate(getattr(settings, setting, None))
            return Limit(scope, *rate) if rate else None
    return None


def client_key(request) -> str:
    """The client as the counter knows it: an IPv4 address, an IPv6 /64, or a digest."""
    address = (client_address(request) or "").strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "other-" + hashlib.sha256(address.encode("utf-8", "replace")).hexdigest()[:32]
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@contextlib.contextmanager
def _locked(cache, key: str):
    """Exclusive access to one counter, across processes where the cache allows it."""
    if isinstance(cache, DatabaseCache):
        alias = router.db_for_write(cache.cache_model_class)
        connection = connections[alias]
        # Outside a transaction this is a short one of its own: BEGIN IMMEDIATE on SQLite
        # (the settings ask for it), which serialises writers; PostgreSQL locks the key.
        with transaction.atomic(using=alias):
            if connection.vendor == "postgresql":
                digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(%s)",
                        [int.from_bytes(digest, "big", signed=True)],
                    )
            yield
    else:
        with _process_lock:
            yield


def hit(limit: Limit, client: str, *, cache=None, now: float | None = None) -> int | None:
    """
    Count one request of ``client`` against ``limit``: None if it may go ahead, otherwise
    the seconds until the client's window closes (for Retry-After).
    """
    cache = caches["default"] if cache is None else cache
    key = f"{KEY_PREFIX}:{limit.scope}:{client}"
    with _locked(cache, key):
        now = time.time() if now is None else now
        entry = cache.get(key)
        if not _valid(entry) or entry[0] + limit.period <= now:
            entry = (now, 0)
        start, count = entry
        remaining = start + limit.period - now
        if count >= limit.requests:
            return max(1, math.ceil(remaining))
        cache.set(key, (start, count + 1), timeout=max(1, math.ceil(remaining)))
    return None


def count(limit: Limit, client: str, *, cache=None) -> int:
    """How many requests ``client`` made in its current window (0 when none is open)."""
    cache = caches["default"] if cache is None else cache
    entry = cache.get(f"{KEY_PREFIX}:{limit.scope}:{client}")
    if not _valid(entry) or entry[0] + limit.period <= time.time():
        return 0
    return entry[1]


def _valid(entry) -> bool:
    return (
        isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], float | int)
        and isinstance(entry[1], int)
    )


def too_many_requests(wait: int, language: str = "en") -> JsonResponse:
    """The 429, in ``language``, in REST framework's words (its catalogues translate them)."""
    with translation.override(language):
        detail = " ".join(
            (
                gettext("Request was throttled."),
                ngettext(
                    "Expected available in {wait} second.",
                    "Expected available in {wait} seconds.",
                    wait,
                ).format(wait=wait),
            )
        )
    response = JsonResponse({"detail": detail}, status=429)
    response["Retry-After"] = str(wait)
    response["Content-Language"] = language
    return response


def _explain(error: DatabaseError) -> None:
    """Log what to do when the counts' table is missing (the request fails either way:
    limits that silently stopped counting would not be limits)."""
    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        return
    alias = router.db_for_write(cache.cache_model_class)
    try:
        with connections[alias].cursor() as cursor:
            tables = connections[alias].introspection.table_names(cursor)
    except DatabaseError:
        return  # the database itself is the problem
    if cache._table not in tables:
        logger.error(
            "The rate limits' cache table %r is missing: run `manage.py createcachetable`.",
            cache._table,
        )


class RateLimitMiddleware:
    """The limits above, before the view runs. Place it after CorsMiddleware, so that a
    429 carries the CORS headers a browser needs to read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = limit_for(request.path_info)
        if limit is not None:
            try:
                wait = hit(limit, client_key(request))
            except DatabaseError as error:
                _explain(error)
                raise
            if wait is not None:
                return too_many_requests(wait, message_language(request))
        return self.get_response(request)
