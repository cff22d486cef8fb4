"""Importing Viasna's export: complete or reported, idempotent, and safe with bad rows."""

import copy
import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from prisoners import duplicates
from prisoners import models as pm
from prisoners.importing import viasna
from prisoners.importing.viasna import ARTICLE_KEYS, MISSING
from prisoners.importing.viasna_parsing import parse_charge, parse_sentence
from sources.models import Citation, Organisation, Source

from .factories import PersonFactory, PersonNameFactory
from .test_seed import shared  # noqa: F401  (the fixture)


@pytest.fixture
def sample(shared):  # noqa: F811
    return json.loads((shared / "data" / "viasna-sample.json").read_text(encoding="utf-8"))


def run(tmp_path, records, *args):
    path = tmp_path / "viasna.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("import_viasna", str(path), *args, stdout=out)
    return out.getvalue()


def given(record, key):
    value = str(record.get(key, "")).strip()
    return "" if value in MISSING else value


def test_the_whole_sample_imports_completely_and_re_imports_unchanged(db, tmp_path, sample):
    out = run(tmp_path, sample, "--publish", "--report", str(tmp_path / "report.csv"))
    assert out.strip().endswith("188 records: 188 created.")
    assert pm.Person.objects.count() == len(sample) == 188
    assert pm.Detention.objects.count() == 188
    charges = [given(r, k) for r in sample for k in ARTICLE_KEYS if given(r, k)]
    assert pm.Charge.objects.count() == len(charges) == 280
    assert pm.Charge.objects.filter(article__isnull=True).count() == 0
    with_decision = [
        r for r in sample if given(r, "decision") or given(r, "verdict_date") or given(r, "penalty")
    ]
    assert pm.CourtDecision.objects.count() == len(with_decision)
    released = [r for r in sample if given(r, "release_date") or r["status"] == "former"]
    assert pm.Release.objects.count() == len(released)
    prisons = {given(r, "prison/title") for r in sample} - {""}
    assert pm.Facility.objects.count() == len(prisons)
    assert pm.Recognition.objects.count() == sum(
        r["status"] in {"active", "former"} for r in sample
    )
    report = list(csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8")))
    assert len(report) == 188 and {row["action"] for row in report} == {"created"}

    # One record, field by field.
    record = next(r for r in sample if r["id"] == 1)
    person = pm.Person.objects.get(identifiers__scheme="viasna", identifiers__identifier="1")
    assert (person.name, person.gender, person.birth_date) == (record["name"], "male", "1996-05-17")
    assert person.biography == record["description"]
    assert person.identifiers.get().url == record["url"]
    assert person.identifiers.get().external_status == "active"
    assert person.recognitions.get().statement_url == record["declaration"]
    detention = person.detentions.get()
    assert (detention.started_on, detention.defence_counsel) == ("2020-10-02", "Raman Biziuk")
    charges = {(c.article.number, c.part) for c in detention.charges.all()}
    assert charges == {("341", ""), ("285", "2"), ("130", ""), ("293", "")}
    decision = detention.decisions.get()
    assert (decision.term_text, decision.term_months, decision.penalty_kind) == (
        "6 years",
        72,
        "colony_medium",
    )
    assert (decision.decided_on, decision.appeal_decided_on, decision.judge) == (
        "2022-09-06",
        "2023-02-28",
        "Siarhei Khrypach",
    )
    stay = detention.facility_stays.get()
    assert stay.facility.address == "220030, Minsk, vulica Valadarskaha 2"
    source = Source.objects.get(url=record["url"])
    assert source.kind == "database_record"
    for cited in (person, detention, decision, stay, *detention.charges.all()):
        assert Citation.objects.filter(object_id=cited.pk, source=source).exists(), cited
    assert person.current_status == "in_custody"

    # Fines, typos and former prisoners.
    fine = pm.CourtDecision.objects.get(term_text="80 base rates")
    assert (fine.fine_amount, fine.fine_unit, fine.term_months) == (80, "base rates", None)
    assert pm.CourtDecision.objects.get(term_text="3 minths").term_months == 3
    former = next(r for r in sample if r["status"] == "former" and not given(r, "release_date"))
    assert (
        pm.Person.objects.get(identifiers__identifier=str(former["id"])).current_status
        == "released"
    )

    # The same file again: nothing changes, not even the history.
    versions = pm.Person.history.count() + pm.Detention.history.count()
    out = run(tmp_path, sample, "--publish")
    assert out.strip().endswith("188 records: 188 unchanged.")
    assert pm.Person.objects.count() == 188 and pm.Charge.objects.count() == 280
    assert pm.Facility.objects.count() == len(prisons)
    assert pm.Person.history.count() + pm.Detention.history.count() == versions


def test_an_updated_file_changes_exactly_what_changed(db, tmp_path, sample):
    sample = sample[:20]
    run(tmp_path, sample)
    changed = copy.deepcopy(sample)
    record = next(r for r in changed if r["id"] == 1)
    record["decision"] = "7 years"
    record["articles/2"] = ""
    out = run(tmp_path, changed, "--report", str(tmp_path / "report.csv"))
    assert out.strip().endswith("20 records: 19 unchanged, 1 updated.")
    decision = pm.CourtDecision.objects.get(detention__person__identifiers__identifier="1")
    assert (decision.term_text, decision.term_months) == ("7 years", 84)
    assert decision.detention.charges.count() == 3
    latest = decision.history.first()
    assert latest.history_user.username == "viasna-import"
    report = {
        row["record_id"]: row
        for row in csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8"))
    }
    assert "updated decision (term_text, term_months)" in report["1"]["changes"]
    assert "deleted charge" in report["1"]["changes"]


def test_a_dry_run_writes_nothing(db, tmp_path, sample):
    out = run(tmp_path, sample[:20], "--dry-run")
    assert "Dry run, nothing written: 20 records: 20 created." in out
    assert not pm.Person.objects.exists() and not Source.objects.exists()


# Everything the importer creates, whole records and their parts alike.
CREATED = (
    pm.Person,
    pm.PersonName,
    pm.PersonIdentifier,
    pm.Recognition,
    pm.Detention,
    pm.Charge,
    pm.CriminalArticle,
    pm.FacilityStay,
    pm.Facility,
    pm.CourtDecision,
    pm.Release,
    Organisation,
    Source,
    Citation,
)


@pytest.mark.parametrize(("args", "state"), [((), "draft"), (("--publish",), "published")])
def test_records_and_their_parts_are_drafts_unless_published(db, tmp_path, sample, args, state):
    run(tmp_path, sample[:6], *args)
    states = {
        model.__name__: set(model.objects.values_list("state", flat=True)) for model in CREATED
    }
    assert states == {name: {state} for name in states}
    statuses = set(pm.Person.objects.values_list("current_status", flat=True))
    assert (statuses == {"unknown"}) == (state == "draft")


def test_hostile_rows_fail_alone_with_their_reason(db, tmp_path, sample):
    good = copy.deepcopy(sample[:2])
    bad_date = {**copy.deepcopy(sample[2]), "arrested": "2020-13-45"}
    unknown_penalty = {**copy.deepcopy(sample[3]), "penalty": "exile to Siberia"}
    long_name = {**copy.deepcopy(sample[4]), "name": "X" * 10_000}
    no_name = {**copy.deepcopy(sample[5]), "name": ""}
    with pytest.raises(CommandError, match="3 record"):
        run(tmp_path, [*good, bad_date, unknown_penalty, long_name, no_name])
    imported = set(pm.PersonIdentifier.objects.values_list("identifier", flat=True))
    assert imported == {str(r["id"]) for r in (*good, no_name)}
    for failed in (bad_date, unknown_penalty, long_name):
        assert not Source.objects.filter(url=failed["url"]).exists()
    withheld = pm.Person.objects.get(identifiers__identifier=str(no_name["id"]))
    assert withheld.name_withheld and withheld.public_descriptor


def test_the_failures_are_printed_with_record_field_and_reason(db, tmp_path, sample):
    rows = [{**copy.deepcopy(sample[0]), "penalty": "exile to Siberia"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_viasna", str(path), stdout=out)
    assert "record 1 (Andrei Chapiuk): penalty: unknown penalty “exile to Siberia”" in (
        out.getvalue()
    )


def test_broken_json_is_an_error_and_writes_nothing(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"id": 1, "name": "A"', encoding="utf-8")
    with pytest.raises(CommandError, match="not a readable JSON file"):
        call_command("import_viasna", str(path), stdout=io.StringIO())
    assert not pm.Person.objects.exists()


def test_ambiguous_matches_are_reported_not_merged(db, tmp_path, sample):
    record = copy.deepcopy(sample[0])
    for _ in range(2):
        twin = PersonFactory(name=record["name"], birth_date=record["birthday"])
        PersonNameFactory(
            person=twin, name=record["name"], language="en", script="Latn", kind="official"
        )
    with pytest.raises(CommandError):
        run(tmp_path, [record])
    assert pm.Person.objects.count() == 2
    assert not pm.PersonIdentifier.objects.exists()


def test_a_match_by_name_and_birth_date_gets_the_identifier(db, tmp_path, sample):
    record = copy.deepcopy(sample[0])
    existing = PersonFactory(name=record["name"], birth_date=record["birthday"])
    PersonNameFactory(
        person=existing, name=record["name"], language="en", script="Latn", kind="official"
    )
    run(tmp_path, [record])
    assert pm.Person.objects.count() == 1
    assert existing.identifiers.get().identifier == "1"


def test_unparsed_charges_and_sentences_are_kept_and_reported(db, tmp_path, sample):
    record = {
        **copy.deepcopy(sample[0]),
        "articles/1": "hooliganism, as the court put it",
        "decision": "until the end of the war",
    }
    out = run(tmp_path, [record], "--report", str(tmp_path / "report.csv"))
    assert "unparsed charge kept as text: hooliganism, as the court put it" in out
    assert "unparsed sentence kept as text: until the end of the war" in out
    charge = pm.Charge.objects.get(text="hooliganism, as the court put it")
    assert charge.article is None
    assert pm.CourtDecision.objects.get().term_text == "until the end of the war"
    report = list(csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8")))
    rows = {(row["record_id"], row["field"], row["problem"]) for row in report}
    assert (
        "1",
        "articles",
        "unparsed charge kept as text: hooliganism, as the court put it",
    ) in rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Part 2 of Art. 293 of the Criminal Code — Participation in riots",
            ("293", "2", "Participation in riots"),
        ),
        (
            "Art. 342 of the Criminal Code – Gross violation of public order",
            ("342", "", "Gross violation of public order"),
        ),
        (
            "Part 1 of Article 13 and Article 293 of the Criminal Code — Preparation for riots",
            ("293", "", "Preparation for riots"),
        ),
        ("art. 188", ("188", "", "")),
        ("Article 361-3: Calls for sanctions", ("361-3", "", "Calls for sanctions")),
    ],
)
def test_charges_are_read_whatever_the_wording(text, expected):
    parsed = parse_charge(text)
    assert (parsed.number, parsed.part, parsed.title) == expected


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("4 1/2 years", 54),
        ("1 year and 10 months", 22),
        ("21 months", 21),
        ("3 yers", 36),
        ("3 minths", 3),
        ("4 years and 9 months", 57),
    ],
)
def test_sentences_are_read_into_months(text, months):
    assert parse_sentence(text).term_months == months


