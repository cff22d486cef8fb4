"""
Reads for the public API: every queryset comes from ``prisoners.public.rows``, the
published edition (``edition.models``), which holds public rows only (a published
detention of an unpublished person is not there), with withheld people's identifying
fields masked. Each selector prefetches what its serializer
shows, so a page costs a fixed number of queries; the citations of a whole page come in
one more query (``prisoners.api.citations.attach_citations``).
"""

from django.db.models import Prefetch, QuerySet

from edition.models import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Event,
    EventParticipant,
    Facility,
    FacilityName,
    FacilityStay,
    Person,
    PersonIdentifier,
    PersonName,
    Recognition,
    Release,
    ReportedFigure,
    Source,
)

from . import public


def _charges() -> Prefetch:
    return Prefetch("charges", queryset=public.rows(Charge).select_related("article"))


def _stays() -> Prefetch:
    return Prefetch("facility_stays", queryset=public.rows(FacilityStay).select_related("facility"))


def _names() -> Prefetch:
    return Prefetch("names", queryset=public.rows(PersonName).order_by("pk"))


def people_list() -> QuerySet[Person]:
    # Queries: people, their names, their citations (with sources). The API's list reads
    # the names of its page as plain rows instead (``names_of``, prisoners.api.rows).
    return public.rows(Person).prefetch_related(_names())


def names_of(person_ids) -> QuerySet:
    """(person id, name, language, script, kind) of the public spellings of these people,
    in the order they were entered."""
    return (
        public.rows(PersonName)
        .filter(person_id__in=list(person_ids))
        .order_by("pk")
        .values_list("person_id", "name", "language", "script", "kind")
    )


def person_detail() -> QuerySet[Person]:
    detentions = (
        public.rows(Detention)
        .order_by("started_on_earliest", "pk")
        .prefetch_related(
            _charges(),
            _stays(),
            Prefetch("decisions", queryset=public.rows(CourtDecision)),
            Prefetch("releases", queryset=public.rows(Release)),
        )
    )
    return people_list().prefetch_related(
        Prefetch("identifiers", queryset=public.rows(PersonIdentifier)),
        Prefetch(
            "recognitions",
            queryset=public.rows(Recognition).select_related("organisation"),
        ),
        Prefetch("detentions", queryset=detentions),
        Prefetch(
            "participations",
            queryset=public.rows(EventParticipant).select_related("event"),
        ),
    )


def detentions_list() -> QuerySet[Detention]:
    return public.rows(Detention).select_related("person").prefetch_related(_charges(), _stays())


def decisions_list() -> QuerySet[CourtDecision]:
    return public.rows(CourtDecision).select_related("detention__person")


def releases_list() -> QuerySet[Release]:
    return public.rows(Release).select_related("detention__person")


def facilities_list() -> QuerySet[Facility]:
    return public.rows(Facility).prefetch_related(
        Prefetch("other_names", queryset=public.rows(FacilityName))
    )


def articles_list() -> QuerySet[CriminalArticle]:
    return public.rows(CriminalArticle)


def events_list() -> QuerySet[Event]:
    participations = public.rows(EventParticipant).select_related("person")
    return (
        public.rows(Event)
        .select_related("facility")
        .prefetch_related(Prefetch("participations", queryset=participations))
    )


def figures_list() -> QuerySet[ReportedFigure]:
    return public.rows(ReportedFigure)


def sources_list() -> QuerySet[Source]:
    return public.rows(Source)
