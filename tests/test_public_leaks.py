"""
The leaks found by trying the public side as an outsider, each pinned by a test.

A filter given the id of a record that is not public must answer exactly like a filter
given an id that does not exist; a withheld person's structured identifying fields are
never public; a part of a record is public only once it is published itself.
"""

import pytest

from tests.factories import (
    CitationFactory,
    DetentionFactory,
    EventFactory,
    EventParticipantFactory,
    FacilityFactory,
    FacilityStayFactory,
    PersonFactory,
    PersonNameFactory,
    RecognitionFactory,
    ReportedFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

MISSING = 987654321


def answer(client, url):
    response = client.get(url)
    if response.streaming:
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


def same_as_missing(client, path, parameter, record_id):
    return answer(client, f"{path}?{parameter}={record_id}") == answer(
        client, f"{path}?{parameter}={MISSING}"
    )


@pytest.fixture
def draft_facility():
    facility = FacilityFactory(state="draft")
    stay = FacilityStayFactory(facility=facility)
    EventFactory(facility=facility)
    return facility, stay


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/prisoners/",
        "/api/v1/detentions/",
        "/api/v1/events/",
        "/exports/prisoners.csv",
        "/exports/detentions.csv",
    ],
)
def test_a_draft_facility_filters_like_a_missing_one(client, draft_facility, path):
    facility, _ = draft_facility
    assert same_as_missing(client, path, "facility", facility.pk)


def test_a_draft_person_filters_events_like_a_missing_one(client):
    person = PersonFactory(state="draft")
    EventParticipantFactory(person=person)
    assert same_as_missing(client, "/api/v1/events/", "person", person.pk)


def test_a_draft_event_filters_figures_like_a_missing_one(client):
    event = EventFactory(state="in_review")
    ReportedFigureFactory(event=event)
    assert same_as_missing(client, "/api/v1/figures/", "event", event.pk)


def test_a_published_event_still_filters_its_figures(client):
    event = EventFactory()
    figure = ReportedFigureFactory(event=event)
    data = client.get(f"/api/v1/figures/?event={event.pk}").json()
    assert [row["id"] for row in data["results"]] == [figure.pk]


def test_a_withheld_persons_statement_url_and_identifying_fields_are_not_public(client):
    person = PersonFactory(
        name="Zmitser Withheldovich",
        name_withheld=True,
        public_descriptor="an engineer from Homel",
        birth_date="1985-03-14",
        affiliation="Homel Tractor Works",
        photo_url="https://example.org/zmitser.jpg",
    )
    RecognitionFactory(
        person=person, statement_url="https://spring96.org/en/news/zmitser-withheldovich"
    )
    DetentionFactory(person=person, defence_counsel="Advocate Ivanchyk")
    body = client.get(f"/api/v1/prisoners/{person.pk}/").json()
    assert body["recognitions"][0]["statement_url"] == ""
    assert body["birth_date"]["value"] == "1985"
    assert body["affiliation"] == "" and body["photo_url"] == ""
    assert body["detentions"][0]["defence_counsel"] == ""
    listed = client.get(f"/api/v1/detentions/?person={person.pk}").json()["results"]
    assert listed[0]["defence_counsel"] == ""


def test_parts_wait_for_review(client):
    person = PersonFactory(name="Ales Partsman")
    PersonNameFactory(person=person, name="Алесь Партсман", state="in_review")
    CitationFactory(record=person, quote="an unreviewed quote", state="draft")
    body = client.get(f"/api/v1/prisoners/{person.pk}/").json()
    assert "Алесь Партсман" not in [name["name"] for name in body["names"]]
    assert body["citations"] == []
    assert client.get("/api/v1/prisoners/?q=Партсман").json()["count"] == 0


def test_a_namesake_of_a_withheld_person_keeps_their_own_name(client):
    PersonFactory(name="Mikalai Statkevich", name_withheld=True, public_descriptor="a driver")
    namesake = PersonFactory(name="Mikalai Statkevich")
    PersonNameFactory(person=namesake, name="Мікалай Статкевіч", language="be", script="Cyrl")
    body = client.get(f"/api/v1/prisoners/{namesake.pk}/").json()
    assert body["name"] == "Mikalai Statkevich"
    assert [name["name"] for name in body["names"]] == ["Мікалай Статкевіч"]
    listed = client.get("/api/v1/prisoners/?q=Statkevich").json()["results"]
    assert [row["name"] for row in listed] == ["Mikalai Statkevich"]
    detention = DetentionFactory(person=namesake, circumstances="Mikalai Statkevich was detained")
    row = client.get(f"/api/v1/detentions/{detention.pk}/").json()
    # Their own name, as a link to them, stays; a free text naming the withheld person's
    # name is redacted, whoever it may be about.
    assert row["person"]["name"] == "Mikalai Statkevich"
    assert "Statkevich" not in row["circumstances"]


def test_text_filters_match_only_what_the_public_sees(client):
    PersonFactory(name="Zmitser Withheldovich", name_withheld=True, public_descriptor="a driver")
    SourceFactory(title="Zmitser Withheldovich detained in Homel")
    for guess in ("Withheldovich", "Withheldov", "zmitser"):
        assert client.get(f"/api/v1/sources/?q={guess}").json()["count"] == 0
        csv = b"".join(client.get(f"/exports/sources.csv?q={guess}").streaming_content)
        assert csv.count(b"\n") == 1  # the header alone
    # The title named the withheld person: the source is withheld whole, and no word of
    # its title finds it.
    assert client.get("/api/v1/sources/?q=Homel").json()["count"] == 0
    shown = client.get("/api/v1/sources/").json()["results"]
    assert [(row["title"], row["publisher"]) for row in shown] == [("[withheld]", "Test Wire")]
