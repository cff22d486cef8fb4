"""
No lost updates: two people who open the same record and both save do not silently
overwrite each other. The second save of a record that changed since its form was opened
(or since the spreadsheet was exported) is refused, saying what changed, its value now,
who changed it and when; the first save is kept, and nothing of the refused one is saved.
"""

import pytest

from prisoners import models as pm
from sources.models import Citation, Source

from .admin_client import add_row, admin_url, as_csv, download, form_data, import_csv, signed_in
from .factories import CitationFactory, PersonFactory, PersonNameFactory, SourceFactory

CITATIONS = "sources-citation-content_type-object_id"


@pytest.fixture
def edna(db):
    return signed_in("Editor", "edna")


@pytest.fixture
def eric(db):
    return signed_in("Editor", "eric")


@pytest.fixture
def rita(db):
    return signed_in("Reviewer", "rita")


def open_form(client, model, pk, view="change"):
    """Open a change form; return its URL and its data as it was shown."""
    url = admin_url(model, view, pk)
    page = client.get(url)
    assert page.status_code == 200
    return url, form_data(page)


def row_index(data: dict, prefix: str, pk: int) -> int:
    return next(
        i
        for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if data.get(f"{prefix}-{i}-id") == str(pk)
    )


def saved(response) -> bool:
    return response.status_code == 302


def form_errors(response) -> str:
    return " ".join(response.context["adminform"].form.non_field_errors())


