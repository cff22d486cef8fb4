"""
The CSV downloads and the data package read through the one public rule
(``prisoners.public``): nothing a rule hides reaches a file by another road.

Each test builds records that are public except for one thing (a parent, a part's own
state, a withheld name) and checks the file shows exactly what the rule allows.
"""

import csv
import io
import zipfile

import pytest

from prisoners import models as pm
from prisoners import public, rule
from prisoners.exports import EXPORTS
from prisoners.exports.sources import CITATIONS_CSV, record_types

from .factories import (
    ChargeFactory,
    CitationFactory,
    CourtDecisionFactory,
    CriminalArticleFactory,
    DetentionFactory,
    EventFactory,
    FacilityFactory,
    FacilityNameFactory,
    FacilityStayFactory,
    OrganisationFactory,
    PersonFactory,
    PersonNameFactory,
    RecognitionFactory,
    ReleaseFactory,
    ReportedFigureFactory,
    SourceFactory,
)
from .test_exports import download, read

MISSING_ID = "999999"


def package(client) -> dict[str, list[dict]]:
    response = client.get("/exports/datapackage.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    return {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def every_text(client) -> str:
    """Every CSV download and every file of the package, as one text."""
    texts = [download(client, slug)[1] for slug in EXPORTS]
    archive = zipfile.ZipFile(io.BytesIO(client.get("/exports/datapackage.zip").getvalue()))
    texts += [archive.read(name).decode() for name in archive.namelist()]
    return "\n".join(texts)


# source_count ------------------------------------------------------------------------------


def test_source_count_counts_only_public_citations(client, db):
    person = PersonFactory(name="Counted Person")
    detention = DetentionFactory(person=person)
    CitationFactory(record=person)  # the one public citation
    # A recognition by an unpublished organisation, and a stay in an unpublished facility:
    # published themselves, but not public.
    hidden_org = OrganisationFactory(state="draft")
    CitationFactory(record=RecognitionFactory(person=person, organisation=hidden_org))
    hidden_facility = FacilityFactory(state="draft")
    CitationFactory(record=FacilityStayFactory(detention=detention, facility=hidden_facility))
    # A draft citation, a citation from a draft source, one of a draft decision.
    CitationFactory(record=detention, state="draft")
    CitationFactory(record=detention, source=SourceFactory(state="draft"))
    CitationFactory(record=CourtDecisionFactory(detention=detention, state="draft"))

    row = next(r for r in read(client, "prisoners") if r["name"] == "Counted Person")
    assert row["source_count"] == "1"


def test_a_withheld_persons_sources_are_not_counted(client, db):
    person = PersonFactory(name_withheld=True, public_descriptor="a student")
    CitationFactory(record=person)
    CitationFactory(record=DetentionFactory(person=person))
    (row,) = read(client, "prisoners")
    assert row["source_count"] == "0"


# Filters on records that are not public ------------------------------------------------------


@pytest.fixture
def hidden(db):
    """Records that are not public, each reachable from a public record."""
    person = PersonFactory(name="Public Person")
    detention = DetentionFactory(person=person)
    facility = FacilityFactory(state="draft")
    FacilityStayFactory(detention=detention, facility=facility)
    organisation = OrganisationFactory(slug="hidden-org", state="draft")
    RecognitionFactory(person=person, organisation=organisation)
    draft_person = PersonFactory(state="draft")
    CourtDecisionFactory(detention=DetentionFactory(person=draft_person))
    draft_detention = DetentionFactory(person=person, state="in_review")
    ReleaseFactory(detention=draft_detention)
    source = SourceFactory(state="draft")
    CitationFactory(record=person, source=source)
    event = EventFactory(state="draft")
    ReportedFigureFactory(event=event)
    ChargeFactory(detention=detention, article=CriminalArticleFactory(number="999"), state="draft")
    open_prison = FacilityFactory(name="Open prison")
    FacilityNameFactory(facility=open_prison, name="Zakrytka", state="draft")
    return {
        "facility": facility.pk,
        "organisation": organisation.slug,
        "person": draft_person.pk,
        "detention": draft_detention.pk,
        "source": source.pk,
        "event": event.pk,
    }


@pytest.mark.parametrize(
    ("slug", "parameter", "record", "missing"),
    [
        ("prisoners", "facility", "facility", MISSING_ID),
        ("detentions", "facility", "facility", MISSING_ID),
        ("prisoners", "recognized_by", "organisation", "no-such-org"),
        ("decisions", "person", "person", MISSING_ID),
        ("releases", "person", "person", MISSING_ID),
        ("releases", "detention", "detention", MISSING_ID),
        ("citations", "source", "source", MISSING_ID),
        ("figures", "event", "event", MISSING_ID),
    ],
)
def test_a_filter_on_a_record_that_is_not_public_is_a_filter_on_a_missing_id(
    client, hidden, slug, parameter, record, missing
):
    response, text = download(client, slug, **{parameter: hidden[record]})
    missing_response, missing_text = download(client, slug, **{parameter: missing})
    assert response.status_code == missing_response.status_code == 200
    assert text == missing_text
    assert text.count("\n") == 1  # the header alone


@pytest.mark.parametrize(
    ("slug", "parameter", "value"),
    [
        ("prisoners", "article", "999"),
        ("detentions", "article", "999"),
        ("facilities", "q", "Zakr"),
    ],
)
def test_a_filter_matches_no_part_that_is_not_public(client, hidden, slug, parameter, value):
    assert read(client, slug, **{parameter: value}) == []


def test_an_events_download_does_not_exist_for_any_person(client, hidden):
    draft = client.get("/exports/events.csv", {"person": hidden["person"]})
    missing = client.get("/exports/events.csv", {"person": MISSING_ID})
    assert draft.status_code == missing.status_code == 404
    assert draft.content == missing.content


# Parts with their own state --------------------------------------------------------------------


def test_parts_that_are_not_published_are_in_no_file(client, db):
    person = PersonFactory(name="Partly Published")
    PersonNameFactory(person=person, name="Published Spelling")
    PersonNameFactory(person=person, name="QZXdraft-spelling", state="draft")
    detention = DetentionFactory(person=person)
    ChargeFactory(detention=detention, article=CriminalArticleFactory(number="111"))
    ChargeFactory(detention=detention, article=CriminalArticleFactory(number="222"), state="draft")
    # A published charge under an article that is not public: the charge stays, its link not.
    unpublished_article = CriminalArticleFactory(number="333", state="draft")
    charge = ChargeFactory(detention=detention, article=unpublished_article, text="as charged")
    facility = FacilityFactory(name="Open Facility")
    FacilityNameFactory(facility=facility, name="QZXdraft-facility-name", state="draft")
    FacilityStayFactory(detention=detention, state="draft")
    CitationFactory(record=person, quote="QZXdraft-citation", state="draft")

    row = next(r for r in read(client, "prisoners") if r["name"] == "Partly Published")
    assert row["name_variants"] == "Published Spelling"
    assert (row["articles"], row["current_facility"]) == ("111", "")
    detentions = read(client, "detentions")
    assert [(d["articles"], d["facilities"]) for d in detentions] == [("111", "")]
    assert "QZX" not in every_text(client)
    tables = package(client)
    assert {a["number"] for a in tables["articles"]} == {"111", "222"}  # 333 is a draft
    charges = {c["id"]: c for c in tables["charges"]}
    assert charges[str(charge.pk)]["article_id"] == ""


# A withheld person's masked fields ---------------------------------------------------------------


@pytest.fixture
def withheld(db):
    """A withheld person whose every masked field holds a marker."""
    person = PersonFactory(
        name="QZXWithheld", name_withheld=True, public_descriptor="a journalist", state="published"
    )
    recognition = RecognitionFactory(person=person)
    detention = DetentionFactory(person=person)
    records = {pm.Person: person, pm.Recognition: recognition, pm.Detention: detention}
    for model, masks in rule.WITHHELD_MASKS.items():
        record = records[model]
        for field in masks:
            value = (
                "1987-06-05"
                if field == "birth_date"
                # a link is an http(s) address, or the database refuses it (tracker.lib.links)
                else f"https://example.org/QZXmask-{field}"
                if field.endswith("_url")
                else f"QZXmask-{field}"
            )
            setattr(record, field, value)
        record.save()  # published: the edition holds it masked
    return person


def test_every_masked_field_is_masked_in_every_file(client, withheld):
    text = every_text(client)
    assert "QZX" not in text
    assert "1987-06" not in text


def test_a_withheld_birth_date_shows_its_year_and_the_years_bounds(client, withheld):
    (row,) = read(client, "prisoners")
    assert (row["name"], row["birth_date"], row["birth_date_precision"]) == (
        "a journalist",
        "1987",
        "year",
    )
    (person,) = package(client)["people"]
    assert (person["birth_date"], person["birth_date_earliest"], person["birth_date_latest"]) == (
        "1987",
        "1987-01-01",
        "1987-12-31",
    )


def test_a_withheld_persons_statement_url_is_not_in_the_package(client, withheld):
    (recognition,) = package(client)["recognitions"]
    assert recognition["statement_url"] == ""
    (detention,) = package(client)["detentions"]
    assert detention["defence_counsel"] == ""


def test_the_masked_fields_of_a_person_whose_name_is_public_are_shown(client, db):
    person = PersonFactory(name="Open Person", birth_date="1990-02-03", affiliation="Union")
    RecognitionFactory(person=person, statement_url="https://example.org/statement")
    tables = package(client)
    assert (tables["people"][0]["birth_date"], tables["people"][0]["affiliation"]) == (
        "1990-02-03",
        "Union",
    )
    assert tables["recognitions"][0]["statement_url"] == "https://example.org/statement"
    assert read(client, "prisoners")[0]["birth_date_precision"] == "day"


# Own names --------------------------------------------------------------------------------------


def test_a_namesake_of_a_withheld_person_keeps_their_own_name(client, db):
    withheld = PersonFactory(
        name="Ivan Ivanov", name_withheld=True, public_descriptor="an engineer"
    )
    PersonNameFactory(person=withheld, name="Иван Иванов")
    namesake = PersonFactory(name="Ivan Ivanov")
    PersonNameFactory(person=namesake, name="Иван Иванов")
    DetentionFactory(person=namesake)
    SourceFactory(title="Ivan Ivanov detained")

    people = {row["id"]: row for row in read(client, "prisoners")}
    assert people[str(namesake.pk)]["name"] == "Ivan Ivanov"
    assert people[str(namesake.pk)]["name_variants"] == "Иван Иванов"
    assert people[str(withheld.pk)]["name"] == "an engineer"
    (detention,) = read(client, "detentions")
    assert detention["person_name"] == "Ivan Ivanov"
    # A free text: the source's title names the withheld person, so it is withheld whole.
    assert read(client, "sources")[0]["title"] == "[withheld]"
    tables = package(client)
    assert {row["name"] for row in tables["people"]} == {"Ivan Ivanov", "an engineer"}
    assert [row["name"] for row in tables["names"]] == ["Иван Иванов"]


def test_the_citations_record_types_are_the_models_sources_can_cite(client, db):
    names = [name for name, _ in record_types()]
    assert {m._meta.model_name for m in public.cited_models()} == set(names)
    (column,) = [c for c in CITATIONS_CSV.columns if c.name == "record_type"]
    documented = column.description.split(": ", 1)[1].rstrip(".").split(", ")
    assert sorted(documented) == sorted(names)
    response = client.get("/exports/citations.csv", {"record_type": "courtdecision"})
    assert response.status_code == 200
