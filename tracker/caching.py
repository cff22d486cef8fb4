"""
HTTP caching of the public side: validators and freshness for anonymous reads.

Every anonymous GET or HEAD under a prefix of ``settings.PUBLIC_CACHE_RULES`` gets

- ``Last-Modified``: when the published edition last changed, and an ``ETag`` made of
  that publication step's number (``prisoners.public.last_step``, one small query: every
  publication, unpublication and deletion of a public record is a new step; saving a
  draft, an editor's note or a contact is none), the full path with its query string,
  and the response's language;
- ``Cache-Control: public, max-age=<the prefix's seconds>``, and ``Vary`` on what the
  representation depends on (``Accept-Language``, ``Accept``, ``Cookie``);
- a ``304 Not Modified`` without running the view when the client's ``If-None-Match``
  or ``If-Modified-Since`` still matches.

Anything else (a signed-in user, a session cookie, a write, an error, the admin) is
marked ``Cache-Control: private, no-store`` when it falls under a rule, so that no shared
cache ever keeps an editor's view. A public-only process (settings.PUBLIC_ONLY) has no
signed-in user, and a session cookie sent to it changes nothing it answers. Responses
outside the rules are left alone.

Whatever the path, a response that sets a cookie is ``private, no-store``
(``PrivateCookiesMiddleware``, outermost, so that it sees the cookies of every other
middleware: the CSRF token, the session, the language): a shared cache would hand every
visitor the same cookie, and the same Content-Security-Policy nonce with it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language

from prisoners import public

CACHEABLE_STATUSES = {200, 301, 404}


def _rule(path: str) -> int | None:
    for prefix, max_age in settings.PUBLIC_CACHE_RULES:
        if path.startswith(prefix):
            return max_age
    return None


def _anonymous(request) -> bool:
    if settings.PUBLIC_ONLY:
        return True  # no one signs in to this process; a session cookie means nothing here
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return not signed_in and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _etag(request, step) -> str:
    parts = [
        f"{step.pk}@{step.at.isoformat()}" if step is not None else "-",
        request.get_full_path(),
        get_language() or "",
        request.headers.get("Accept-Language", ""),
        request.headers.get("Accept", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return quote_etag(digest)


def _not_modified(request, etag: str, changed) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and changed is not None:
        return int(changed.timestamp()) <= since
    return False


class PublicCacheMiddleware:
    """Place after AuthenticationMiddleware and LocaleMiddleware (it reads both)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        max_age = _rule(request.path)
        if max_age is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            response = self.get_response(request)
            response["Cache-Control"] = "private, no-store"
            return response

        step = public.last_step()
        changed = step.at if step is not None else None
        # Views may key their own caches on it (the API's page counts, prisoners.api.base).
        # Its number and time together: a number alone may come again in a database
        # restored from a backup (or a test's rolled-back transaction).
        request.public_last_step = (step.pk, step.at) if step is not None else None
        etag = _etag(request, step)
        if _not_modified(request, etag, changed):
            response = self._not_modified_response(etag, changed, max_age)
            return response
        response = self.get_response(request)
        if response.status_code not in CACHEABLE_STATUSES or response.has_header("Set-Cookie"):
            response["Cache-Control"] = "private, no-store"
            return response
        response["ETag"] = etag
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
        response["Cache-Control"] = f"public, max-age={max_age}"
        patch_vary_headers(response, ("Accept-Language", "Accept", "Cookie"))
        return response

    @staticmethod
    def _not_modified_response(etag, changed, max_age):
        from django.http import HttpResponseNotModified

        response = HttpResponseNotModified()
        response["ETag"] = etag
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
        response["Cache-Control"] = f"public, max-age={max_age}"
        patch_vary_headers(response, ("Accept-Language", "Accept", "Cookie"))
        return response


class PrivateCookiesMiddleware:
    """First in ``MIDDLEWARE``: any response that sets a cookie is private, not stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies or response.has_header("Set-Cookie"):
            response["Cache-Control"] = "private, no-store"
        return response
