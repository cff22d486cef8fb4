"""
The client's address, as far as this deployment can know it.

settings.NUM_PROXIES (DJANGO_NUM_PROXIES) says how many reverse proxies stand in front of
the app. With none, the address is the socket's: an X-Forwarded-For header is the client's
own words and is ignored. With N, each proxy appends the address it was reached from, so
the Nth entry from the right of X-Forwarded-For is the one the outermost trusted proxy
saw; anything to its left was written by the client. This is how Django REST framework's
throttles read NUM_PROXIES, and what django-axes uses to lock an address out.
"""

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if not proxies:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
