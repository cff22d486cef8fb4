"""
FilterSet building blocks that know no app: partial-date bounds and conditions on one
related record that apply together.

A filter bound matches a record whose date *can* fall within it: ``…_after=D`` means the
latest possible day is on or after D, ``…_before=D`` that the earliest is on or before D.
"""

from django.db.models import Q
from django_filters import rest_framework as filters


def date_after(field: str, value) -> Q:
    return Q(**{f"{field}_latest__gte": value})


def date_before(field: str, value) -> Q:
    return Q(**{f"{field}_earliest__lte": value})


def date_range(data, field: str, after: str, before: str) -> list[Q]:
    """Conditions for a pair of ``…_after`` / ``…_before`` parameters on a partial date."""
    conditions = []
    if data.get(after):
        conditions.append(date_after(field, data[after]))
    if data.get(before):
        conditions.append(date_before(field, data[before]))
    return conditions


def applied_together(queryset, name, value):
    """Marker for filters applied together in filter_queryset."""
    return queryset


class GroupedFilterSet(filters.FilterSet):
    """A FilterSet whose date and kind conditions on one related record apply together."""

    def grouped_conditions(self, data) -> list[Q]:
        return []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for condition in self.grouped_conditions(self.form.cleaned_data):
            queryset = queryset.filter(condition)
        return queryset


def given(data, *names):
    return {name: data.get(name) for name in names if data.get(name) not in (None, "", [])}
