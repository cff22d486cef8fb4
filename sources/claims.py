"""
What sources claim about a record, field by field, and where they disagree.

A citation with a ``field`` and a ``stated_value`` is a claim. Whether two claims can both
be true depends on the field:

- partial dates: their spans overlap ("2020-06" and "2020-06-25" agree; "2020-10-16" and
  "2020-10-19" do not);
- numbers, booleans and choices: they are equal;
- free text (descriptions, occupations): never flagged automatically, since two sources
  can describe the same person differently and both be right.

A field is in conflict when two of its claims cannot both be true. The stored value is
then what all sources agree on (e.g. the month) or empty; nothing is resolved silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from tracker.lib.editorial import CitedModel
from tracker.lib.partial_dates import PartialDateField, parse_partial_date

# What no source states: the workflow's bookkeeping and the editors' own notes.
NOT_CITED = frozenset({"state", "created_at", "updated_at", "editors_notes"})

_EXACT_FIELDS = (
    models.IntegerField,
    models.BigIntegerField,
    models.DecimalField,
    models.FloatField,
    models.BooleanField,
    models.ForeignKey,
)


def citable_fields(model: type[models.Model]) -> list[models.Field]:
    """
    The fields of ``model`` a citation may name: stored, editable by editors, not
    bookkeeping (``NOT_CITED``). Derived columns (search keys, the status, generated
    bounds) and the id are not offered.
    """
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in NOT_CITED
    ]


def cited_models() -> list[type[models.Model]]:
    """The kinds of record sources cite (``CitedModel``), by their name."""
    found = [model for model in apps.get_models() if issubclass(model, CitedModel)]
    return sorted(found, key=lambda model: str(model._meta.verbose_name))


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A field's name as editors read it: its verbose name, in the active language."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (AttributeError, FieldDoesNotExist):
        return name


def _span(value: str):
    try:
        return parse_partial_date(value)
    except ValidationError:
        return None


def compatible(model_field: models.Field, a: str, b: str) -> bool | None:
    """Whether two stated values can both be true; None when it cannot be told."""
    if isinstance(model_field, PartialDateField):
        span_a, span_b = _span(a), _span(b)
        if span_a is None or span_b is None:
            return None
        return span_a.earliest <= span_b.latest and span_b.earliest <= span_a.latest
    if isinstance(model_field, _EXACT_FIELDS) or model_field.choices:
        return a.strip().lower() == b.strip().lower()
    return None


def supports_stored(model_field: models.Field, stored: str, stated: str) -> bool:
    """Whether a stated value supports the stored one (a more precise date does)."""
    if isinstance(model_field, PartialDateField):
        return bool(compatible(model_field, stored, stated))
    if isinstance(model_field, _EXACT_FIELDS) or model_field.choices:
        return stored.strip().lower() == stated.strip().lower()
    return stated.strip().lower() in stored.strip().lower()


def stored_text(record: models.Model, field_name: str) -> str:
    model_field = record._meta.get_field(field_name)
    value = getattr(record, model_field.attname)
    return "" if value is None else model_field.value_to_string(record)


@dataclass
class FieldClaims:
    field_name: str
    stored: str
    claims: dict[str, list] = dataclass_field(default_factory=dict)  # stated value -> citations

    @property
    def in_conflict(self) -> bool:
        return bool(self.conflicting_values)

    @property
    def conflicting_values(self) -> list[str]:
        """The stated values that some other stated value contradicts."""
        values = list(self.claims)
        return [
            a
            for a in values
            if any(compatible(self._model_field, a, b) is False for b in values if b != a)
        ]

    _model_field: models.Field | None = None


def claims_by_field(record: models.Model, citations=None) -> dict[str, FieldClaims]:
    """Group the record's field citations by field and by the value each source states."""
    if citations is None:
        citations = record.citations.select_related("source")
    grouped: dict[str, FieldClaims] = {}
    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for citation in citations:
        if citation.field and citation.stated_value:
            values[citation.field][citation.stated_value].append(citation)
    for field_name, by_value in values.items():
        claims = FieldClaims(field_name, stored_text(record, field_name), dict(by_value))
        claims._model_field = record._meta.get_field(field_name)
        grouped[field_name] = claims
    return grouped


def conflicts(record: models.Model, citations=None) -> dict[str, FieldClaims]:
    """Only the fields whose sources contradict each other."""
    return {
        name: claims
        for name, claims in claims_by_field(record, citations).items()
        if claims.in_conflict
    }
