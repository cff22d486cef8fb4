"""
The classes the API's settings name (filter backend, pagination), kept apart
from anything that imports DRF's views, so that DRF can import them while it defines its
own views. The schema class is in ``tracker.lib.api_schema``.

Strictness is a feature for researchers: a misspelt parameter, a bad date, an unknown
choice or a parameter given twice answers 400 naming the parameter, instead of silently
returning everything (or silently using only one of the two values).

Numbers are ASCII digits and nothing else (``limit=１``, ``١``, ``1_0``, `` 1``, ``+1`` and
``1.0``, which Python's int() or Django's forms would take, are 400s), and every typed
parameter (not free text) is ASCII with no spaces around it, and a date is YYYY-MM-DD, as
the schema says.
An aware date-time that cannot be converted to UTC within years 1–9999 is a 400 too, before
any query runs (the CSV downloads validate everything before their first byte).

Nothing a client sends is copied into a successful answer: the ``next`` and ``previous``
links are built from the path and the validated values, not from the request's address
(responses pass through a redactor of withheld names, so an echoed guess, such as the
ignored first ``q`` of ``q=<guess>&q=``, would be redacted exactly when it is a withheld
spelling, which would tell the guesser).
"""

import datetime
import re
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# Messages in the request's language (tracker.lib.errors.PublicLanguageMiddleware).
REPEATED = _("Give this parameter once.")
WHOLE_NUMBER = _("Enter a whole number in ASCII digits (0-9).")
TYPED_TEXT = _("Enter the value in the documented format: ASCII, with no spaces around it.")
OUT_OF_RANGE = _("Enter a date and time that falls within the years 1 to 9999 in UTC.")
EMPTY = _("Give a value, or leave the parameter out.")
# What a whole-number parameter may be; the schema says the same ("pattern").
DIGITS = re.compile(r"[0-9]+")
DIGITS_PATTERN = "^[0-9]+$"
# What a date parameter may be (the schema's "format: date"); Django's DateField would also
# read 10/25/2006 and "Oct 25 2006".
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NOT_A_DAY = _("Enter a date as YYYY-MM-DD.")
MAX_DIGITS = 19  # 2**63 - 1 has 19 digits
# The request attribute where StrictFilterBackend keeps the validated (name, value) pairs.
VALIDATED_QUERY = "_validated_query"


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error, not "no filter"."""

    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).lower()
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


def whole_number(text) -> int:
    """
    ASCII digits as an int, or ValueError. Python's int() would also take "１", "١",
    "1_0" and " 1"; Django's IntegerField "1.0" too.
    """
    text = str(text)
    if not DIGITS.fullmatch(text):
        raise ValueError(WHOLE_NUMBER)
    significant = text.lstrip("0") or "0"
    if len(significant) > MAX_DIGITS:
        return MAX_ID + 1  # too big, however long: the caller's maximum says so
    return int(significant)


class StrictIntegerField(forms.IntegerField):
    """A whole number in ASCII digits (see ``whole_number``); the bounds as usual."""

    default_error_messages = {"invalid": WHOLE_NUMBER}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return whole_number(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(
    {"type": "integer", "minimum": 1, "maximum": MAX_ID, "pattern": DIGITS_PATTERN}
)
class IdFilter(filters.NumberFilter):
    """A record id: a whole number from 1 (a float or a huge number is a 400, not a 500)."""

    field_class = StrictIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(
    {"type": "integer", "minimum": 0, "maximum": 2**31 - 1, "pattern": DIGITS_PATTERN}
)
class CountFilter(filters.NumberFilter):
    """A whole number from 0, e.g. months of a sentence."""

    field_class = StrictIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class ChoicesFilter(filters.MultipleChoiceFilter):
    """
    Any of several choices of a column of the record itself (``status=a&status=b``). No
    join can repeat a row, so no ``SELECT DISTINCT``: django-filter's default adds one
    over every column, which PostgreSQL sorts or hashes for the page and again for the
    COUNT of every page.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class StrictFilterBackend(filters.DjangoFilterBackend):
    """
    django-filter, plus a 400 for any query parameter the endpoint does not know, for one
    given twice that is not a list, and for a typed parameter given without a value
    (``decided_before=``), which would otherwise be silently ignored. The validated values
    are kept on the request for the pagination's links (see ``validated_query``).
    """

    always_allowed = frozenset({"limit", "offset", "format", "lang"})

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        check_parameters(request.query_params, filterset_class, self.always_allowed)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            setattr(request, VALIDATED_QUERY, [])
            return queryset
        validate_filterset(filterset)
        setattr(request, VALIDATED_QUERY, validated_query(filterset))
        return filterset.qs


