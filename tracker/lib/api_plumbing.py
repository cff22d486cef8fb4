"""
The classes the API's settings name (filter backend, pagination, throttle), kept apart
from anything that imports DRF's views, so that DRF can import them while it defines its
own views. The schema class is in ``tracker.lib.api_schema``.

Strictness is a feature for researchers: a misspelt parameter, a bad date or an unknown
choice answers 400 naming the parameter, instead of silently returning everything.
"""

from django import forms
from django.conf import settings
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
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


MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """A record id: a whole number from 1 (a float or a huge number is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 2**31 - 1})
class CountFilter(filters.NumberFilter):
    """A whole number from 0, e.g. months of a sentence."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class StrictFilterBackend(filters.DjangoFilterBackend):
    """
    django-filter, plus a 400 for any query parameter the endpoint does not know, and for
    a typed parameter given without a value (``decided_before=``), which would otherwise
    be silently ignored.
    """

    always_allowed = frozenset({"limit", "offset", "format"})

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        check_parameters(request.query_params, filterset_class, self.always_allowed)
        return super().filter_queryset(request, queryset, view)


def check_parameters(query_params, filterset_class, allowed_extra=frozenset()) -> None:
    """400 (ValidationError) for unknown parameters and for typed parameters left empty."""
    known = dict(filterset_class.base_filters) if filterset_class else {}
    unknown = sorted(set(query_params) - set(known) - set(allowed_extra))
    if unknown:
        allowed = ", ".join(sorted(set(known) | set(allowed_extra)))
        message = f"Unknown parameter. This endpoint accepts: {allowed}."
        raise ValidationError({name: [message] for name in unknown})
    empty = sorted(
        name
        for name, values in query_params.lists()
        if name in known
        and not isinstance(known[name], filters.CharFilter | filters.OrderingFilter)
        and any(value == "" for value in values)
    )
    if empty:
        message = "Give a value, or leave the parameter out."
        raise ValidationError({name: [message] for name in empty})


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """limit (default 50, at most 500) and offset; anything else is a 400, not the default."""

    default_limit = 50
    max_limit = 500

    def _strict(self, request, name, minimum, maximum=2**63 - 1):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({name: ["Enter a whole number."]}) from None
        if value < minimum:
            raise ValidationError({name: [f"Must be at least {minimum}."]})
        if value > maximum:
            raise ValidationError({name: [f"Must be at most {maximum}."]})
        return value

    def get_limit(self, request):
        limit = self._strict(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return self._strict(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_limit})
                parameter["description"] = (
                    f"Rows per page: default {self.default_limit}, at most {self.max_limit}."
                )
            if parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0, "maximum": 2**63 - 1})
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
