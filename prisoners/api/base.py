"""The base of every public endpoint: read-only, published-only, redacted."""

import threading
from collections import OrderedDict

from rest_framework import viewsets

from tracker.lib.api import REQUEST_LANGUAGE, requested_language
from tracker.lib.api_plumbing import VALIDATED_QUERY, StrictLimitOffsetPagination

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


class CountKeepingPagination(StrictLimitOffsetPagination):
    """
    Pages whose ``count`` is counted once per filter while public data stays the same.

    The COUNT of a filtered list repeats the whole filter over every row (at 100,000
    people, most of a filtered page's SQL). It changes only when public data does, which
    ``prisoners.public.last_change`` dates (every publication, change and deletion writes
    a history entry; the HTTP cache relies on the same). So each worker keeps the counts
    it has answered, keyed by the path, the validated filter parameters and that moment,
    which the caching middleware reads for every anonymous request
    (``request.public_last_change``); other requests, and a database without any
    history (loaded around it), count every time. After writing public rows with bulk
    SQL, which writes no history, restart the workers (the HTTP cache needs a new entry
    in the history too).
    """

    kept = 4096  # counts per worker process

    _counts: OrderedDict = OrderedDict()
    _lock = threading.Lock()

    def get_count(self, queryset):
        request = self.request
        changed = getattr(request, "public_last_change", _UNKNOWN)
        pairs = getattr(request, VALIDATED_QUERY, None)
        if changed in (_UNKNOWN, None) or pairs is None:  # None: no history at all
            return super().get_count(queryset)
        filters = tuple(pair for pair in pairs if pair[0] != "ordering")
        key = (request.path, filters, changed)
        with self._lock:
            count = self._counts.get(key)
            if count is not None:
                self._counts.move_to_end(key)
                return count
        count = super().get_count(queryset)
        with self._lock:
            self._counts[key] = count
            while len(self._counts) > self.kept:
                self._counts.popitem(last=False)
        return count


_UNKNOWN = object()


class PublicViewSet(RedactedResponseMixin, viewsets.ReadOnlyModelViewSet):
    """
    Read-only, anonymous, published-only. Subclasses set ``queryset`` (from a selector),
    ``serializer_class`` (and optionally ``list_serializer_class``), ``filterset_class``,
    and ``cited_paths``: where the shown records with citations are (see
    ``attach_citations``). Writes answer 405.
    """

    lookup_value_regex = "[0-9]+"
    pagination_class = CountKeepingPagination
    list_serializer_class = None
    cited_paths: tuple[str, ...] = ("",)
    detail_cited_paths: tuple[str, ...] | None = None
    # A function (page, request) -> the list serializer's data, built without it
    # (prisoners.api.rows); it reads the page's related rows itself, so the queryset's
    # prefetches are dropped. None: the list serializer.
    list_rows = None

    def list(self, request, *args, **kwargs):
        if self.list_rows is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginator.paginate_queryset(queryset, request, view=self)
        return self.get_paginated_response(type(self).list_rows(page, request))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_citations(page, self.cited_paths, self.request)
        return page

    def get_object(self):
        record = super().get_object()
        attach_citations([record], self.detail_cited_paths or self.cited_paths, self.request)
        return record

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class