def validate_filterset(filterset) -> None:
    """
    400 (ValidationError) unless the filterset is valid and each date-time it holds can be
    converted to UTC (``9999-12-31T23:59:59-23:59`` cannot; the database adapter would
    fail on it mid-query).
    """
    if filterset.is_valid():
        for name, value in list(filterset.form.cleaned_data.items()):
            if not _fits_utc(value):
                filterset.form.add_error(name, OUT_OF_RANGE)
    if filterset.form.errors:
        raise ValidationError(filter_errors(filterset))


def _fits_utc(value) -> bool:
    if isinstance(value, slice):
        return _fits_utc(value.start) and _fits_utc(value.stop)
    if isinstance(value, list | tuple):
        return all(_fits_utc(item) for item in value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        try:
            value.astimezone(datetime.UTC)
        except OverflowError:
            return False
    return True


def filter_errors(filterset) -> dict[str, list[str]]:
    """
    The filterset's errors by parameter, never quoting what the client sent: a message that
    would repeat the value (Django's "Select a valid choice. X is not one of …") says so
    without it, so that no response body echoes a request parameter.
    """
    errors = {}
    for name, field_errors in filterset.form.errors.as_data().items():
        data = filterset.data
        sent = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        sent = [str(value) for value in sent if value]
        messages = []
        for error in field_errors:
            message = " ".join(error.messages)
            if any(value in message for value in sent):
                message = ECHO_FREE.get(error.code, ENTER_A_VALID_VALUE)
            messages.append(message)
        errors[name] = messages
    return errors


# Django's words (its catalogues translate them).
ENTER_A_VALID_VALUE = _("Enter a valid value.")
ECHO_FREE = {
    "invalid_choice": _("Select one of the documented choices."),
    "invalid_list": _("Enter a list of values."),
}


def unknown_parameter(allowed: str) -> str:
    """The 400's message for a parameter the endpoint does not take, listing those it does."""
    return gettext("Unknown parameter. This endpoint accepts: %(allowed)s.") % {"allowed": allowed}


def is_list_filter(filter_) -> bool:
    """Whether the filter takes its parameter repeated (``status=a&status=b``): whether its
    widget reads a list, as django-filter's MultipleChoiceFilter's does."""
    widget = filter_.extra.get("widget") or filter_.field_class.widget
    widget_class = widget if isinstance(widget, type) else type(widget)
    return bool(getattr(widget_class, "allow_multiple_selected", False)) or issubclass(
        widget_class, QueryArrayWidget | forms.MultipleHiddenInput
    )


def reject_repeated(query_params, lists=frozenset()) -> None:
    """400 (ValidationError) for a parameter given more than once, unless it is a list."""
    repeated = sorted(
        name for name, values in query_params.lists() if len(values) > 1 and name not in lists
    )
    if repeated:
        raise ValidationError({name: [REPEATED] for name in repeated})


def check_parameters(query_params, filterset_class, allowed_extra=frozenset()) -> None:
    """
    400 (ValidationError) for unknown parameters, for a parameter given twice that is not a
    list, for typed parameters left empty, and for typed parameters that are not ASCII or
    have spaces around them (Django's forms would strip the spaces and read "２０２０" as
    2020). ``query_params`` is a QueryDict (all values).
    """
    known = dict(filterset_class.base_filters) if filterset_class else {}
    unknown = sorted(set(query_params) - set(known) - set(allowed_extra))
    if unknown:
        allowed = ", ".join(sorted(set(known) | set(allowed_extra)))
        message = unknown_parameter(allowed)
        raise ValidationError({name: [message] for name in unknown})
    reject_repeated(query_params, {name for name, f in known.items() if is_list_filter(f)})
    empty = sorted(
        name
        for name, values in query_params.lists()
        if name in known
        and not isinstance(known[name], filters.CharFilter | filters.OrderingFilter)
        and any(value == "" for value in values)
    )
    if empty:
        raise ValidationError({name: [EMPTY] for name in empty})
    loose = sorted(
        name
        for name, values in query_params.lists()
        if name in known
        and not isinstance(known[name], filters.CharFilter)
        and any(not _typed_text(value) for value in values)
    )
    if loose:
        raise ValidationError({name: [TYPED_TEXT] for name in loose})
    not_days = sorted(
        name
        for name, values in query_params.lists()
        if isinstance(known.get(name), filters.DateFilter)
        and any(value and not DAY.fullmatch(value) for value in values)
    )
    if not_days:
        raise ValidationError({name: [NOT_A_DAY] for name in not_days})


def _typed_text(value: str) -> bool:
    return value.isascii() and value == value.strip() and value.isprintable()


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def validated_query(filterset) -> list[tuple[str, str]]:
    """
    The (name, value) pairs of a valid filterset's parameters, in the filterset's order,
    each re-encoded from its cleaned value (dates, numbers and true/false in their
    canonical form); a parameter left out or empty is left out.
    """
    pairs = []
    data = filterset.form.cleaned_data
    for name, filter_ in filterset.filters.items():
        value = data.get(name)
        if value is None or (value == "" or value == [] or value == ()):
            continue
        if is_list_filter(filter_):
            pairs += [(name, _as_text(item)) for item in value]
        elif isinstance(value, list | tuple):  # a comma-separated filter, e.g. ordering
            pairs.append((name, ",".join(_as_text(item) for item in value)))
        else:
            pairs.append((name, _as_text(value)))
    return pairs


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """limit (default 50, at most 500) and offset; anything else is a 400, not the default."""

    default_limit = 50
    max_limit = 500

    def _strict(self, request, name, minimum, maximum=2**63 - 1):
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1:
            raise ValidationError({name: [REPEATED]})
        try:
            value = whole_number(values[0])
        except ValueError:
            raise ValidationError({name: [WHOLE_NUMBER]}) from None
        if value < minimum:
            message = gettext("Must be at least %(minimum)s.") % {"minimum": minimum}
            raise ValidationError({name: [message]})
        if value > maximum:
            message = gettext("Must be at most %(maximum)s.") % {"maximum": maximum}
            raise ValidationError({name: [message]})
        return value

    def get_limit(self, request):
        limit = self._strict(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return self._strict(request, self.offset_query_param, 0) or 0

    def _link(self, offset: int) -> str:
        """
        An absolute link to the page at ``offset``: the path, the filter parameters as
        validated by the filter backend (``validated_query``), the format that was served,
        then limit and offset as whole numbers. Nothing is copied from the request's query.
        """
        request = self.request
        pairs = list(getattr(request, VALIDATED_QUERY, None) or [])
        renderer = getattr(request, "accepted_renderer", None)
        if "format" in request.query_params and renderer is not None:
            pairs.append(("format", renderer.format))
        language = getattr(request, "data_language", None)  # tracker.lib.api.REQUEST_LANGUAGE
        if "lang" in request.query_params and language is not None:
            pairs.append(("lang", language))
        pairs.append((self.limit_query_param, int(self.limit)))
        if offset > 0:
            pairs.append((self.offset_query_param, int(offset)))
        return request.build_absolute_uri(f"{request.path}?{urlencode(pairs)}")

    def get_next_link(self):
        if self.offset + self.limit >= self.count:
            return None
        return self._link(self.offset + self.limit)

    def get_previous_link(self):
        if self.offset <= 0:
            return None
        return self._link(max(self.offset - self.limit, 0))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_limit, "pattern": DIGITS_PATTERN}
                )
                parameter["description"] = (
                    f"Rows per page: default {self.default_limit}, at most {self.max_limit}."
                )
            if parameter["name"] == self.offset_query_param:
                parameter["schema"].update(
                    {"minimum": 0, "maximum": 2**63 - 1, "pattern": DIGITS_PATTERN}
                )
        return parameters


class StableOrderingFilter(filters.OrderingFilter):
    """``ordering`` with the primary key as the last tie-breaker, so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs
