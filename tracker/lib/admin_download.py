"""
"Download CSV" on the admin's lists: the list as it is shown, with its filters and its
search, as a CSV file.

This module is the admin's side of it: the two links above the list ("Download CSV" and
"… for Excel", with ``excel=1`` for a byte-order mark), their URL
(``admin:<app>_<model>_download``, ``<list>/download.csv``), who may download, and the
headers. The file itself is made by the *download* that an app registers for the model
(``register``): ``prisoners.admin_downloads`` registers one for each model that a public
CSV file covers, made from that file's columns. A list without a registered download
shows no link.

- **Who:** a user who may see the list (the model's view or change permission); anyone
  else gets 403. What of a record the file shows (private fields) is the download's
  decision (``prisoners.admin_downloads``).
- **Which rows:** exactly the list's: its filters and search (the same ``ChangeList``),
  in every editorial state; a bad filter is a 400, as the list would refuse it.
- **Never cached:** ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as FormValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .api_plumbing import StrictBooleanField

# model -> download(request, queryset, *, bom) -> a response streaming the file
DOWNLOADS: dict[type, Callable[..., HttpResponse]] = {}
EXCEL = "excel"
TEMPLATE = "admin/csv_download_change_list.html"


def register(model: type, download: Callable[..., HttpResponse]) -> None:
    """Offer "Download CSV" on ``model``'s admin list, made by ``download``."""
    DOWNLOADS[model] = download


def _query(request, **extra) -> str:
    query = request.GET.copy()
    for name in (PAGE_VAR, ERROR_FLAG, EXCEL):
        query.pop(name, None)
    query.update(extra)
    return f"?{query.urlencode()}" if query else ""


class CsvDownloadMixin:
    """For a ModelAdmin: "Download CSV" on its list, when a download is registered."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        # Not atomic: the file is written after the view returns (the download opens its
        # own transaction while it streams).
        view = transaction.non_atomic_requests(
            self.admin_site.admin_view(self.csv_download_view, cacheable=True)
        )
        name = "{}_{}_download".format(*info)
        return [path("download.csv", view, name=name), *super().get_urls()]

    def csv_download_urls(self, request) -> dict:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_download")
        return {
            "csv_download_url": url + _query(request),
            "csv_download_excel_url": url + _query(request, **{EXCEL: "1"}),
        }

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if (
            isinstance(response, TemplateResponse)
            and not response.is_rendered
            and self.opts.model in DOWNLOADS
            and self.has_view_permission(request)
        ):
            # The links go into the list's own template, whichever it is (the import's,
            # Django's): this template extends it.
            base = response.template_name
            if not isinstance(base, str):
                base = select_template(base).template
            response.context_data["csv_download_base_template"] = base
            response.context_data.update(self.csv_download_urls(request))
            response.template_name = TEMPLATE
        return response

    def csv_download_view(self, request):
        download = DOWNLOADS.get(self.opts.model)
        if download is None:
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = request.GET.copy()
        excel = params.pop(EXCEL, [])
        try:
            if len(excel) > 1:
                raise FormValidationError(_("Give excel once."))
            bom = bool(StrictBooleanField(required=False).clean(excel[0] if excel else None))
        except FormValidationError as error:
            return _refused({EXCEL: error.messages})
        request.GET = params  # the list's own parameters, as its page reads them
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return _refused({"detail": [_("These filters are not valid for this list.")]})
        response = download(request, changelist.queryset, bom=bom)
        response["Cache-Control"] = "private, no-store"
        return response


def _refused(errors: dict) -> JsonResponse:
    response = JsonResponse(errors, status=400)
    response["Cache-Control"] = "private, no-store"
    return response