def test_fines_are_read_with_their_unit():
    assert parse_sentence("80 base rates").fine_amount == 80
    assert parse_sentence("5.100 Belarusian rubles").fine_amount == 5100
    assert parse_sentence("5.100 Belarusian rubles").fine_unit == "BYN"


def test_the_import_reports_each_batch_and_finds_the_possible_duplicates(
    db, tmp_path, sample, monkeypatch
):
    monkeypatch.setattr(viasna, "BATCH", 100)
    known = PersonFactory(name="Andrej Chapiuk", birth_date="1996")
    path = tmp_path / "viasna.json"
    path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    progress = io.StringIO()
    call_command("import_viasna", str(path), stdout=io.StringIO(), stderr=progress)
    lines = progress.getvalue().splitlines()
    assert [line.split(" records")[0] for line in lines] == ["100 of 188", "188 of 188"]
    assert "(100 created)" in lines[0]
    assert "53% done" in lines[0] and " left" in lines[0]  # 100 of 188, and the rest to come
    assert "100% done" in lines[1] and " left" not in lines[1]
    imported = pm.Person.objects.get(name="Andrei Chapiuk")
    (pair,) = duplicates.pairs_of(known)
    assert {pair.person_a, pair.person_b} == {known, imported}


def test_a_batch_refreshes_each_of_its_people_once_and_leaves_no_status_stale(
    db, tmp_path, sample, monkeypatch
):
    """A record saves a detention, a decision, a release: each asked for its person's
    status to be derived again. In a batch, each person is refreshed once, at its end."""
    from prisoners import services

    refreshed = []
    chunk = services._refresh_chunk
    monkeypatch.setattr(
        services,
        "_refresh_chunk",
        lambda people: refreshed.extend(p.pk for p in people) or chunk(people),
    )
    monkeypatch.setattr(viasna, "BATCH", 100)
    run(tmp_path, sample[:150], "--publish")
    assert len(refreshed) == len(set(refreshed)) == pm.Person.objects.count()
    assert services.refresh_statuses() == 0  # nothing was stale
