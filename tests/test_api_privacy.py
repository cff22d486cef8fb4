"""
Nothing unpublished or private ever leaves through the API.

Every private field (editors' notes, contacts, a withheld name and its spellings and
identifiers) and every unpublished record carries a unique marker; the test then reads
every endpoint, every list page and every record the lists give, and no response may
contain any marker.
"""

import json
import re

import pytest

from prisoners import models as pm
from sources.models import Citation, Organisation

from .api_resources import RESOURCES
from .factories import (
    CitationFactory,
    CourtDecisionFactory,
    DetentionFactory,
    EventParticipantFactory,
    FacilityFactory,
    FacilityStayFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentifierFactory,
    PersonNameFactory,
    ReleaseFactory,
    SourceFactory,
)

MARK = "QZX"  # every marker starts with this; no real text does


def marker(name):
    return f"{MARK}{name}"


@pytest.fixture
def private_world(seed):
    """The seed, plus records that are private in every way the model allows."""
    # Private fields of published records.
    for model in (
        pm.Person,
        pm.Detention,
        pm.CourtDecision,
        pm.Release,
        pm.Recognition,
        pm.Facility,
        pm.Event,
        pm.ReportedFigure,
        Organisation,
    ):
        for record in model.objects.all():
            model.objects.filter(pk=record.pk).update(
                editors_notes=marker(f"note-{model._meta.model_name}-{record.pk}")
            )
    pm.Person.objects.update(private_contacts=marker("contact"))
    Citation.objects.update(editors_notes=marker("citation-note"))
    from sources.models import Source

    Source.objects.update(editors_notes=marker("source-note"))

    # A published person whose name is withheld, with everything that could name them.
    withheld = PersonFactory(
        name=marker("WithheldName"),
        name_withheld=True,
        public_descriptor="a teacher from Hrodna",
        biography=f"{marker('WithheldName')} taught history.",
        photo_url="https://photos.example.org/" + marker("photo"),
        occupation="teacher",
    )
    spelling = PersonNameFactory(
        person=withheld,
        name=marker("Spelling"),
        language="be",
        script="Latn",
        kind="as_in_source",
    )
    PersonIdentifierFactory(
        person=withheld,
        scheme="viasna",
        identifier=marker("ident"),
        url="https://prisoners.example.org/" + marker("identurl"),
    )
    detention = DetentionFactory(
        person=withheld,
        started_on="2021-03",
        place=f"at the home of {marker('Spelling')}",
        circumstances=f"{marker('WithheldName').lower()} was taken at dawn",
    )
    ReleaseFactory(
        detention=detention,
        released_on="2022-01",
        kind="pardon",
        circumstances=f"{marker('Spelling')} walked out",
    )
    named_source = SourceFactory(title=f"Trial of {marker('WithheldName')}")
    for record in (withheld, detention, spelling):
        CitationFactory(record=record, source=named_source, quote=f"{marker('WithheldName')} said")
    meeting = pm.Event.objects.get()
    EventParticipantFactory(event=meeting, person=withheld, role="prisoner")
    meeting.description += f" {marker('WithheldName')} was there too."
    meeting.save()
    CitationFactory(
        record=meeting, source=named_source, quote=f"with {marker('Spelling')} at the table"
    )

    # Unpublished records of every kind, and published records under unpublished parents.
    draft_person = PersonFactory(name=marker("DraftPerson"), state="draft")
    DetentionFactory(person=draft_person, place=marker("draft-person-detention"))
    published = pm.Person.objects.get(name="Viktor Babariko")
    DetentionFactory(person=published, state="in_review", place=marker("review-detention"))
    babariko_detention = published.detentions.get(state="published")
    CourtDecisionFactory(
        detention=babariko_detention, state="draft", judge=marker("draft-judge"), decided_on="2022"
    )
    ReleaseFactory(
        detention=babariko_detention,
        state="draft",
        released_on="2024",
        circumstances=marker("draft-release"),
    )
    draft_facility = FacilityFactory(name=marker("DraftFacility"), state="draft")
    FacilityStayFactory(
        detention=babariko_detention, facility=draft_facility, note=marker("stay-in-draft-facility")
    )
    hidden_org = OrganisationFactory(name=marker("DraftOrg"), slug="draft-org", state="draft")
    pm.Recognition.objects.create(
        person=published,
        organisation=hidden_org,
        recognised_on="2021",
        state="published",
        note=marker("recognition-by-draft-org"),
    )
    pm.Recognition.objects.create(
        person=published,
        organisation=Organisation.objects.get(slug="viasna"),
        recognised_on="2021",
        state="draft",
        note=marker("draft-recognition"),
    )
    draft_source = SourceFactory(title=marker("DraftSource"), state="draft")
    CitationFactory(record=published, source=draft_source, quote=marker("draft-quote"))
    pm.ReportedFigure.objects.create(value=5, counted=marker("draft-figure"), state="draft")
    pm.Event.objects.create(title_en=marker("draft-event"), kind="trial", state="in_review")
    return withheld


