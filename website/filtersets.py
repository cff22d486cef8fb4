"""
The list of people filters with the API's own FilterSet (``PersonFilterSet``): the same
parameters, the same meaning, the same validation, so that a list's URL, its CSV download
and its API query are one query. Only the form a reader fills in differs: the facility,
the article and the recognising organisation are chosen from the public records (so an
id or a number that is not public is "not one of the choices", exactly like one that does
not exist), statuses are checkboxes, and dates are text written as the reader writes
them (``ReaderDateField``), not the browser's date picker. And the list is sorted by
the name it shows, in the reader's script and their language's collation
(``selectors.by_shown_name``): by default (after the best match when searching) and when
sorted by ``name``.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError as FormError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from prisoners.choices import ReleaseKind
from prisoners.filtersets import PersonFilterSet
from tracker.lib.api import REQUEST_LANGUAGE
from tracker.lib.api_plumbing import check_parameters, validate_filterset, validated_query
from tracker.lib.languages import active_language
from tracker.lib.partial_dates import (
    PARTIAL_DATE_RE,
    format_partial_date,
    parse_partial_date,
    read_partial_date,
)

from . import selectors

# The site's own parameter beside the filters: the page of the list.
PAGE = "page"
# What the reader may sort by (the API's ``ordering`` values), with their labels.
ORDERINGS = (
    ("", _("name (or best match when searching)")),
    ("-updated_at", _("recently updated")),
    ("status", _("status")),
)
LABELS = {
    "q": _("Name, in any spelling"),
    "status": _("Status"),
    "gender": _("Gender"),
    "region": _("Region"),
    "facility": _("Held at some time in"),
    "article": _("Charged under article"),
    "recognized_by": _("Recognised as a political prisoner by"),
    "detained_after": _("Detained on or after"),
    "detained_before": _("Detained on or before"),
    "released_after": _("Released on or after"),
    "released_before": _("Released on or before"),
    "release_kind": _("Kind of release"),
    "sentenced": _("Sentenced"),
    "term_min_months": _("Sentence of at least (months)"),
    "term_max_months": _("Sentence of at most (months)"),
    "updated_since": _("Changed since"),
    "ordering": _("Sort by"),
}
DATE_FORMS = _("Write a date as 25.06.2020, 06.2020 or 2020.")
DATE_HINT = _("For example: 25.06.2020, 06.2020 or 2020")
DATES = ("detained_after", "detained_before", "released_after", "released_before")
# The filters whose month or year means its last day ("detained on or before June 2020").
UNTIL = ("detained_before", "released_before")


def reader_day(text: str, *, last: bool) -> datetime.date | None:
    """
    The day a date written as people write it stands for in a filter: the stored forms
    and those of ``read_partial_date`` (25.06.2020, 06.2020, June 2020, чэрвень 2020,
    2020, 2020-06-25…); a month or a year is its first day, or with ``last`` its last.
    None for nothing written; FormError, never quoting the text, for anything else.
    """
    try:
        stored = read_partial_date(text)
    except FormError:
        raise FormError(DATE_FORMS, code="invalid_date") from None
    parsed = parse_partial_date(stored)
    if parsed is None:
        return None
    return parsed.latest if last else parsed.earliest


def as_day(name: str, text: str) -> str:
    """A date parameter as the API's day (``2020-06-30``), or the text itself when it is
    not a date (the form then says so next to the field)."""
    try:
        day = reader_day(text, last=name in UNTIL)
    except FormError:
        return text
    return day.isoformat() if day else text


class ReaderDateField(forms.Field):
    """A filter's day, typed and shown as the reader writes dates (see ``reader_day``):
    shown back in the page's language ("1 чэрвеня 2020"), never as mm/dd/yyyy."""

    widget = forms.TextInput

    def __init__(self, *, last: bool, **kwargs):
        self.last = last
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if len(text) > 40:  # "25 кастрычніка 2020" and then some
            raise FormError(DATE_FORMS, code="invalid_date")
        return reader_day(text, last=self.last)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if isinstance(value, str) and PARTIAL_DATE_RE.match(value):
            return format_partial_date(value)
        return value


class PublicChoiceField(forms.TypedChoiceField):
    """A choice among public records; anything else is "not one of the choices"."""

    default_error_messages = {"invalid_choice": _("Choose one of the listed values.")}


