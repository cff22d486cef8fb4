"""
The list of people filters with the API's own FilterSet (``PersonFilterSet``): the same
parameters, the same meaning, the same validation, so that a list's URL, its CSV download
and its API query are one query. Only the form a reader fills in differs: the facility,
the article and the recognising organisation are chosen from the public records (so an
id or a number that is not public is "not one of the choices", exactly like one that does
not exist), statuses are checkboxes and dates are date fields.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from prisoners.choices import ReleaseKind
from prisoners.filtersets import PersonFilterSet
from prisoners.redaction import Redactor
from tracker.lib.api import REQUEST_LANGUAGE
from tracker.lib.api_plumbing import check_parameters, validate_filterset, validated_query
from tracker.lib.languages import active_language

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
DATES = ("detained_after", "detained_before", "released_after", "released_before")


class PublicChoiceField(forms.TypedChoiceField):
    """A choice among public records; anything else is "not one of the choices"."""

    default_error_messages = {"invalid_choice": _("Choose one of the listed values.")}


def _article_choices(redactor: Redactor):
    choices = {}
    for number, title in redactor.data(selectors.article_titles()):
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
        # The choices' labels are texts of records like any other: redacted.
        redactor = Redactor.from_database()
        fields["facility"] = PublicChoiceField(
            choices=anything + redactor.data(selectors.facility_choices()),
            coerce=int,
            required=False,
        )
        fields["article"] = PublicChoiceField(
            choices=anything + _article_choices(redactor), required=False
        )
        fields["recognized_by"] = PublicChoiceField(
            choices=anything + redactor.data(selectors.organisation_choices()), required=False
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
            fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for name in ("term_min_months", "term_max_months"):
            fields[name].widget = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
        fields["q"].widget = forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
        for name, field in fields.items():
            field.label = LABELS.get(name, field.label)
            # The API's help texts are for programmers (and in English): the labels say it.
            field.help_text = ""


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
    try:
        check_parameters(query, SitePersonFilterSet)
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