def crawl(client):
    """Every endpoint, every list (all pages), every listed record, and a few searches."""
    bodies = []
    for resource in RESOURCES:
        response = client.get(f"/api/v1/{resource}/", {"limit": 500})
        assert response.status_code == 200
        bodies.append(response.content.decode())
        for row in response.json()["results"]:
            detail = client.get(f"/api/v1/{resource}/{row['id']}/")
            assert detail.status_code == 200
            bodies.append(detail.content.decode())
    for url in (
        "/api/v1/stats/",
        "/api/v1/stats/in-custody/?from=2020-01-01&to=2025-12-31",
        "/api/v1/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    for query in (marker("WithheldName"), marker("Spelling"), marker("DraftPerson"), MARK):
        response = client.get("/api/v1/prisoners/", {"q": query})
        assert response.json()["count"] == 0
        bodies.append(response.content.decode())
    return bodies


def test_no_private_or_unpublished_value_appears_anywhere(client, private_world):
    leaks = set()
    for body in crawl(client):
        leaks |= set(re.findall(MARK + r"[\w-]*", body))
    assert leaks == set()


def test_unpublished_records_answer_404(client, private_world):
    drafts = [
        ("prisoners", pm.Person.objects.exclude(state="published")),
        ("detentions", pm.Detention.objects.exclude(state="published")),
        ("detentions", pm.Detention.objects.filter(person__state="draft")),
        ("decisions", pm.CourtDecision.objects.exclude(state="published")),
        ("releases", pm.Release.objects.exclude(state="published")),
        ("facilities", pm.Facility.objects.exclude(state="published")),
        ("figures", pm.ReportedFigure.objects.exclude(state="published")),
        ("events", pm.Event.objects.exclude(state="published")),
    ]
    checked = 0
    for resource, records in drafts:
        for record in records:
            response = client.get(f"/api/v1/{resource}/{record.pk}/")
            assert response.status_code == 404, (resource, record.pk)
            assert MARK not in response.content.decode()
            checked += 1
    assert checked == 8


def test_a_withheld_name_shows_the_descriptor_everywhere(client, private_world):
    withheld = private_world
    person = client.get(f"/api/v1/prisoners/{withheld.pk}/").json()
    assert person["name"] == "a teacher from Hrodna"
    assert person["name_withheld"] is True
    assert person["names"] == [] and person["identifiers"] == [] and person["citations"] == []
    assert person["photo_url"] == ""
    assert person["biography"] == "[name withheld] taught history."
    detention = person["detentions"][0]
    assert detention["circumstances"] == "[name withheld] was taken at dawn"
    assert detention["citations"] == []

    detentions = client.get("/api/v1/detentions/", {"person": withheld.pk}).json()["results"]
    assert detentions[0]["person"]["name"] == "a teacher from Hrodna"
    releases = client.get("/api/v1/releases/", {"person": withheld.pk}).json()["results"]
    assert releases[0]["circumstances"] == "[name withheld] walked out"

    event = client.get("/api/v1/events/").json()["results"][0]
    names = [p["person"]["name"] for p in event["participants"]]
    assert "a teacher from Hrodna" in names
    # The event's description names them: the event is withheld whole (its title, place
    # and description), and so is a quote that names them (prisoners.telling).
    assert event["description"] == "" and event["title"] == "[withheld]"
    assert any(c["quote"] == "" for c in event["citations"])

    found = client.get("/api/v1/prisoners/", {"q": "teacher from hrodna"}).json()
    assert [row["id"] for row in found["results"]] == [withheld.pk]


def test_serializers_list_their_fields(client, private_world):
    """No private model field name appears as a key in any response."""
    private_keys = {"editors_notes", "private_contacts", "state", "name_withheld_reason"}
    for body in crawl(client):
        keys = set(re.findall(r'"(\w+)":', body))
        assert not keys & private_keys
    assert json.dumps  # the bodies are JSON documents (parsed in crawl)


def test_redaction_replaces_whole_words_in_any_case_and_script():
    from prisoners.redaction import Redactor

    redactor = Redactor(["Лілія Уласава", "Vlasova", ""])
    assert redactor.text("ЛІЛІЯ УЛАСАВА і Vlasova") == "[name withheld] і [name withheld]"
    assert redactor.text("Vlasovas and nonvlasova stay") == "Vlasovas and nonvlasova stay"
    assert redactor.data({"a": ["vlasova", 3, None], "vlasova": "x"}) == {
        "a": ["[name withheld]", 3, None],
        "vlasova": "x",
    }
    assert Redactor([]).text("Vlasova") == "Vlasova"
