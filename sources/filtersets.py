"""FilterSets for sources, shared by the JSON API and the CSV exports."""

from django.db.models import Q
from django_filters import rest_framework as filters

from tracker.lib.api_plumbing import StableOrderingFilter
from tracker.lib.filters import GroupedFilterSet, applied_together, date_range

from .choices import SourceKind
from .models import Source


class SourceFilterSet(GroupedFilterSet):
    q = filters.CharFilter(method="filter_q", help_text="Title, publisher or author contains.")
    kind = filters.MultipleChoiceFilter(choices=SourceKind.choices)
    language = filters.CharFilter(lookup_expr="iexact")
    publisher = filters.CharFilter(lookup_expr="icontains")
    published_after = filters.DateFilter(method=applied_together)
    published_before = filters.DateFilter(method=applied_together)
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = StableOrderingFilter(
        fields=(("published_on_earliest", "published_on"), ("title", "title"), ("id", "id"))
    )

    class Meta:
        model = Source
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(publisher__icontains=value) | Q(author__icontains=value)
        )

    def grouped_conditions(self, data):
        return date_range(data, "published_on", "published_after", "published_before")
