"""
What the public may see: the one rule, and the only module that reads editorial state.

A row is public when

1. its own ``state`` is published (whole records and their parts alike: a name variant, a
   charge, a citation each wait for review on their own);
2. every record it depends on is public, recursively: each model names these in
   ``public_parents`` (a release needs its detention, which needs its person; a facility
   stay needs its detention and its facility; a recognition its person and organisation);
3. it does not identify a person whose name is withheld: such a person's name variants
   and identifiers are never public, nor any citation of any of their records (which
   sources hold on someone identifies them), and the fields in ``WITHHELD_MASKS`` are
   shown masked (see ``rows``);
4. for a citation, which can cite a record of any model: its source and the record it cites
   are public (rules 1–3 for that record's model).

Optional links (``public_references``: an event's facility, a figure's event) are shown
only when the record they point to is public; otherwise the public sees no link.

Every public read starts here: ``rows(Model)`` for a queryset, ``ids(Model)`` for an id
subquery (a filter on an id that is not public matches nothing, exactly like a missing
id), ``citations_of`` for the citations of records already read, ``reference`` for an
optional link. ``tests/test_public_rule.py`` builds every model in every non-public
situation and checks every public surface; ``tests/test_layers.py`` fails when code
outside this module filters on editorial state.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone

from sources.models import Citation
from tracker.lib.editorial import EditorialState, ReviewedModel

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


def condition(model: type[Model], prefix: str = "") -> Q:
    """
    Rules 1–3 for the rows of ``model``, as a condition on a queryset of the model that
    ``prefix`` leads to (``condition(Detention, "detention")`` on releases).
    """
    if model is Citation:
        return _citation_condition(prefix)
    q = Q()
    if issubclass(model, ReviewedModel):
        q &= Q(**{_join(prefix, "state"): PUBLISHED})
    for parent in model.public_parents:
        q &= condition(_related_model(model, parent), _join(prefix, parent))
    if model in IDENTIFYING:
        q &= Q(**{_join(prefix, _join(owner_path(model), "name_withheld")): False})
    return q


def _not_withheld(model: type[Model]) -> Q:
    path = owner_path(model)
    if path is None:
        return Q()
    return Q(**{_join(path, "name_withheld"): False})


def _masks(model: type[Model]) -> dict:
    masks = WITHHELD_MASKS.get(model, {})
    if not masks:
        return {}
    withheld = Q(**{_join(owner_path(model), "name_withheld"): True})
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


def rows(model: type[Model]) -> QuerySet:
    """
    The public rows of ``model``, annotated with the ``public_<field>`` masks of
    WITHHELD_MASKS and, for each optional link, ``public_<link>_id``: the linked id, or
    None when the linked record is not public.
    """
    annotations = _masks(model)
    for field in getattr(model, "public_references", ()):
        annotations[f"public_{field}_id"] = reference(model, field)
    queryset = model._default_manager.filter(condition(model))
    return queryset.annotate(**annotations) if annotations else queryset


def ids(model: type[Model]) -> QuerySet:
    """The ids of the public rows of ``model``, as a subquery."""
    return model._default_manager.filter(condition(model)).values("pk")


def cited(model: type[Model]) -> QuerySet:
    """Ids of the public rows of ``model`` whose citations may be public (rule 3)."""
    return model._default_manager.filter(condition(model), _not_withheld(model)).values("pk")


def reference(model: type[Model], field: str, prefix: str = "") -> Case:
    """The id an optional link ``field`` of ``model`` points to, or None if not public."""
    target = _related_model(model, field)
    return Case(
        When(
            Q(**{f"{_join(prefix, field)}__in": ids(target)}), then=F(_join(prefix, f"{field}_id"))
        ),
        default=None,
    )


def reference_is_public(model: type[Model], field: str) -> Q:
    """A condition that the optional link ``field`` of ``model`` points to a public record."""
    return Q(**{f"{field}__in": ids(_related_model(model, field))})


@cache
def cited_models() -> tuple[type[Model], ...]:
    """Every model that sources can cite (it has a ``citations`` generic relation)."""
    return tuple(
        model
        for model in apps.get_models()
        if any(
            isinstance(field, GenericRelation) and field.related_model is Citation
            for field in model._meta.private_fields
        )
    )


def _citation_itself(prefix: str) -> Q:
    """Rule 1 for a citation and rule 4 for its source (the record it cites aside)."""
    return Q(**{_join(prefix, "state"): PUBLISHED}) & condition(
        _related_model(Citation, "source"), _join(prefix, "source")
    )


def _citation_condition(prefix: str, models=None) -> Q:
    q = _citation_itself(prefix)
    cites = Q()
    for model in models or cited_models():
        content_type = ContentType.objects.get_for_model(model)
        # EXISTS, not IN: each citation looks up its own record by primary key, where an
        # IN list of every public id of the model that does not fit in work_mem is read
        # again for each citation.
        cites |= Q(**{_join(prefix, "content_type_id"): content_type.pk}) & Q(
            Exists(cited(model).filter(pk=OuterRef(_join(prefix, "object_id"))))
        )
    return q & cites


def citations_of_model(model: type[Model]) -> QuerySet:
    """The public citations of records of ``model`` (one content type: a lighter query)."""
    return Citation.objects.filter(_citation_condition("", models=(model,)))


def with_citations(model: type[Model]) -> QuerySet:
    """
    The rows of ``model`` whose citations may be public (``cited``), one per public
    citation of theirs: ``citations__<field>`` in ``values()`` reads that citation. For
    reading the citations of many records at once: a join, where ``citations_of_model``
    tests each citation against a subquery.
    """
    return model._default_manager.filter(
        condition(model), _not_withheld(model), _citation_itself("citations")
    )


def citations_of(records: list[Model]) -> QuerySet:
    """
    The public citations of these records (already read from public querysets), with
    their sources, in one query.
    """
    pks_by_model = defaultdict(set)
    for record in records:
        pks_by_model[type(record)].add(record.pk)
    cites = Q()
    for model, pks in pks_by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        cites |= Q(
            content_type_id=content_type.pk,
            object_id__in=cited(model).filter(pk__in=pks),
        )
    if not pks_by_model:
        return Citation.objects.none()
    return Citation.objects.filter(
        cites, state=PUBLISHED, source__in=ids(_related_model(Citation, "source"))
    ).select_related("source")


def published_own_state(queryset: QuerySet) -> QuerySet:
    """
    Rows whose own state is published, whatever their parents: for what is derived onto
    the parent itself (a person's status from their published detentions, computed
    before the person is published so that it is right the moment they are).
    """
    return queryset.filter(state=PUBLISHED)


def withheld_people() -> QuerySet:
    """People whose name is withheld (for redacting their names from free texts)."""
    return Person.objects.filter(name_withheld=True)


@cache
def _history_tables() -> tuple[str, ...]:
    tables = []
    for model in apps.get_models():
        if issubclass(model, ReviewedModel) and hasattr(model, "history"):
            tables.append(model.history.model._meta.db_table)
    return tuple(sorted(tables))


def last_change():
    """
    When anything the public could see last changed (created, edited, reviewed, deleted),
    as an aware datetime, or None for an empty database: the newest entry of every
    history table, in one query. Publication, unpublication and deletion each write one,
    so a cache validated against this value is never stale for the public.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        union = " UNION ALL ".join(
            f"SELECT MAX(history_date) AS d FROM {connection.ops.quote_name(table)}"  # noqa: S608
            for table in _history_tables()
        )
        # Table names from the models, not from a request.
        cursor.execute(f"SELECT MAX(d) FROM ({union}) AS changes")  # noqa: S608
        (value,) = cursor.fetchone()
    if isinstance(value, str):  # SQLite without a declared type in the union
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value
