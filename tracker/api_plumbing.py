"""
The classes the API's settings name (filter backend, pagination, throttle), kept apart
from anything that imports DRF's views, so that DRF can import them while it defines its
own views. The schema class is in ``tracker.api_schema``.

Strictness is a feature for researchers: a misspelt parameter, a bad date or an unknown
choice answers 400 naming the parameter, instead of silently returning everything.
"""

from django import forms
from django.conf import settings
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.throttling import AnonRateThrottle


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error, not "no filter"."""

    default_error_messages = {"invalid": "Enter true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in {"true", "1", "yes"}:
            return True
        if text in {"false", "0", "no"}:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    """A boolean filter that rejects "maybe" (django-filter's own widget turns it into None)."""

    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class StrictFilterBackend(filters.DjangoFilterBackend):
    """django-filter, plus a 400 for any query parameter the endpoint does not know."""

    always_allowed = frozenset({"limit", "offset", "format"})

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        unknown = sorted(set(request.query_params) - known - self.always_allowed)
        if unknown:
            allowed = ", ".join(sorted(known | self.always_allowed))
            raise ValidationError(
                {
                    name: [f"Unknown parameter. This endpoint accepts: {allowed}."]
                    for name in unknown
                }
            )
        return super().filter_queryset(request, queryset, view)


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """limit (default 50, at most 500) and offset; non-numbers are a 400, not the default."""

    default_limit = 50
    max_limit = 500

    def _strict(self, request, name, minimum):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({name: ["Enter a whole number."]}) from None
        if value < minimum:
            raise ValidationError({name: [f"Must be at least {minimum}."]})
        return value

    def get_limit(self, request):
        limit = self._strict(request, self.limit_query_param, 1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        return self._strict(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_limit})
                parameter["description"] = (
                    f"Rows per page: default {self.default_limit}, at most {self.max_limit} "
                    "(larger values are capped)."
                )
            if parameter["name"] == self.offset_query_param:
                parameter["schema"]["minimum"] = 0
        return parameters


class AnonymousRateThrottle(AnonRateThrottle):
    """Per-IP limit for anonymous readers, from settings.API_ANON_RATE (None: no limit)."""

    def get_rate(self):
        return settings.API_ANON_RATE


class StableOrderingFilter(filters.OrderingFilter):
    """``ordering`` with the primary key as the last tie-breaker, so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs
