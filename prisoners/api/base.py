"""The base of every public endpoint: read-only, reading the published edition only."""

import threading
from collections import OrderedDict

from rest_framework import viewsets

from tracker.lib.api import REQUEST_LANGUAGE, requested_language
from tracker.lib.api_plumbing import VALIDATED_QUERY, StrictLimitOffsetPagination

from .citations import attach_citations


class PublicResponseMixin:
    """
    Reads the language of labels the request asks for (``tracker.lib.api.requested_language``:
    a bad ``lang`` is a 400 before anything is read) and names it in ``Content-Language``.

    Nothing is redacted here: the edition's texts were redacted when they were published
    (``prisoners.edition_writer``), so a response shows them as they are stored.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        setattr(request, REQUEST_LANGUAGE, requested_language(request))

    def finalize_response(self, request, response, *args, **kwargs):
        language = getattr(request, REQUEST_LANGUAGE, None)
        if language is not None:
            response["Content-Language"] = language
        return super().finalize_response(request, response, *args, **kwargs)


class CountKeepingPagination(StrictLimitOffsetPagination):
    """
    Pages whose ``count`` is counted once per filter while the edition stays the same.

    The COUNT of a filtered list repeats the whole filter over every row (at 100,000
    people, most of a filtered page's SQL). It changes only when the edition does, and
    every change of the edition is a new publication step (``prisoners.public.last_step``;
    the HTTP cache relies on the same). So each worker keeps the counts it has answered,
    keyed by the path, the validated filter parameters and that step (its number and time),
    which the caching middleware reads for every anonymous request
    (``request.public_last_step``);
    other requests, and an edition without any step yet, count every time.
    """

    kept = 4096  # counts per worker process

    _counts: OrderedDict = OrderedDict()
    _lock = threading.Lock()

    def get_count(self, queryset):
        request = self.request
        step = getattr(request, "public_last_step", None)
        pairs = getattr(request, VALIDATED_QUERY, None)
        if step is None or pairs is None:
            return super().get_count(queryset)
        filters = tuple(pair for pair in pairs if pair[0] != "ordering")
        key = (request.path, filters, step)
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


class PublicViewSet(PublicResponseMixin, viewsets.ReadOnlyModelViewSet):
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
