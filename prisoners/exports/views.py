"""
CSV downloads of public records: ``/exports/<resource>.csv``, and the data package.

They take the same query parameters as the matching API list (the same FilterSet, the
same 400 for a bad or unknown value), plus ``excel=1`` for a byte-order mark and the API's
``lang`` (the language of error messages, as in the API; the files' columns are the same in
every language). Rows are in id order, so ``ordering`` is refused rather than ignored.

Every parameter is validated before the first byte is sent: once the file has started,
its status (200) is sent. A failure after that must not leave a file that looks complete:
the stream writes a last line saying the file is incomplete and raises, so the server
drops the connection without the chunked transfer's final chunk (gunicorn does), and every
HTTP client reports the download as broken. Rate limits are the middleware's
(``tracker.lib.throttling``).

Files stream from the first second, and tell gunicorn they are alive as they progress
(``tracker.lib.keepalive``). Their statements have a time limit of their own,
``EXPORT_STATEMENT_TIMEOUT_MS`` (when the public side has one, ``tracker.lib.errors``):
a file of everyone needs statements that sort or hash a whole table before their first
row, which take seconds at a hundred thousand people on a busy server, where a page of
the API needs milliseconds.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError as FormValidationError
from django.db import transaction
from django.http import JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from rest_framework.exceptions import ValidationError

from tracker.lib.api import LANG, REQUEST_LANGUAGE, requested_language
from tracker.lib.api_plumbing import StrictBooleanField, check_parameters, validate_filterset
from tracker.lib.csv_streams import stream_csv
from tracker.lib.errors import NOT_FOUND, set_statement_timeout

from . import EXPORTS
from .base import CsvDownload
from .datapackage import stream_datapackage

logger = logging.getLogger(__name__)
# The last line of a file whose stream failed (then the connection is dropped).
ID_ORDER = _("CSV files are always in id order; sort them in your spreadsheet.")
INCOMPLETE = "\r\n# ERROR: this file is incomplete: the export failed while it was written.\r\n"


def _export_time_limit() -> None:
    public_limit = getattr(settings, "PUBLIC_STATEMENT_TIMEOUT_MS", None)
    if public_limit:
        set_statement_timeout(max(public_limit, settings.EXPORT_STATEMENT_TIMEOUT_MS))


def _bad_request(errors: dict) -> JsonResponse:
    return JsonResponse(errors, status=400)


def filtered_queryset(request, export: CsvDownload):
    """The export's public records filtered by the request's parameters, or a ValidationError."""
    check_parameters(request.GET, export.filterset_class, {"excel", LANG})
    # A 400 for a lang that is not be, ru or en; the language of ``letter`` (display names).
    setattr(request, REQUEST_LANGUAGE, requested_language(request))
    if "ordering" in request.GET:
        raise ValidationError({"ordering": [ID_ORDER]})
    queryset = export.queryset()
    if export.filterset_class is None:
        return queryset
    filterset = export.filterset_class(data=request.GET, queryset=queryset, request=request)
    validate_filterset(filterset)
    return filterset.qs


@require_safe
@transaction.non_atomic_requests
def download(request, slug):
    export = EXPORTS.get(slug)
    if export is None:
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    try:
        queryset = filtered_queryset(request, export)
    except ValidationError as error:
        return _bad_request(error.detail)
    try:
        bom = StrictBooleanField(required=False).clean(request.GET.get("excel")) or False
    except FormValidationError as error:
        return _bad_request({"excel": error.messages})
    api_base = request.build_absolute_uri(f"/api/v1/{export.api_view}/") if export.api_view else ""

    def lines():
        try:
            # One transaction for the whole file: a consistent read, and cursors that need
            # no WITH HOLD on PostgreSQL.
            _export_time_limit()
            with transaction.atomic():
                rows = export.rows(queryset, api_base=api_base)
                yield from stream_csv(export.header, rows, bom=bom)
        except Exception:
            logger.exception("The export %s failed while streaming", slug)
            yield INCOMPLETE
            raise  # the server drops the connection: no final chunk

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{export.file_stem}-{datetime.date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@transaction.non_atomic_requests
def datapackage(request):
    """
    The whole public database as a Frictionless data package (zip), streamed as it is
    written. A failure while streaming cuts the transfer: a zip without its last part
    (the central directory) does not open, so no client takes it for complete.
    """

    def pieces():
        try:
            _export_time_limit()
            yield from stream_datapackage()
        except Exception:
            logger.exception("The data package failed while streaming")
            raise  # the server drops the connection: no final chunk

    filename = f"political-prisoners-datapackage-{datetime.date.today().isoformat()}.zip"
    response = StreamingHttpResponse(pieces(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