def _article_choices():
    choices = {}
    for number, title in selectors.article_titles():
        choices.setdefault(number, f"{number} — {title}" if title else number)
    return sorted(choices.items(), key=lambda item: _article_key(item[0]))


def _article_key(number: str):
    head = number.split("-")[0]
    digits = "".join(ch for ch in head if ch.isdigit())
    return (int(digits) if digits else 0, number)


class SitePersonFilterSet(PersonFilterSet):
    """``PersonFilterSet`` with a form for readers (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        anything = [("", _("any"))]
        fields["facility"] = PublicChoiceField(
            choices=anything + selectors.facility_choices(), coerce=int, required=False
        )
        fields["article"] = PublicChoiceField(choices=anything + _article_choices(), required=False)
        fields["recognized_by"] = PublicChoiceField(
            choices=anything + selectors.organisation_choices(), required=False
        )
        fields["status"].widget = forms.CheckboxSelectMultiple(choices=fields["status"].choices)
        fields["gender"].widget = forms.CheckboxSelectMultiple(choices=fields["gender"].choices)
        fields["release_kind"] = forms.ChoiceField(
            choices=anything + list(ReleaseKind.choices), required=False
        )
        fields["sentenced"].widget = forms.Select(
            choices=[("", _("any")), ("true", _("yes")), ("false", _("no"))]
        )
        for name in DATES:
            fields[name] = ReaderDateField(
                last=name in UNTIL,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
        for name in ("term_min_months", "term_max_months"):
            fields[name].widget = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
        fields["q"].widget = forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
        for name, field in fields.items():
            field.label = LABELS.get(name, field.label)
            # The API's help texts are for programmers (and in English): the labels say it.
            field.help_text = DATE_HINT if name in DATES else ""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = list(self.form.cleaned_data.get("ordering") or [])
        shown = selectors.by_shown_name()
        if ordering == ["name"]:
            return queryset.order_by(shown.asc(), "pk")
        if ordering == ["-name"]:
            return queryset.order_by(shown.desc(), "pk")
        if ordering:
            return queryset
        best = ("-search_score",) if "search_score" in queryset.query.annotations else ()
        return queryset.order_by(*best, shown, "pk")


class BadQuery(Exception):
    """A query the list cannot answer: the filter set whose form shows the errors, or
    ``unknown`` when the query has parameters the list does not take (or repeats one)."""

    def __init__(self, filterset=None, unknown: bool = False):
        super().__init__("bad query")
        self.filterset = filterset
        self.unknown = unknown


def filtered(data, queryset, request=None) -> tuple[SitePersonFilterSet, list]:
    """
    The filter set for these parameters, validated as the API validates them (unknown,
    repeated, empty or malformed parameters, values out of range: ``BadQuery``), and the
    validated (name, value) pairs that the list, its CSV and its API links are made of.
    """
    query = data.copy()
    query.pop(PAGE, None)
    # Dates are read by the form's own fields (ReaderDateField), in the reader's forms;
    # the API's check takes days only.
    checked = query.copy()
    for name in DATES:
        if len(checked.pop(name, [])) > 1:
            raise BadQuery(unknown=True)
    try:
        check_parameters(checked, SitePersonFilterSet)
    except ValidationError:
        raise BadQuery(unknown=True) from None
    # Labels the API's filters read (ordering by a name) are in the page's language.
    setattr(request, REQUEST_LANGUAGE, active_language())
    filterset = SitePersonFilterSet(data=query, queryset=queryset, request=request)
    try:
        validate_filterset(filterset)
    except ValidationError:
        _without_echo(filterset.form, query)
        raise BadQuery(filterset) from None
    return filterset, validated_query(filterset)


GENERIC_ERRORS = {
    "invalid_choice": _("Choose one of the listed values."),
    "invalid_list": _("Choose one of the listed values."),
}


def _without_echo(form, query) -> None:
    """
    The form's error messages, less any that repeats a value the reader sent (Django's
    "Select a valid choice. X is not one of the available choices."): the page says what
    is wrong next to the field, and never quotes the address back.
    """
    for name, errors in list(form.errors.as_data().items()):
        sent = [value for value in query.getlist(name) if value]
        messages = []
        for error in errors:
            message = " ".join(str(text) for text in error.messages)
            if any(value in message for value in sent):
                message = str(GENERIC_ERRORS.get(error.code, _("Enter a valid value.")))
            messages.append(message)
        form.errors[name] = form.error_class(messages)
