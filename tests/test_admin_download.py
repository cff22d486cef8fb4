"""
"Download CSV" on the admin's lists: the list as shown (filters, search), every editorial
state with a state column, the public file's columns, private fields for Reviewers only,
the formula guard and the Excel byte-order mark; the public files stay published-only.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from prisoners import models as pm
from prisoners import rule
from prisoners.exports import EXPORTS
from sources.models import Citation, Source

from .admin_client import admin_url, download, signed_in
from .factories import (
    ChargeFactory,
    CitationFactory,
    CriminalArticleFactory,
    DetentionFactory,
    PersonFactory,
    PersonNameFactory,
    SourceFactory,
)


@pytest.fixture
def records(db):
    """A published person, a draft one with a draft detention and charge, a withheld one."""
    published = PersonFactory(name="Ihar Losik", state="published")
    PersonNameFactory(person=published, name="Ігар Лосік")
    draft = PersonFactory(
        name="=HYPERLINK(1)",
        state="draft",
        editors_notes="note: call the lawyer",
        private_contacts="sister +375 29 000",
        birth_date="1990-05-04",
    )
    detention = DetentionFactory(person=draft, started_on="2021-03", state="draft")
    ChargeFactory(detention=detention, article=CriminalArticleFactory(number="342"), state="draft")
    withheld = PersonFactory(
        name="Ales Secretname",
        name_withheld=True,
        public_descriptor="director of an IT company",
        state="in_review",
        birth_date="1985-02-03",
        affiliation="PandaDoc",
        biography="Ales Secretname was detained.",
    )
    PersonNameFactory(person=withheld, name="Алесь Сакрэтнэйм")
    CitationFactory(record=withheld, source=SourceFactory(title="About Secretname"))
    return {"published": published, "draft": draft, "withheld": withheld}


def read(response) -> tuple[list[str], list[dict]]:
    body = b"".join(response.streaming_content).decode()
    lines = list(csv.reader(io.StringIO(body)))
    return lines[0], list(csv.DictReader(io.StringIO(body)))


def get(client, model, query=""):
    return client.get(admin_url(model, "download") + query)


def by_id(rows) -> dict:
    return {int(row["id"]): row for row in rows}


def test_every_state_with_the_public_columns_then_state(records):
    editor = signed_in("Editor", "olga")
    response = get(editor, pm.Person)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, rows = read(response)
    assert header == [*EXPORTS["prisoners"].header, "state"]
    states = {row["name"]: row["state"] for row in rows}
    assert states["Ihar Losik"] == "published"
    assert states["'=HYPERLINK(1)"] == "draft"  # with the formula guard
    assert states["director of an IT company"] == "in_review"
    # The derived columns count the draft records too.
    draft = by_id(rows)[records["draft"].pk]
    assert (draft["first_detained_on"], draft["articles"]) == ("2021-03", "342")


def test_filters_and_search_of_the_list_apply(records):
    reviewer = signed_in("Reviewer", "vera")
    _header, rows = read(get(reviewer, pm.Person, "?state__exact=draft"))
    assert [int(row["id"]) for row in rows] == [records["draft"].pk]
    _header, rows = read(get(reviewer, pm.Person, "?q=Лосик"))  # any spelling, any script
    assert [int(row["id"]) for row in rows] == [records["published"].pk]
    _header, rows = read(get(reviewer, pm.Person, "?detained_from=03.2021"))
    assert [int(row["id"]) for row in rows] == [records["draft"].pk]


def test_the_list_links_to_its_download_with_its_filters(records):
    editor = signed_in("Editor", "olga")
    page = editor.get(admin_url(pm.Person, "changelist") + "?state__exact=draft&p=1")
    html = page.content.decode()
    url = admin_url(pm.Person, "download")
    assert f'href="{url}?state__exact=draft"' in html
    assert f'href="{url}?state__exact=draft&amp;excel=1"' in html
    assert "Download CSV" in html
    # No link where no public file covers the records.
    assert url not in editor.get(admin_url(pm.CriminalArticle, "changelist")).content.decode()


def test_an_editor_gets_what_the_public_rule_hides_hidden(records):
    editor = signed_in("Editor", "olga")
    header, rows = read(get(editor, pm.Person))
    assert "editors_notes" not in header and "private_contacts" not in header
    withheld = by_id(rows)[records["withheld"].pk]
    assert withheld["name"] == "director of an IT company"
    assert withheld["birth_date"] == "1985"
    assert withheld["name_variants"] == "" and withheld["source_count"] == "0"
    body = b"".join(get(editor, pm.Person).streaming_content).decode()
    assert "Secretname" not in body and "Сакрэтнэйм" not in body and "sister" not in body
    # Nor do the citations of their records reach an editor's file.
    citations = b"".join(get(editor, Citation).streaming_content).decode()
    assert "About Secretname" not in citations and str(records["withheld"].pk) not in [
        row["record_id"] for row in read(get(editor, Citation))[1]
    ]


def test_a_reviewer_gets_the_private_fields(records):
    reviewer = signed_in("Reviewer", "vera")
    header, rows = read(get(reviewer, pm.Person))
    public_header = EXPORTS["prisoners"].header
    assert header[: len(public_header)] == public_header
    assert header[len(public_header) :] == [
        "state",
        "name_withheld",
        "withheld_name",
        "affiliation",
        "photo_url",
        "private_contacts",
        "editors_notes",
    ]
    people = by_id(rows)
    withheld = people[records["withheld"].pk]
    assert withheld["withheld_name"] == "Ales Secretname"
    assert withheld["birth_date"] == "1985-02-03"
    assert withheld["affiliation"] == "PandaDoc"
    assert withheld["name_variants"] == "Алесь Сакрэтнэйм"
    assert withheld["source_count"] == "1"
    draft = people[records["draft"].pk]
    assert (draft["editors_notes"], draft["private_contacts"]) == (
        "note: call the lawyer",
        "sister +375 29 000",
    )
    _header, detentions = read(get(reviewer, pm.Detention))
    assert {"case_number", "defence_counsel", "editors_notes", "state"} <= set(detentions[0])


def test_excel_gets_a_byte_order_mark_and_bad_values_a_400(records):
    editor = signed_in("Editor", "olga")
    body = b"".join(get(editor, Source, "?excel=1").streaming_content)
    assert body.startswith("\ufeff".encode())
    assert not b"".join(get(editor, Source).streaming_content).startswith("\ufeff".encode())
    assert get(editor, Source, "?excel=maybe").status_code == 400
    assert get(editor, Source, "?excel=1&excel=1").status_code == 400


def test_it_is_never_cached(records):
    response = get(signed_in("Editor", "olga"), pm.Detention)
    assert response["Cache-Control"] == "private, no-store"


def test_a_user_without_view_permission_gets_403_and_anonymous_the_login(records):
    nobody = get_user_model().objects.create_user("staff-only", password="x", is_staff=True)
    client = Client()
    client.force_login(nobody)
    assert get(client, pm.Person).status_code == 403
    assert get(Client(), pm.Person).status_code == 302  # to the login page


@pytest.mark.parametrize("export", list(EXPORTS.values()), ids=list(EXPORTS))
def test_every_list_a_public_file_covers_has_its_download(records, export):
    reviewer = signed_in("Reviewer", "vera")
    response = get(reviewer, rule.editorial(export.model))
    assert response.status_code == 200
    header, _rows = read(response)
    assert header[: len(export.header)] == export.header and "state" in header


def test_the_public_files_stay_published_only(records):
    names = {row["name"] for row in download(Client(), "prisoners")}
    assert names == {"Ihar Losik"}


def test_a_bigger_list_costs_no_more_queries(records):
    reviewer = signed_in("Reviewer", "vera")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            read(get(reviewer, pm.Person))
        return len(captured)

    before = queries()
    for n in range(5):
        person = PersonFactory(state="draft")
        PersonNameFactory(person=person, name=f"Name {n}")
        DetentionFactory(person=person)
    assert queries() == before
