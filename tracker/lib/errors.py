"""
Honest errors on the public side (``/api/…`` and ``/exports/…``), which machines read:
every error is JSON ``{"detail": …}``, 500 included, and a database that is too slow or
out of reach, or a shared cache (Redis, settings.CACHES) out of reach, is a 503 with
``Retry-After``, not a 500.

- ``server_error`` is the project's handler500: JSON on public routes, the usual page
  elsewhere. Django calls it while the exception is being handled, so it can tell a
  database or cache problem from a bug. ``bad_request`` and ``permission_denied`` likewise.
- ``api_exception_handler`` is the API's (REST framework's EXCEPTION_HANDLER): REST
  framework's own answers, plus JSON for what it leaves to Django (a 400 for a request
  Django finds suspicious, such as one with more than 1,000 parameters).
- ``StatementTimeoutMiddleware`` bounds each SQL statement of a public request on
  PostgreSQL (settings.PUBLIC_STATEMENT_TIMEOUT_MS); the admin keeps no limit.
- ``PublicLanguageMiddleware`` answers ``/api/…`` and ``/exports/…`` in the language the
  request asks for (``?lang=``, else ``Accept-Language``, else English: the language of the
  API's labels), so that every message is in it: ours, REST framework's (404, 405, 406,
  the fields' errors) and Django's forms'. Belarusian is in the official orthography: our
  ``locale/be`` catalogue holds the REST framework strings we show (REST framework ships
  an empty Belarusian catalogue) and overrides Django's Taraškievica.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from .api import message_language

PUBLIC_PREFIXES = ("/api/", "/exports/")
TIMED_OUT = _("The database took too long; try a narrower query.")
UNAVAILABLE = _("The database is unavailable; try again shortly.")
CACHE_UNAVAILABLE = _("The service is unavailable; try again shortly.")
SERVER_ERROR = _("Server error. It has been logged; try again later.")
BAD_REQUEST = _("Bad request.")
FORBIDDEN = _("Forbidden.")
# REST framework's words for its own 404 (NotFound), which our catalogues translate.
NOT_FOUND = _("Not found.")
RETRY_AFTER_SECONDS = 30
# PostgreSQL's query_canceled: statement_timeout (or an operator's pg_cancel_backend).
QUERY_CANCELED = "57014"

logger = logging.getLogger("django.request")


def is_public(path: str) -> bool:
    """Read by machines: errors in JSON."""
    return path.startswith(PUBLIC_PREFIXES)


def is_public_page(path: str) -> bool:
    """A page of the public website (settings.PUBLIC_PAGE_PREFIXES): limited like the API,
    errors as pages."""
    return path.startswith(tuple(getattr(settings, "PUBLIC_PAGE_PREFIXES", ())))


def service_problem(exc: BaseException | None) -> str | None:
    """The 503 message for an exception that says the database is slow or unreachable, or
    that the shared cache is unreachable."""
    if isinstance(exc, OperationalError | InterfaceError):
        cause = exc.__cause__
        if getattr(cause, "sqlstate", None) == QUERY_CANCELED:
            return TIMED_OUT
        return UNAVAILABLE
    if isinstance(exc, RedisConnectionError | RedisTimeoutError):
        return CACHE_UNAVAILABLE
    return None


def unavailable(detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    """handler500: JSON on the API and the exports (503 for the database or the cache),
    HTML elsewhere."""
    if is_public_page(request.path_info) and service_problem(sys.exc_info()[1]):
        # The page's statement ran over its time limit, or the database or the cache is
        # away: the error page, with the status and Retry-After that say "try again shortly".
        response = defaults.server_error(request, *args, **kwargs)
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if not is_public(request.path_info):
        return defaults.server_error(request, *args, **kwargs)
    detail = service_problem(sys.exc_info()[1])
    if detail is not None:
        return unavailable(detail)
    return JsonResponse({"detail": SERVER_ERROR}, status=500)


def bad_request(request, exception, *args, **kwargs):
    """handler400 (a request Django refuses before any view, such as one with too many
    parameters): JSON on public routes."""
    if not is_public(request.path_info):
        return defaults.bad_request(request, exception, *args, **kwargs)
    return JsonResponse({"detail": BAD_REQUEST}, status=400)


def permission_denied(request, exception, *args, **kwargs):
    """handler403: JSON on public routes."""
    if not is_public(request.path_info):
        return defaults.permission_denied(request, exception, *args, **kwargs)
    return JsonResponse({"detail": FORBIDDEN}, status=403)


def api_exception_handler(exc, context):
    """
    REST framework's handler (a 404 says "Not found.", whatever raised it), then JSON for
    anything it would re-raise: 503 for the database or the cache, 500 for a bug (logged
    with its traceback). In debug mode a bug is re-raised for Django's debug page. The
    request's transaction is rolled back either way.
    """
    if isinstance(exc, Http404):
        # The same words for a record that is not public and one that never existed, in the
        # request's language (Django's get_object_or_404 would name the model).
        exc = NotFound(NOT_FOUND)
    response = exception_handler(exc, context)
    if response is not None:
        return response
    set_rollback()
    if isinstance(exc, SuspiciousOperation):
        # What Django refuses as a bad request (more than DATA_UPLOAD_MAX_NUMBER_FIELDS
        # parameters, which the API first reads inside the view): a 400, as handler400
        # answers on the exports and the site.
        return Response({"detail": BAD_REQUEST}, status=400)
    detail = service_problem(exc)
    if detail is not None:
        logger.warning("Service unavailable: %s (%s)", context["request"].path, exc)
        return Response(
            {"detail": detail}, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    if settings.DEBUG:
        return None
    logger.error(
        "Internal Server Error: %s",
        context["request"].path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return Response({"detail": SERVER_ERROR}, status=500)


def set_statement_timeout(milliseconds: int | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """
    Limit each statement of this connection's session to ``milliseconds`` on PostgreSQL
    (None or 0: the server's default). Sent on the driver's own cursor, so it is not
    among the queries a test counts. The session keeps it until set again, so a streamed
    CSV file is bounded too; a later admin request on the same connection resets it.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if milliseconds:
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false)", [f"{int(milliseconds)}ms"]
            )
        connection.tracker_statement_timeout = connection.connection
    elif (
        getattr(connection, "tracker_statement_timeout", None) is not None
        and connection.tracker_statement_timeout is connection.connection
    ):
        with connection.connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
        connection.tracker_statement_timeout = None


class StatementTimeoutMiddleware:
    """settings.PUBLIC_STATEMENT_TIMEOUT_MS for each statement of a public request; no
    limit for the others. A statement that runs over it is cancelled: the API and the
    exports answer 503 (see ``service_problem``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_public(request.path_info) or is_public_page(request.path_info):
            set_statement_timeout(getattr(settings, "PUBLIC_STATEMENT_TIMEOUT_MS", None))
        else:
            set_statement_timeout(None)
        return self.get_response(request)


class PublicLanguageMiddleware:
    """
    The language of ``/api/…`` and ``/exports/…`` (see the module docstring): place it
    after LocaleMiddleware, which would follow the site's language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_public(request.path_info):
            language = message_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
