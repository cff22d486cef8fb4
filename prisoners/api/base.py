"""The base of every public endpoint: read-only, published-only, redacted."""

from rest_framework import viewsets

from tracker.lib.api import REQUEST_LANGUAGE, requested_language

from ..redaction import Redactor
from .citations import attach_citations

# A page's links hold only the path and the validated parameters, built by the
# pagination (tracker.lib.api_plumbing): any name in them is what the client typed, and
# redacting it would answer whether a guess is a withheld name.
PAGE_LINKS = ("next", "previous")


class RedactedResponseMixin:
    """
    Replaces every mention of every withheld name in the response's data. Also reads the
    language of labels the request asks for (``tracker.lib.api.requested_language``: a bad
    ``lang`` is a 400 before anything is read) and names it in ``Content-Language``.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        setattr(request, REQUEST_LANGUAGE, requested_language(request))

    def finalize_response(self, request, response, *args, **kwargs):
        language = getattr(request, REQUEST_LANGUAGE, None)
        if language is not None:
            response["Content-Language"] = language
        data = getattr(response, "data", None)
        if data is not None and response.status_code == 200:
            redactor = Redactor.from_database()
            if isinstance(data, dict) and "results" in data:
                links = {key: data[key] for key in PAGE_LINKS if key in data}
                response.data = {**redactor.data(data), **links}
            else:
                response.data = redactor.data(data)
        return super().finalize_response(request, response, *args, **kwargs)


class PublicViewSet(RedactedResponseMixin, viewsets.ReadOnlyModelViewSet):
    """
    Read-only, anonymous, published-only. Subclasses set ``queryset`` (from a selector),
    ``serializer_class`` (and optionally ``list_serializer_class``), ``filterset_class``,
    and ``cited_paths``: where the shown records with citations are (see
    ``attach_citations``). Writes answer 405.
    """

    lookup_value_regex = "[0-9]+"
    list_serializer_class = None
    cited_paths: tuple[str, ...] = ("",)
    detail_cited_paths: tuple[str, ...] | None = None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_citations(page, self.cited_paths)
        return page

    def get_object(self):
        record = super().get_object()
        attach_citations([record], self.detail_cited_paths or self.cited_paths)
        return record

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class
