"""
What the public may see: the published edition, and the one door every public read uses.

The rule (published, every record it depends on public, nothing that identifies a person
whose name is withheld, masks and redaction) is applied once, when something is
published, by ``prisoners.edition_writer``, which writes the result into the edition's
tables (``edition.models``). This module reads those tables only, never an editorial
one: ``rows(Model)`` for a queryset, ``ids(Model)`` for an id subquery (a filter on an id
that is not public matches nothing, exactly like a missing id), ``citations_of`` for the
citations of records already read, ``reference`` for an optional link, ``last_change``
for the time of the latest publication. ``Model`` may be the editorial model or the
edition's: the edition's table of the same name is read.

``owner_path``, ``masks`` and ``published_own_state`` describe the rule for editorial
readers (the admin's download shows editors the public's masks; a person's editorial
status is derived from their published records) and read no table themselves.

``tests/test_public_rule.py`` builds every model in every non-public situation and checks
every public surface; ``tests/test_edition.py`` records the SQL of every public surface
and fails on any editorial or history table.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.db.models import (
    Case,
    CharField,
    F,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Substr

from sources.models import Citation
from tracker.lib.editorial import EditorialState

from .models import Detention, Person, PersonIdentifier, PersonName, Recognition

PUBLISHED = EditorialState.PUBLISHED

# Rows that name a person: never public while that person's name is withheld.
IDENTIFYING = (PersonName, PersonIdentifier)

# Structured fields of a withheld person's records that could identify them: shown as
# the value given here, under the name ``public_<field>``: the birth date as its year
# alone, no employer or party, no photo, no statement URL (typically a slug of the name),
# no case number or defence counsel. Their descriptor, gender, birth year, country,
# region, occupation, custody record (dates, places, charges, facilities, decisions,
# releases), recognitions and events stay public, so that researchers can still count
# and compare; free texts (biography, notes) stay too, with every mention of the name
# redacted (``prisoners.redaction``).
_EMPTY = Value("", output_field=CharField())
WITHHELD_MASKS = {
    Person: {
        "birth_date": Substr("birth_date", 1, 4, output_field=CharField()),
        "affiliation": _EMPTY,
        "photo_url": _EMPTY,
    },
    Recognition: {"statement_url": _EMPTY},
    Detention: {"case_number": _EMPTY, "defence_counsel": _EMPTY},
}


def _related_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


@cache
def owner_path(model: type[Model]) -> str | None:
    """The path from ``model`` to the person it belongs to ("" for Person), or None."""
    if model is Person:
        return ""
    for parent in getattr(model, "public_parents", ()):
        above = owner_path(_related_model(model, parent))
        if above is not None:
            return f"{parent}__{above}" if above else parent
    return None


def _join(prefix: str, lookup: str) -> str:
    return f"{prefix}__{lookup}" if prefix else lookup


def _masks(model: type[Model]) -> dict:
    masks = WITHHELD_MASKS.get(model, {})
    if not masks:
        return {}
    withheld = Q(**{_join(owner_path(model), "name_withheld"): True})  # editorial rows
    return {
        f"public_{field}": Case(
            When(withheld, then=mask), default=F(field), output_field=CharField()
        )
        for field, mask in masks.items()
    }


def masks(model: type[Model]) -> dict:
    """
    The ``public_<field>`` annotations of WITHHELD_MASKS for ``model``: the field, or its
    mask where the person's name is withheld (for a reader that shows rows the public
    does not see, such as the admin's download, with the public's masks).
    """
    return _masks(model)


def _edition(model: type[Model]) -> type[Model]:
    """The edition's table of ``model`` (an editorial model, or the edition's own)."""
    if model._meta.app_label == "edition":
        return model
    return apps.get_model("edition", model.__name__)


def rows(model: type[Model]) -> QuerySet:
    """
    The public rows of ``model``: the edition's table, which holds nothing else. Each
    masked field is also read as ``public_<field>`` and each optional link as
    ``public_<link>_id`` (the edition wrote them masked and cleared already).
    """
    annotations = {f"public_{field}": F(field) for field in WITHHELD_MASKS.get(model, {})}
    for field in getattr(model, "public_references", ()):
        annotations[f"public_{field}_id"] = F(f"{field}_id")
    queryset = _edition(model)._default_manager.all()
    return queryset.annotate(**annotations) if annotations else queryset


def ids(model: type[Model]) -> QuerySet:
    """The ids of the public rows of ``model``, as a subquery."""
    return _edition(model)._default_manager.values("pk")


def _cited_rows(model: type[Model]) -> QuerySet:
    path = owner_path(model)
    queryset = _edition(model)._default_manager.all()
    if path is None:
        return queryset
    return queryset.exclude(**{_join(path, "name_withheld"): True})


def cited(model: type[Model]) -> QuerySet:
    """Ids of the public rows of ``model`` whose citations may be public (rule 3)."""
    return _cited_rows(model).values("pk")


def reference(model: type[Model], field: str, prefix: str = "") -> F:
    """The id an optional link ``field`` of ``model`` points to (None if not public)."""
    return F(_join(prefix, f"{field}_id"))


def reference_is_public(model: type[Model], field: str) -> Q:
    """A condition that the optional link ``field`` of ``model`` points to a public record."""
    return Q(**{f"{field}__isnull": False})


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


def citations() -> QuerySet:
    """Every public citation."""
    return _edition(Citation)._default_manager.all()


def citations_of_model(model: type[Model]) -> QuerySet:
    """The public citations of records of ``model``."""
    return citations().filter(record_type=model._meta.model_name)


def with_citations(model: type[Model]) -> QuerySet:
    """
    The public rows of ``model`` that have public citations, one per citation:
    ``citations__<field>`` in ``values()`` reads that citation.
    """
    return _edition(model)._default_manager.filter(citations__isnull=False)


def citations_of(records: list[Model]) -> QuerySet:
    """
    The public citations of these records (already read from public querysets), with
    their sources, in one query.
    """
    pks_by_type = defaultdict(set)
    for record in records:
        pks_by_type[type(record)._meta.model_name].add(record.pk)
    if not pks_by_type:
        return citations().none()
    cites = Q()
    for kind, pks in pks_by_type.items():
        cites |= Q(record_type=kind, object_id__in=pks)
    return citations().filter(cites).select_related("source")


def published_own_state(queryset: QuerySet) -> QuerySet:
    """
    Rows whose own state is published, whatever their parents: for what is derived onto
    the parent itself (a person's status from their published detentions, computed
    before the person is published so that it is right the moment they are).
    """
    return queryset.filter(state=PUBLISHED)


def last_step():
    """The latest publication of the edition (``edition.Step``), or None."""
    return apps.get_model("edition", "Step")._default_manager.order_by("-pk").first()


def last_change():
    """
    When the public edition last changed, as an aware datetime, or None for an empty
    one: the time of its latest publication step. Saving a draft, an editor's note or a
    relative's contact changes no step.
    """
    step = last_step()
    return step.at if step is not None else None
