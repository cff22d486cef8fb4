"""
The website's reads. Every queryset starts from ``prisoners.public`` (``rows``, ``ids``,
``citations_of``) or from the API's selectors, which do: the site reads only the published
edition (``edition.models``), whose values are already public (masked and redacted), so it
shows exactly what the API and the exports show, and nothing that is not public.

A person is shown under their name in the reader's script (``display_name_be``,
``display_name_ru`` or ``display_name_en`` of the edition, see ``shown_name``), and lists
of people are sorted by it in the reader's language's collation (``by_shown_name``; on
PostgreSQL an index of the edition serves it, ``edition.schema``).

Where someone is held now is defined as in the CSV export's ``current_facility``: for a
person in custody, the last open stay (no end date) of their latest detention, detentions
ordered by their earliest possible start (undated first), then id. The edition writes it
at publication (``Person.held_in``), so a facility's count of people held there is an
indexed lookup, not a walk over everyone in custody.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from edition.models import (
    Citation,
    CriminalArticle,
    Facility,
    FacilityName,
    Organisation,
    Person,
    PersonName,
    ReportedFigure,
    Source,
)
from prisoners import public
from prisoners.choices import Status
from tracker.lib.languages import Collated, active_language, collated, label_expression

# The edition's models that sources cite, by ``Citation.record_type`` (the model's name).
CITED = {
    field.related_model._meta.model_name: field.related_model
    for field in Citation._meta.get_fields()
    if field.many_to_one and field.name not in ("source",)
}


def shown_name() -> str:
    """The edition's field that holds a person's name in the reader's script."""
    return f"display_name_{active_language()}"


def by_shown_name() -> Collated:
    """People's order by the name in the reader's script, in the collation of the reader's
    language (the plain order on SQLite); with ``"pk"`` after it, the order of the edition's
    index ``edition_person_display_name_<language>_order`` (``edition.schema``)."""
    return collated(shown_name())


def name_shown(person) -> str:
    """A person's name in the reader's script (a withheld person's descriptor)."""
    return getattr(person, shown_name()) or person.public_name


def held_now(people: QuerySet | None = None) -> QuerySet[Person]:
    """
    Public people in custody; ``held_in_id`` is the facility where they are held now
    (None when no open stay of their latest detention says where), written by the
    edition at publication.
    """
    people = public.rows(Person) if people is None else people
    return people.filter(current_status=Status.IN_CUSTODY)


def facilities_by_id(ids) -> dict[int, Facility]:
    """Public facilities with these ids (one query)."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    return {facility.pk: facility for facility in public.rows(Facility).filter(pk__in=ids)}


def status_counts() -> dict[str, int]:
    """Public people by current status (one query)."""
    rows = public.rows(Person).order_by().values("current_status").annotate(people=Count("pk"))
    return {row["current_status"]: row["people"] for row in rows}


def latest_people(count: int) -> QuerySet[Person]:
    """The public people published most recently (``updated_at``: their last publication)."""
    return public.rows(Person).order_by("-updated_at", "-pk")[:count]


def names_of(people) -> dict[int, list[PersonName]]:
    """The public spellings of these people's names (one query)."""
    by_person: dict[int, list[PersonName]] = {person.pk: [] for person in people}
    if by_person:
        for name in public.rows(PersonName).filter(person_id__in=by_person).order_by("pk"):
            by_person[name.person_id].append(name)
    return by_person


def facilities() -> QuerySet[Facility]:
    """Public facilities, each with its public other names and ``held_now``: how many
    people are held there now."""
    held = (
        held_now()
        .filter(held_in_id=OuterRef("pk"))
        .order_by()
        .values("held_in_id")
        .annotate(people=Count("pk"))
        .values("people")
    )
    return (
        public.rows(Facility)
        .annotate(held_now=Coalesce(Subquery(held, output_field=IntegerField()), 0))
        .prefetch_related(other_names())
        .order_by(label_expression("name"), "pk")
    )


def facility_choices() -> list[tuple[str, str]]:
    """Public facilities as form choices, "name, city" in the active language, by name."""
    rows = (
        public.rows(Facility)
        .annotate(label=label_expression("name"), city_label=label_expression("city"))
        .order_by("label", "pk")
        .values_list("pk", "label", "city_label")
    )
    return [(str(pk), f"{name}, {city}" if city else name) for pk, name, city in rows]


def article_titles() -> list[tuple[str, str]]:
    """(number, title in the active language) of the public criminal articles."""
    return list(
        public.rows(CriminalArticle)
        .annotate(label=label_expression("title"))
        .order_by("number", "pk")
        .values_list("number", "label")
    )


def organisation_choices() -> list[tuple[str, str]]:
    """(slug, name in the active language) of the public organisations, by name."""
    return list(
        public.rows(Organisation)
        .annotate(label=label_expression("name"))
        .order_by("label", "pk")
        .values_list("slug", "label")
    )


def other_names() -> Prefetch:
    """A facility's public other names ("Amerykanka"), for ``prefetch_related``."""
    return Prefetch("other_names", queryset=public.rows(FacilityName).order_by("name", "pk"))


def figures(limit: int) -> QuerySet[ReportedFigure]:
    """The latest figures that sources reported."""
    return public.rows(ReportedFigure).order_by("-as_of_earliest", "pk")[:limit]


def sources() -> QuerySet[Source]:
    return public.rows(Source)


def organisations() -> QuerySet[Organisation]:
    return public.rows(Organisation).order_by(label_expression("name"), "pk")


def citations_of_source(source: Source) -> QuerySet[Citation]:
    """The public citations of one public source (the records it supports)."""
    return (
        public.citations().filter(source=source).order_by("record_type", "object_id", "field", "pk")
    )


def cited_model(record_type: str) -> type[Model] | None:
    """The edition's model of a citation's ``record_type``, or None if it is not one."""
    return CITED.get(record_type)
