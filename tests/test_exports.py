"""
CSV downloads and the data package: exactly what the API shows, in files that open
correctly, cannot run formulas, and validate as a Frictionless data package.
"""

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from prisoners import models as pm
from prisoners import public, publishing
from prisoners.exports import EXPORTS, TABLES
from prisoners.exports.dictionary import PATH as DICTIONARY
from sources.models import Citation

from .factories import (
    CitationFactory,
    CourtDecisionFactory,
    PersonFactory,
    PersonNameFactory,
    ReleaseFactory,
    SourceFactory,
)
from .test_api_privacy import MARK, private_world  # noqa: F401  (a fixture)
from .test_api_queries import many_rows  # noqa: F401  (a fixture)

API_OF = {
    "prisoners": "prisoners",
    "detentions": "detentions",
    "decisions": "decisions",
    "releases": "releases",
    "facilities": "facilities",
    "sources": "sources",
    "figures": "figures",
}


def download(client, slug, **params):
    response = client.get(f"/exports/{slug}.csv", params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def read(client, slug, **params):
    response, text = download(client, slug, **params)
    assert response.status_code == 200, text
    return list(csv.DictReader(io.StringIO(text)))


def api_ids(client, resource, **params):
    body = client.get(f"/api/v1/{resource}/", {**params, "limit": 500}).json()
    return {row["id"] for row in body["results"]}


@pytest.mark.parametrize("slug", EXPORTS)
def test_each_file_streams_its_documented_header_and_published_rows(client, seed, slug):
    response, text = download(client, slug)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        rf'attachment; filename="{EXPORTS[slug].file_stem}-\d{{4}}-\d{{2}}-\d{{2}}\.csv"',
        response["Content-Disposition"],
    )
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == EXPORTS[slug].header
    assert len(rows) > 1
    if slug in API_OF:
        assert {int(row[0]) for row in rows[1:]} == api_ids(client, API_OF[slug])


def test_the_people_file_has_one_row_per_person_with_its_derived_columns(client, seed):
    rows = {row["name"]: row for row in read(client, "prisoners")}
    assert len(rows) == 7
    vlasova = rows["Lilia Vlasova"]
    assert vlasova["name_variants"].split("; ") == [
        "Lilia Vlasova",
        "Lilia Vlasowa",
        "Liliya Vlasova",
        "Лилия Власова",
        "Лілія Уласава",
    ]
    assert vlasova["articles"] == "243-2"
    assert vlasova["first_detained_on"] == "2020-08-31"
    assert (vlasova["latest_release_on"], vlasova["latest_release_kind"]) == (
        "2020-10",
        "restraint_lifted",
    )
    assert (
        vlasova["recognised_by"] == "Eleven Belarusian human-rights organisations (joint statement)"
    )
    losik = rows["Ihar Losik"]
    assert (losik["latest_term_months"], losik["latest_term_text"]) == ("180", "15 years")
    assert (losik["current_status"], losik["status_since"]) == ("exile", "2025-09-11")
    assert losik["current_facility"] == ""  # in exile: held nowhere
    babariko = rows["Viktor Babariko"]
    assert babariko["current_facility"] == "KGB pre-trial detention centre"
    assert babariko["first_detained_on"] == "2020-06"
    assert int(babariko["source_count"]) == 4
    assert babariko["api_url"].endswith(f"/api/v1/prisoners/{babariko['id']}/")
    assert client.get(babariko["api_url"]).status_code == 200


@pytest.mark.parametrize(
    ("slug", "params"),
    [
        ("prisoners", {"status": "restricted"}),
        ("prisoners", {"article": "243-2"}),
        ("prisoners", {"detained_after": "2020-08-01", "q": "vlasowa"}),
        ("prisoners", {"release_kind": "house_arrest", "released_before": "2020-10-11"}),
        ("detentions", {"started_before": "2020-06-30"}),
        ("decisions", {"term_min_months": "170"}),
        ("releases", {"kind": "exile"}),
        ("facilities", {"q": "Amerykanka"}),
        ("sources", {"language": "ru"}),
        ("figures", {"counted_by": "vyasna"}),
    ],
)
def test_a_filtered_file_holds_exactly_what_the_api_lists(client, seed, slug, params):
    rows = read(client, slug, **params)
    assert rows
    assert {int(row["id"]) for row in rows} == api_ids(client, API_OF[slug], **params)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"sentenced": "maybe"}, "sentenced"),
        ({"detained_after": "June"}, "detained_after"),
        ({"status": "free"}, "status"),
        ({"stauts": "x"}, "stauts"),
        ({"excel": "perhaps"}, "excel"),
        ({"ordering": "name"}, "ordering"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, seed, query, parameter):
    response = client.get("/exports/prisoners.csv", query)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_a_bad_filter_gets_the_same_answer_as_from_the_api(client, seed):
    csv_answer = client.get("/exports/releases.csv", {"kind": "escape"})
    api_answer = client.get("/api/v1/releases/", {"kind": "escape"})
    assert csv_answer.status_code == api_answer.status_code == 400
    assert csv_answer.json() == api_answer.json()


def test_excel_gets_a_byte_order_mark_and_cyrillic_survives(client, seed):
    _, text = download(client, "prisoners", excel="1")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert "Ігар Лосік" in rows[0]["name_variants"]


HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
]


def test_cells_that_would_run_as_formulas_are_neutralised(client, db):
    for text in HOSTILE:
        person = PersonFactory(name=text, occupation=text)
        PersonNameFactory(person=person, name=text + " variant")
    SourceFactory(title="=cmd|' /C calc'!A0", publisher="@evil")
    rows = read(client, "prisoners")
    assert {row["name"] for row in rows} == {"'" + text for text in HOSTILE}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
        assert row["occupation"] == row["name"]
    source = read(client, "sources")[0]
    assert (source["title"], source["publisher"]) == ("'=cmd|' /C calc'!A0", "'@evil")


