"""
Rate limits for the public side: the API, the CSV downloads, the data package and the
website's pages.

One middleware (``RateLimitMiddleware``) counts requests per client and per kind of
route, each kind with its own limit, suited to its cost:

- ``/api/…``: scope ``api``, settings.API_ANON_RATE (default 120/minute);
- ``/exports/datapackage.zip``: scope ``datapackage``, settings.DATAPACKAGE_RATE (5/hour);
- any other ``/exports/…`` (the CSV files): scope ``export``, settings.EXPORT_RATE
  (20/minute);
- the website's pages (settings.PUBLIC_PAGE_PREFIXES: ``/be/``, ``/ru/``, ``/en/``, the
  sitemaps): scope ``site``, settings.SITE_RATE (120/minute).

A rate is ``<number>/<second|minute|hour|day>``; ``None`` turns the limit off. A request
over the limit answers 429 with ``Retry-After`` (seconds): ``{"detail": …}`` for the API
and the files, which machines read, in the language the request asks for
(``tracker.lib.api.message_language``); for the pages, the view that
settings.RATE_LIMITED_PAGE_VIEW names (the website's page in the reader's language: this
module is below the website and does not import it).

**Who is a client**: the address ``tracker.lib.client_address`` gives (the socket's,
unless settings.NUM_PROXIES says how many proxies' X-Forwarded-For entries to believe),
so a client cannot pick a new identity per request by sending a new header. IPv6
addresses count per /64 network, the block one subscriber usually holds.

**Where the counts live**: Django's default cache: Redis when settings.REDIS_URL is set,
which every worker process of every server shares, else each process's own memory. Each
count is a window that opens with the client's first request and lasts one period. Only
the cache's atomic operations touch it, so concurrent requests in any number of processes
are not lost: ``add`` opens the window (one request wins; the others read its start),
``add``/``incr`` count in it; the cache forgets both when the period is over. Requests
over the limit are counted too, which changes nothing: the window closes when it would
have.

The middleware runs before the view and outside the request's transaction, so a request
counts whatever it answers: an error or a query that times out is rolled back, its count
is not. A cache that cannot be reached fails the request (a 503, tracker.lib.errors):
limits that silently stopped counting would not be limits.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext

from .api import message_language
from .client_address import client_address
from .errors import is_public_page

RATE = re.compile(r"([1-9][0-9]{0,8})/(s|sec|second|m|min|minute|h|hour|d|day)")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# (path, exact?) -> scope and the setting that holds its rate; the first match counts.
ROUTES = (
    ("/exports/datapackage.zip", True, "datapackage", "DATAPACKAGE_RATE"),
    ("/exports/", False, "export", "EXPORT_RATE"),
    ("/api/", False, "api", "API_ANON_RATE"),
)
PAGES = "site"
KEY_PREFIX = "ratelimit"


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
    if is_public_page(path):
        rate = parse_rate(getattr(settings, "SITE_RATE", None))
        return Limit(PAGES, *rate) if rate else None
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


def _window(limit: Limit, client: str) -> str:
    return f"{KEY_PREFIX}:{limit.scope}:{client}"


def _counter(window: str, start: float) -> str:
    """Each window's count has a key of its own: a window that closes takes its count
    with it, whatever the count's key still holds."""
    return f"{window}:{start!r}"


def hit(limit: Limit, client: str, *, cache=None) -> int | None:
    """
    Count one request of ``client`` against ``limit``: None if it may go ahead, otherwise
    the seconds until the client's window closes (for Retry-After).
    """
    cache = caches["default"] if cache is None else cache
    now = time.time()
    window = _window(limit, client)
    start = now if cache.add(window, now, timeout=limit.period) else cache.get(window, now)
    counter = _counter(window, start)
    # The count outlives its window by a period, so that it is never forgotten between
    # this add and this incr (which would restart it at 1).
    if cache.add(counter, 1, timeout=2 * limit.period):
        made = 1
    else:
        try:
            made = cache.incr(counter)
        except ValueError:  # evicted in between (the cache is full): count afresh
            cache.set(counter, 1, timeout=2 * limit.period)
            made = 1
    if made > limit.requests:
        return max(1, math.ceil(start + limit.period - now))
    return None


def count(limit: Limit, client: str, *, cache=None) -> int:
    """How many requests ``client`` made in its current window (0 when none is open)."""
    cache = caches["default"] if cache is None else cache
    window = _window(limit, client)
    start = cache.get(window)
    if start is None:
        return 0
    return cache.get(_counter(window, start), 0)


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


class RateLimitMiddleware:
    """The limits above, before the view runs. Place it after CorsMiddleware, so that a
    429 carries the CORS headers a browser needs to read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = limit_for(request.path_info)
        if limit is not None:
            wait = hit(limit, client_key(request))
            if wait is not None:
                view = getattr(settings, "RATE_LIMITED_PAGE_VIEW", None)
                if limit.scope == PAGES and view:
                    return import_string(view)(request, wait)
                return too_many_requests(wait, message_language(request))
        return self.get_response(request)