def inline_errors(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            errors = list(inline.formset.non_form_errors())
            for form in inline.formset.forms:
                errors += form.non_field_errors()
            return " ".join(errors)
    raise AssertionError(f"no inline of {model}")


# The change form ----------------------------------------------------------------------------


def test_the_second_save_of_a_changed_record_is_refused_and_the_first_kept(edna, rita):
    person = PersonFactory(occupation="teacher", region="Brest")
    url, first = open_form(edna, pm.Person, person.pk)
    _url, second = open_form(rita, pm.Person, person.pk)

    first["occupation"] = "school director"
    assert saved(edna.post(url, first))

    second["region"] = "Minsk"
    refused = rita.post(url, second)
    assert refused.status_code == 200
    message = form_errors(refused)
    assert "changed by edna at " in message
    assert "occupation is now “school director”" in message
    assert "region" not in message  # what edna did not change is not listed
    assert "Reload the page" in message
    assert "school director" in refused.content.decode()  # shown on the page
    person.refresh_from_db()
    assert (person.occupation, person.region) == ("school director", "Brest")

    # Refused again until reloaded; after a reload the save goes through.
    assert rita.post(url, second).status_code == 200
    _url, reloaded = open_form(rita, pm.Person, person.pk)
    assert reloaded["occupation"] == "school director"
    reloaded["region"] = "Minsk"
    assert saved(rita.post(url, reloaded))
    person.refresh_from_db()
    assert (person.occupation, person.region) == ("school director", "Minsk")


def test_the_version_is_a_hidden_field_of_the_page_and_of_each_inline_row(edna):
    person = PersonFactory()
    CitationFactory(record=person)
    page = edna.get(admin_url(pm.Person, "change", person.pk)).content.decode()
    assert 'type="hidden" name="record_version"' in page
    assert f'type="hidden" name="{CITATIONS}-0-record_version"' in page
    add = edna.get(admin_url(pm.Person, "add")).content.decode()
    assert 'name="record_version"' not in add


def test_a_single_save_works_and_again_after_a_reload(edna):
    person = PersonFactory(occupation="teacher")
    url, data = open_form(edna, pm.Person, person.pk)
    data.update(occupation="lawyer", _continue="1")
    assert saved(edna.post(url, data))
    _url, data = open_form(edna, pm.Person, person.pk)
    data["occupation"] = "lawyer and mediator"
    assert saved(edna.post(url, data))
    person.refresh_from_db()
    assert person.occupation == "lawyer and mediator"
    assert person.history.count() == 3


def test_a_change_to_what_the_form_does_not_edit_is_no_conflict(edna, eric, rita):
    person = PersonFactory(occupation="teacher", state="draft")
    url, data = open_form(edna, pm.Person, person.pk)
    assert data["state"] == "draft"
    # A Reviewer publishes it: the state is no longer a field of edna's form (read-only
    # for her), so its change is no conflict; her change sends the record to review.
    rita.post(
        admin_url(pm.Person, "changelist"),
        {"action": "publish", "_selected_action": [person.pk]},
    )
    # A new row added by someone else on the same page is no conflict either.
    _url, other = open_form(eric, pm.Person, person.pk)
    add_row(other, "names", name="Added Meanwhile", language="be", script="Latn", kind="alias")
    assert saved(eric.post(url, other))

    data["occupation"] = "lawyer"
    assert saved(edna.post(url, data))
    person.refresh_from_db()
    assert (person.occupation, person.state) == ("lawyer", "in_review")
    assert person.names.filter(name="Added Meanwhile").exists()


# Inline rows ------------------------------------------------------------------------------


def test_a_changed_inline_row_refuses_the_whole_page(edna, rita):
    person = PersonFactory(occupation="teacher")
    citation = CitationFactory(record=person, quote="Detained on 31 August.")
    url, first = open_form(edna, pm.Person, person.pk)
    _url, second = open_form(rita, pm.Person, person.pk)

    i = row_index(first, CITATIONS, citation.pk)
    first[f"{CITATIONS}-{i}-quote"] = "Detained on 1 September."
    assert saved(edna.post(url, first))

    second[f"{CITATIONS}-{i}-quote"] = "Detained in August."
    second["occupation"] = "journalist"
    refused = rita.post(url, second)
    assert refused.status_code == 200
    message = inline_errors(refused, Citation)
    assert "This citation" in message and "changed by edna" in message
    assert "is now “Detained on 1 September.”" in message
    assert form_errors(refused) == ""  # the person's own fields did not change
    citation.refresh_from_db()
    person.refresh_from_db()
    assert citation.quote == "Detained on 1 September."
    assert person.occupation == "teacher"  # nothing of the refused page was saved


def test_an_inline_row_changed_meanwhile_is_not_deleted(edna, rita):
    person = PersonFactory()
    name = PersonNameFactory(person=person, name="Ihar Losik")
    url, first = open_form(edna, pm.Person, person.pk)
    _url, second = open_form(rita, pm.Person, person.pk)
    i = row_index(first, "names", name.pk)
    first[f"names-{i}-name"] = "Igor Losik"
    assert saved(edna.post(url, first))

    second[f"names-{i}-DELETE"] = "on"
    refused = rita.post(url, second)
    assert refused.status_code == 200
    assert "name is now “Igor Losik”" in inline_errors(refused, pm.PersonName)
    assert pm.PersonName.objects.filter(pk=name.pk, name="Igor Losik").exists()


def test_editing_a_row_deleted_meanwhile_says_so(edna, rita):
    person = PersonFactory()
    name = PersonNameFactory(person=person, name="Ihar Losik")
    url, first = open_form(rita, pm.Person, person.pk)
    _url, second = open_form(edna, pm.Person, person.pk)
    i = row_index(first, "names", name.pk)
    first[f"names-{i}-DELETE"] = "on"
    assert saved(rita.post(url, first))

    second[f"names-{i}-name"] = "Igor Losik"
    refused = edna.post(url, second)
    assert refused.status_code == 200
    assert "was deleted by rita" in inline_errors(refused, pm.PersonName)
    assert not pm.PersonName.objects.filter(name="Igor Losik").exists()


# A part's own page and the history revert ---------------------------------------------------


def test_a_citations_own_form_is_refused_after_a_change_on_the_persons_page(edna, rita):
    person = PersonFactory()
    citation = CitationFactory(record=person, quote="The first wording.")
    own_url, own = open_form(rita, Citation, citation.pk)
    page_url, page = open_form(edna, pm.Person, person.pk)
    page[f"{CITATIONS}-{row_index(page, CITATIONS, citation.pk)}-quote"] = "Edna's wording."
    assert saved(edna.post(page_url, page))

    own["locator"] = "p. 2"
    refused = rita.post(own_url, own)
    assert "quote is now “Edna's wording.”" in form_errors(refused)
    citation.refresh_from_db()
    assert (citation.quote, citation.locator) == ("Edna's wording.", "")


def test_a_revert_is_refused_if_the_record_changed_since_the_revert_form_was_opened(edna, rita):
    person = PersonFactory(occupation="lawyer")
    person.occupation = "lawyer and mediator"
    person.save()
    first = person.history.order_by("history_date").first()
    revert_url = admin_url(pm.Person, "change", person.pk).replace(
        "/change/", f"/history/{first.history_id}/"
    )
    page = edna.get(revert_url)
    reverting = form_data(page)
    assert reverting["record_version"]

    url, data = open_form(rita, pm.Person, person.pk)
    data["occupation"] = "judge"
    assert saved(rita.post(url, data))

    refused = edna.post(revert_url, reverting)
    assert refused.status_code == 200
    assert "occupation is now “judge”" in form_errors(refused)
    person.refresh_from_db()
    assert person.occupation == "judge"
    # Opened again, the revert goes through.
    assert saved(edna.post(revert_url, form_data(edna.get(revert_url))))
    person.refresh_from_db()
    assert person.occupation == "lawyer"


def test_the_popup_add_form_still_saves(edna):
    url = admin_url(pm.CriminalArticle, "add") + "?_to_field=id&_popup=1"
    data = {"code": "BY-CC", "number": "361-1", "title": "Creating an extremist group"}
    response = edna.post(url, {**data, "_popup": "1", "state": "draft"})
    assert response.status_code == 200
    assert pm.CriminalArticle.objects.filter(number="361-1").exists()


# The spreadsheet import ---------------------------------------------------------------------


def change(client, person, **values):
    url, data = open_form(client, pm.Person, person.pk)
    data.update(values)
    assert saved(client.post(url, data))


def row_of(rows, person):
    return next(row for row in rows if row["id"] == str(person.pk))


def test_a_stale_row_of_an_import_is_refused_naming_what_changed(edna, rita):
    stale = PersonFactory(occupation="teacher", region="Brest")
    other = PersonFactory(occupation="driver")
    rows = download(edna, "prisoners")
    assert row_of(rows, stale)["updated_at"]
    change(rita, stale, region="Minsk")  # after the export

    row_of(rows, stale)["occupation"] = "school director"
    row_of(rows, other)["occupation"] = "bus driver"
    result = import_csv(edna, "prisoners/person", as_csv(rows))
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [rows.index(row_of(rows, stale)) + 1]
    message = " ".join(result.invalid_rows[0].non_field_specific_errors)
    assert "since the file was exported" in message and "by rita" in message
    assert "region is now “Minsk”" in message and "occupation" not in message
    stale.refresh_from_db()
    other.refresh_from_db()
    assert (stale.occupation, stale.region) == ("teacher", "Minsk")
    assert other.occupation == "driver"  # nothing is imported while a row is refused

    # Without the stale row, the rest of the file is imported.
    rows.remove(row_of(rows, stale))
    result = import_csv(edna, "prisoners/person", as_csv(rows))
    assert result.totals["update"] == 1
    other.refresh_from_db()
    assert other.occupation == "bus driver"


def test_an_import_is_not_refused_for_changes_it_does_not_touch(edna, rita):
    person = PersonFactory(occupation="teacher", biography="")
    unchanged = PersonFactory(occupation="driver")
    rows = download(edna, "prisoners")
    change(rita, person, biography="A new biography.")  # not a column of the file
    change(rita, unchanged, region="Minsk")  # its row is not edited: it changes nothing
    row_of(rows, unchanged)["region"] = "Minsk"  # as rita made it: no conflict
    row_of(rows, person)["occupation"] = "school director"
    result = import_csv(edna, "prisoners/person", as_csv(rows))
    assert not result.has_validation_errors(), [r.error for r in result.invalid_rows]
    person.refresh_from_db()
    assert (person.occupation, person.biography) == ("school director", "A new biography.")


def test_a_stale_row_of_a_record_without_history_is_refused(edna, rita, seed):
    rows = download(edna, "prisoners")
    vlasova = pm.Person.objects.get(name="Lilia Vlasova")
    assert not vlasova.history.exists()  # loaded as a fixture: no history before the change
    change(rita, vlasova, occupation="human rights defender")
    row_of(rows, vlasova)["region"] = "Minsk"
    result = import_csv(edna, "prisoners/person", as_csv(rows))
    assert result.has_validation_errors()
    message = " ".join(result.invalid_rows[0].non_field_specific_errors)
    assert "by rita" in message and "occupation is now “human rights defender”" in message
    vlasova.refresh_from_db()
    assert vlasova.region != "Minsk"


def test_an_unreadable_updated_at_is_a_row_error(edna):
    person = PersonFactory(occupation="teacher")
    rows = download(edna, "prisoners")
    row_of(rows, person).update(occupation="lawyer", updated_at="yesterday")
    result = import_csv(edna, "prisoners/person", as_csv(rows))
    assert "updated_at" in " ".join(result.invalid_rows[0].non_field_specific_errors)


def test_a_source_import_is_checked_too(edna, rita):
    source = SourceFactory(title="Old title", publisher="Wire")
    rows = download(edna, "sources")
    url, data = open_form(rita, Source, source.pk)
    data["publisher"] = "Agency"
    assert saved(rita.post(url, data))
    row_of(rows, source)["title"] = "New title"
    result = import_csv(edna, "sources/source", as_csv(rows))
    assert "publisher is now “Agency”" in " ".join(result.invalid_rows[0].non_field_specific_errors)
    source.refresh_from_db()
    assert (source.title, source.publisher) == ("Old title", "Agency")
