"""Export, edit in a spreadsheet, import: the admin's CSV import with preview and confirm."""

import pytest

from prisoners import models as pm
from prisoners import publishing
from sources.models import Source

from .admin_client import as_csv, download, import_csv, member


@pytest.fixture
def editor(client, seed):
    client.force_login(member("Editor", "edna"))
    return client


def test_an_edited_export_updates_only_what_changed(editor):
    rows = download(editor, "prisoners")
    vlasova = next(row for row in rows if row["name"] == "Lilia Vlasova")
    vlasova["region"] = "Minsk"
    vlasova["current_status"] = "deceased"  # a derived column: ignored
    result = import_csv(editor, "prisoners/person", as_csv(rows))
    assert result.totals["update"] == 1 and result.totals["skip"] == len(rows) - 1
    person = pm.Person.objects.get(name="Lilia Vlasova")
    assert person.region == "Minsk"
    assert person.current_status == "released"
    # An Editor's change to a published record goes back to review, and is in the history.
    assert person.state == "in_review"
    assert person.history.first().history_user.username == "edna"


def test_new_rows_are_drafts_and_bad_values_are_row_errors(editor):
    rows = [
        {
            "id": "",
            "kind": "news_article",
            "title": "New report",
            "publisher": "Wire",
            "author": "",
            "url": "https://news.example.org/new",
            "published_on": "2024-05",
            "language": "en",
            "archive_url": "",
        }
    ]
    import_csv(editor, "sources/source", as_csv(rows))
    assert Source.objects.get(title="New report").state == "draft"
    before = Source.objects.count()
    rows[0].update(title="Bad date", url="https://news.example.org/bad", published_on="May")
    result = import_csv(editor, "sources/source", as_csv(rows))
    assert result.has_validation_errors()
    assert "published_on" in str(result.invalid_rows[0].error_dict)
    assert Source.objects.count() == before


def test_formula_guards_are_removed_and_withheld_names_kept(editor):
    hidden = pm.Person.objects.get(name="Yury Voskresensky")
    publishing.withhold(person=hidden, descriptor="a political scientist")
    rows = download(editor, "prisoners")
    row = next(r for r in rows if r["id"] == str(hidden.pk))
    assert row["name"] == "a political scientist"
    row["occupation"] = "'=1+1"  # as the export writes a formula-like cell
    import_csv(editor, "prisoners/person", as_csv(rows))
    hidden.refresh_from_db()
    assert hidden.name == "Yury Voskresensky"
    assert hidden.occupation == "=1+1"


def test_detentions_round_trip(editor):
    rows = download(editor, "detentions")
    row = next(r for r in rows if r["person_name"] == "Yury Voskresensky")
    row["started_on"] = "2020-09"
    result = import_csv(editor, "prisoners/detention", as_csv(rows))
    assert result.totals["update"] == 1
    detention = pm.Detention.objects.get(pk=row["id"])
    assert detention.started_on == "2020-09"


def test_what_the_export_shows_in_place_of_a_value_is_not_a_change(editor):
    hidden = pm.Person.objects.get(name="Yury Voskresensky")
    hidden.birth_date = "1965-05-17"
    hidden.save()  # published: the edition has it
    publishing.withhold(person=hidden, descriptor="a political scientist")
    rows = download(editor, "prisoners")
    row = next(r for r in rows if r["id"] == str(hidden.pk))
    assert (row["name"], row["birth_date"]) == ("a political scientist", "1965")
    result = import_csv(editor, "prisoners/person", as_csv(rows))
    assert result.totals["update"] == 0 and result.totals["skip"] == len(rows)
    hidden.refresh_from_db()
    assert (hidden.name, hidden.birth_date, hidden.state) == (
        "Yury Voskresensky",
        "1965-05-17",
        "published",  # an unchanged row does not go back to review
    )
    row["birth_date"] = "1966"  # an editor's change is one
    import_csv(editor, "prisoners/person", as_csv(rows))
    hidden.refresh_from_db()
    assert (hidden.name, hidden.birth_date, hidden.state) == (
        "Yury Voskresensky",
        "1966",
        "in_review",
    )
