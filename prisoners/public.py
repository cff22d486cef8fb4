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

It imports no editorial model (an import-linter contract says so): what the edition's
tables need to be read as the public reads them (their ``public_parents``,
``public_references`` and ``withheld_masks``) is written into their generated classes.
``prisoners.rule`` states the rule for the editorial side.

``tests/test_public_rule.py`` builds every model in every non-public situation and checks
every public surface; ``tests/test_edition.py`` records the SQL of every public surface
and fails on any editorial or history table.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.db.models import F, Model, Q, QuerySet


def _related_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


@cache
def owner_path(model: type[Model]) -> str | None:
    """
    The path from ``model`` to the person it belongs to ("" for a person), or None, through
    its ``public_parents``: the same for an editorial model and its edition's table, whose
    generated class carries the same ``public_parents``.
    """
    if model._meta.model_name == "person":
        return ""
    for parent in getattr(model, "public_parents", ()):
        above = owner_path(_related_model(model, parent))
        if above is not None:
            return f"{parent}__{above}" if above else parent
    return None


def _join(prefix: str, lookup: str) -> str:
    return f"{prefix}__{lookup}" if prefix else lookup


def withheld_masks(model: type[Model]) -> dict:
    """
    The fields of ``model`` that a withheld person's records show masked, with the mask's
    kind ("year" or "empty"): written into the edition's tables by their generator from
    ``prisoners.rule.WITHHELD_MASKS``.
    """
    return getattr(table(model), "withheld_masks", {})


def table(model: type[Model]) -> type[Model]:
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
    rows_of = table(model)
    annotations = {f"public_{field}": F(field) for field in withheld_masks(rows_of)}
    for field in getattr(rows_of, "public_references", ()):
        annotations[f"public_{field}_id"] = F(f"{field}_id")
    queryset = rows_of._default_manager.all()
    return queryset.annotate(**annotations) if annotations else queryset


def ids(model: type[Model]) -> QuerySet:
    """The ids of the public rows of ``model``, as a subquery."""
    return table(model)._default_manager.values("pk")


def _cited_rows(model: type[Model]) -> QuerySet:
    rows_of = table(model)
    path = owner_path(rows_of)
    queryset = rows_of._default_manager.all()
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
    """
    The edition's tables that sources can cite: a citation links the record it cites by a
    foreign key named after its kind (its ``source`` is the citing source, not a record).
    """
    citation = apps.get_model("edition", "Citation")
    return tuple(
        field.related_model
        for field in citation._meta.get_fields()
        if field.many_to_one
        and field.name != "source"
        and field.remote_field.related_name == "citations"
    )


def citations() -> QuerySet:
    """Every public citation."""
    return apps.get_model("edition", "Citation")._default_manager.all()


def citations_of_model(model: type[Model]) -> QuerySet:
    """The public citations of records of ``model``."""
    return citations().filter(record_type=model._meta.model_name)


def with_citations(model: type[Model]) -> QuerySet:
    """
    The public rows of ``model`` that have public citations, one per citation:
    ``citations__<field>`` in ``values()`` reads that citation.
    """
    return table(model)._default_manager.filter(citations__isnull=False)


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
