"""Every list endpoint takes the same, small number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners import models as pm
from prisoners import publishing
from prisoners.api.base import CountKeepingPagination

from .factories import (
    ChargeFactory,
    CitationFactory,
    CourtDecisionFactory,
    CriminalArticleFactory,
    DetentionFactory,
    EventParticipantFactory,
    FacilityFactory,
    FacilityNameFactory,
    FacilityStayFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentifierFactory,
    PersonNameFactory,
    ReleaseFactory,
    SourceFactory,
)

ROWS = 60


@pytest.fixture
def many_rows(db):
    """At least 60 published rows per resource, each with everything it can embed."""
    # Published together at the block's end, as an import or a fixture is.
    with publishing.deferred():
        source = SourceFactory()
        org = OrganisationFactory()
        facility = FacilityFactory()
        FacilityNameFactory(facility=facility, name="Valadarka")
        article = CriminalArticleFactory(number="342")
        event = pm.Event.objects.create(title_en="Hearing", kind="trial", state="published")
        for n in range(ROWS):
            person = PersonFactory(name_withheld=n % 10 == 0, public_descriptor="a student")
            PersonNameFactory(person=person)
            PersonIdentifierFactory(person=person, scheme="viasna", identifier=str(n))
            pm.Recognition.objects.create(person=person, organisation=org, state="published")
            detention = DetentionFactory(person=person)
            ChargeFactory(detention=detention, article=article, part="1")
            FacilityStayFactory(detention=detention, facility=facility)
            decision = CourtDecisionFactory(detention=detention)
            release = ReleaseFactory(detention=detention)
            EventParticipantFactory(event=event, person=person)
            for record in (person, detention, decision, release):
                CitationFactory(record=record, source=source, quote="q")
            SourceFactory()
            FacilityFactory()
            CriminalArticleFactory(number=str(1000 + n))
            pm.Event.objects.create(title_en=f"Event {n}", kind="trial", state="published")
            pm.ReportedFigure.objects.create(
                value=n, counted="people", state="published", as_of="2020"
            )


def statements(captured):
    """The queries, less the savepoints of ATOMIC_REQUESTS inside the test's transaction
    (in production the request's BEGIN/COMMIT are not queries)."""
    return [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def queries_for(client, url, limit):
    CountKeepingPagination._counts.clear()  # a first visit: the page is counted
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"limit": limit})
    assert response.status_code == 200
    assert len(response.json()["results"]) == limit
    return len(statements(captured))


# Every anonymous read also runs one query before the view: the edition's last publication
# step (tracker.caching, for ETag/Last-Modified; a 304 costs only that one).
VALIDATOR = 1

# The queries of each list, in order, with the COUNT(*) of the paginator. "citations" is
# one query for the citations of every record on the page, at any depth. (The query for
# the spellings of withheld names is gone: the edition's texts are redacted already.)
EXPECTED = {
    # count, people, names, citations(+sources)
    "prisoners": 4,
    # count, detentions(+person), charges(+article), stays(+facility), citations
    "detentions": 5,
    # count, decisions(+detention, person), citations
    "decisions": 3,
    # count, releases(+detention, person), citations
    "releases": 3,
    # count, facilities, other names, citations
    "facilities": 4,
    # count, articles
    "articles": 2,
    # count, sources
    "sources": 2,
    # count, events(+facility), participations(+person), citations
    "events": 4,
    # count, figures(+part_of, event), citations
    "figures": 3,
}


def test_every_list_costs_the_same_queries_for_5_and_50_rows(
    client, many_rows, django_assert_max_num_queries
):
    measured = {}
    for resource in EXPECTED:
        url = f"/api/v1/{resource}/"
        client.get(url, {"limit": 1})  # warm up, as any server is
        # At most 5 statements and the validator, plus the 2 savepoints that wrap the
        # request in a test.
        with django_assert_max_num_queries(5 + VALIDATOR + 2):
            five = queries_for(client, url, 5)
        with django_assert_max_num_queries(5 + VALIDATOR + 2):
            fifty = queries_for(client, url, 50)
        measured[resource] = (five, fifty)
    expected = {resource: (n + VALIDATOR, n + VALIDATOR) for resource, n in EXPECTED.items()}
    assert measured == expected


def test_a_person_detail_costs_a_fixed_number_of_queries(client, many_rows):
    person = pm.Person.objects.filter(name_withheld=False).first()
    client.get(f"/api/v1/prisoners/{person.pk}/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/v1/prisoners/{person.pk}/").status_code == 200
    # person, names, identifiers, recognitions(+org), detentions, charges(+article),
    # stays(+facility), decisions, releases, participations(+event), citations of all of
    # them; and the validator
    assert len(statements(captured)) == 11 + VALIDATOR


def test_a_repeated_filter_counts_once_until_public_data_changes(client, db):
    """The page count is kept per filter while the edition's last publication step stays
    the same (prisoners.api.base.CountKeepingPagination); any new step counts again."""
    for _ in range(3):
        DetentionFactory(person=PersonFactory(), started_on="2021-05")
    url = "/api/v1/prisoners/?detained_after=2021-01-01"
    first = client.get(url).json()["count"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).json()["count"] == first == 3
    # the validator, people, names, citations: no COUNT(*)
    assert not [q for q in statements(captured) if "COUNT(" in q["sql"].upper()]
    assert len(statements(captured)) == EXPECTED["prisoners"] - 1 + VALIDATOR
    added = DetentionFactory(person=PersonFactory(), started_on="2021-06").person
    assert client.get(url).json()["count"] == 4
    publishing.unpublish(record=added)  # as a Reviewer would: a new step
    assert client.get(url).json()["count"] == 3
