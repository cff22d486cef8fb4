"""
The public rule as the editorial side states it: which fields of a withheld person's
records are masked and how, which rows name a person, which models sources cite.

The edition's writer (``prisoners.edition_writer``) applies these when it writes the
published edition; the admin's download shows editors the public's masks with ``masks``;
the edition's generator (``prisoners.edition_schema``) writes each table's masked fields
into ``edition.models`` (``withheld_masks``), so that the public surfaces, which import
nothing editorial, know them. ``prisoners.public`` is the public side's door.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.db.models import Case, CharField, F, Model, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from sources.models import Citation
from tracker.lib.editorial import EditorialState

from .models import Detention, Person, PersonIdentifier, PersonName, Recognition
from .public import owner_path

PUBLISHED = EditorialState.PUBLISHED

# Rows that name a person: never public while that person's name is withheld.
IDENTIFYING = (PersonName, PersonIdentifier)

# The two masks: a partial date's year alone, or nothing.
YEAR = "year"
EMPTY = "empty"

# Structured fields of a withheld person's records that could identify them: the birth
# date as its year alone, no employer or party, no photo, no statement URL (typically a
# slug of the name), no case number or defence counsel. Their descriptor, gender, birth
# year, country, region, occupation, custody record (dates, places, charges, facilities,
# decisions, releases), recognitions and events stay public, so that researchers can
# still count and compare; free texts (biography, notes) stay too, with every mention of
# the name redacted (``prisoners.redaction``).
WITHHELD_MASKS = {
    Person: {"birth_date": YEAR, "affiliation": EMPTY, "photo_url": EMPTY},
    Recognition: {"statement_url": EMPTY},
    Detention: {"case_number": EMPTY, "defence_counsel": EMPTY},
}


def masked(kind: str, value):
    """A value as the public sees it under the mask ``kind``."""
    return (value or "")[:4] if kind == YEAR else ""


def _expression(kind: str, field: str):
    if kind == YEAR:
        return Substr(field, 1, 4, output_field=CharField())
    return Value("", output_field=CharField())


def masks(model: type[Model]) -> dict:
    """
    The ``public_<field>`` annotations of WITHHELD_MASKS for ``model``: the field, or its
    mask where the person's name is withheld (for a reader that shows rows the public
    does not see, such as the admin's download, with the public's masks).
    """
    kinds = WITHHELD_MASKS.get(model, {})
    if not kinds:
        return {}
    path = owner_path(model)
    withheld = Q(**{f"{path}__name_withheld" if path else "name_withheld": True})
    return {
        f"public_{field}": Case(
            When(withheld, then=_expression(kind, field)),
            default=F(field),
            output_field=CharField(),
        )
        for field, kind in kinds.items()
    }


def published_own_state(queryset: QuerySet) -> QuerySet:
    """
    Rows whose own state is published, whatever their parents: for what is derived onto
    the parent itself (a person's status from their published detentions, computed
    before the person is published so that it is right the moment they are).
    """
    return queryset.filter(state=PUBLISHED)


@cache
def cited_models() -> tuple[type[Model], ...]:
    """Every editorial model that sources can cite (it has a ``citations`` relation)."""
    return tuple(
        model
        for model in apps.get_models()
        if model._meta.app_label != "edition"
        and any(
            isinstance(field, GenericRelation) and field.related_model is Citation
            for field in model._meta.private_fields
        )
    )


@cache
def editorial(model: type[Model]) -> type[Model]:
    """
    The editorial model of an edition's table (the model itself if it is editorial): the
    public files' columns are declared on the edition's tables; the admin's download and
    the data package's loader read and write the editorial rows of the same name.
    """
    if model._meta.app_label != "edition":
        return model
    for candidate in apps.get_models():
        if candidate._meta.app_label != "edition" and candidate.__name__ == model.__name__:
            return candidate
    raise LookupError(f"No editorial model for the edition's {model.__name__}")
