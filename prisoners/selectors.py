"""
Reads for the public side: only published records, and only those whose parents are
published too (a published detention of an unpublished person is not public). Each
selector prefetches what its serializer shows, so a page costs a fixed number of queries;
the citations of a whole page come in one more query (``tracker.api.attach_citations``).
"""

from django.db.models import Prefetch, QuerySet

from sources.models import Source
from tracker.lib.editorial import EditorialState

from .models import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Event,
    EventParticipant,
    Facility,
    FacilityStay,
    Person,
    PersonName,
    Recognition,
    Release,
    ReportedFigure,
)

PUBLISHED = EditorialState.PUBLISHED


def public_people() -> QuerySet[Person]:
    return Person.objects.filter(state=PUBLISHED)


def people_list() -> QuerySet[Person]:
    # Queries: people, their names, their citations (with sources).
    return public_people().prefetch_related(
        Prefetch("names", queryset=PersonName.objects.order_by("pk")),
    )


def _public_decisions() -> QuerySet[CourtDecision]:
    return CourtDecision.objects.filter(state=PUBLISHED)


def _public_releases() -> QuerySet[Release]:
    return Release.objects.filter(state=PUBLISHED)


def person_detail() -> QuerySet[Person]:
    detentions = (
        Detention.objects.filter(state=PUBLISHED)
        .order_by("started_on_earliest", "pk")
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.select_related("article")),
            Prefetch(
                "facility_stays",
                queryset=FacilityStay.objects.filter(facility__state=PUBLISHED).select_related(
                    "facility"
                ),
            ),
            Prefetch("decisions", queryset=_public_decisions()),
            Prefetch("releases", queryset=_public_releases()),
        )
    )
    return people_list().prefetch_related(
        "identifiers",
        Prefetch(
            "recognitions",
            queryset=Recognition.objects.filter(
                state=PUBLISHED, organisation__state=PUBLISHED
            ).select_related("organisation"),
        ),
        Prefetch("detentions", queryset=detentions),
        Prefetch(
            "participations",
            queryset=EventParticipant.objects.filter(event__state=PUBLISHED).select_related(
                "event"
            ),
        ),
    )


def _with_owner(queryset, path: str):
    """Select the owning person (named in the response by their public name)."""
    return queryset.select_related(path)


def detentions_list() -> QuerySet[Detention]:
    return _with_owner(
        Detention.objects.filter(state=PUBLISHED, person__state=PUBLISHED), "person"
    ).prefetch_related(
        Prefetch("charges", queryset=Charge.objects.select_related("article")),
        Prefetch(
            "facility_stays",
            queryset=FacilityStay.objects.filter(facility__state=PUBLISHED).select_related(
                "facility"
            ),
        ),
    )


def decisions_list() -> QuerySet[CourtDecision]:
    return _with_owner(
        CourtDecision.objects.filter(
            state=PUBLISHED, detention__state=PUBLISHED, detention__person__state=PUBLISHED
        ),
        "detention__person",
    )


def releases_list() -> QuerySet[Release]:
    return _with_owner(
        Release.objects.filter(
            state=PUBLISHED, detention__state=PUBLISHED, detention__person__state=PUBLISHED
        ),
        "detention__person",
    )


def facilities_list() -> QuerySet[Facility]:
    return Facility.objects.filter(state=PUBLISHED).prefetch_related("other_names")


def articles_list() -> QuerySet[CriminalArticle]:
    return CriminalArticle.objects.all()


def events_list() -> QuerySet[Event]:
    participations = EventParticipant.objects.filter(person__state=PUBLISHED).select_related(
        "person"
    )
    return (
        Event.objects.filter(state=PUBLISHED)
        .select_related("facility")
        .prefetch_related(Prefetch("participations", queryset=participations))
    )


def figures_list() -> QuerySet[ReportedFigure]:
    return ReportedFigure.objects.filter(state=PUBLISHED).select_related("part_of", "event")


def sources_list():
    return Source.objects.filter(state=PUBLISHED)