def test_nothing_private_or_unpublished_is_in_any_file(client, private_world):  # noqa: F811
    leaks = set()
    for slug in EXPORTS:
        response, text = download(client, slug)
        assert response.status_code == 200
        leaks |= set(re.findall(MARK + r"[\w-]*", text))
        assert "editors_notes" not in text and "private_contacts" not in text
    archive = zipfile.ZipFile(io.BytesIO(client.get("/exports/datapackage.zip").getvalue()))
    for member in archive.namelist():
        leaks |= set(re.findall(MARK + r"[\w-]*", archive.read(member).decode()))
    assert leaks == set()
    people = {row["name"] for row in read(client, "prisoners")}
    assert "a teacher from Hrodna" in people


def test_downloading_everyone_costs_a_fixed_number_of_queries(client, many_rows):  # noqa: F811
    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            response, _ = download(client, "prisoners", **params)
        assert response.status_code == 200
        return len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])

    # people, names, detentions, stays, articles, decisions, releases, recognitions, source
    # counts (one UNION), and the HTTP validator (tracker.caching): the same for 61 people
    # as for none. (The edition's texts are redacted already: no query of withheld
    # spellings.)
    queries()
    everyone = queries()
    nobody = queries(region="Nowhere")
    assert everyone == nobody == 10
    # A name search adds one query: the candidates for fuzzy matches.
    assert queries(q="Person 0") == 11
    assert len(read(client, "prisoners")) == pm.Person.objects.count() >= 60


def test_the_data_dictionary_is_current_and_matches_every_header(seed):
    call_command("data_dictionary", "--check")
    text = DICTIONARY.read_text(encoding="utf-8")
    for export in EXPORTS.values():
        section = text.split(f"`/exports/{export.slug}.csv`", 1)[1].split("\n### ", 1)[0]
        documented = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
        assert documented == export.header, export.slug


# The data package ---------------------------------------------------------------------------


def build_package(tmp_path: Path) -> Path:
    zipped = tmp_path / "package.zip"
    call_command("export_datapackage", str(zipped), stdout=io.StringIO())
    folder = tmp_path / "package"
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(folder)
    return folder


def validate_with_frictionless(folder: Path):
    frictionless = shutil.which("frictionless") or str(
        Path(__file__).resolve().parents[1] / ".venv" / "bin" / "frictionless"
    )
    result = subprocess.run(
        [frictionless, "validate", "datapackage.json", "--json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    errors = [
        error["message"] for task in report.get("tasks", []) for error in task.get("errors", [])
    ] + [error["message"] for error in report.get("errors", [])]
    return report["valid"], errors


def test_the_seed_package_validates_with_frictionless(seed, tmp_path):
    folder = build_package(tmp_path)
    valid, errors = validate_with_frictionless(folder)
    assert valid, errors[:10]
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", descriptor["created"])
    step = public.last_step()
    assert descriptor["edition"] == {
        "step": step.pk,
        "published": step.at.isoformat().replace("+00:00", "Z"),
    }
    names = {resource["name"] for resource in descriptor["resources"]}
    assert {
        "people",
        "names",
        "identifiers",
        "detentions",
        "charges",
        "facility_stays",
        "decisions",
        "releases",
        "recognitions",
        "facilities",
        "articles",
        "events",
        "participants",
        "figures",
        "sources",
        "citations",
    } <= names


def test_a_package_of_a_thousand_generated_records_validates(db, tmp_path):
    source = SourceFactory()
    with publishing.deferred():  # published together, as an import or a fixture is
        for n in range(200):
            release = ReleaseFactory(detention__person__name=f"Generated {n}", released_on="2022")
            CourtDecisionFactory(detention=release.detention, decided_on="2021")
            PersonNameFactory(person=release.detention.person)
            CitationFactory(record=release, source=source, quote=f"quote {n}")
    records = sum(
        m.objects.count()
        for m in (pm.Person, pm.Detention, pm.Release, pm.CourtDecision, pm.PersonName, Citation)
    )
    assert records >= 1000
    valid, errors = validate_with_frictionless(build_package(tmp_path))
    assert valid, errors[:10]


def test_the_package_reads_back_with_every_row_and_every_foreign_key(seed, tmp_path):
    folder = build_package(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    tables = {}
    for resource in descriptor["resources"]:
        with open(folder / resource["path"], newline="", encoding="utf-8") as handle:
            tables[resource["name"]] = list(csv.DictReader(handle))
    expected = {
        "people": 7,
        "detentions": 5,
        "releases": 5,
        "decisions": 2,
        "facilities": 4,
        "sources": 16,
        "figures": 9,
        "events": 1,
        "participants": 6,
        "names": 23,
    }
    assert {name: len(tables[name]) for name in expected} == expected
    for resource in descriptor["resources"]:
        for key in resource["schema"].get("foreignKeys", []):
            column = key["fields"][0]
            targets = {row["id"] for row in tables[key["reference"]["resource"]]}
            for row in tables[resource["name"]]:
                assert row[column] == "" or row[column] in targets, (resource["name"], column)
    assert {t.name for t in TABLES} == set(tables)


def test_the_package_costs_one_query_per_table(client, many_rows):  # noqa: F811
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/exports/datapackage.zip")
        b"".join(response.streaming_content)
    statements = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    # the HTTP validator (tracker.caching), the edition's latest step, then one query per
    # table, however many rows each holds.
    assert len(statements) == 2 + len(TABLES)
