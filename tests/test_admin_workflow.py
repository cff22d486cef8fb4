"""Editors send records to review; only Reviewers publish, by any route."""

import pytest

from prisoners import public
from prisoners.models import Detention, Person
from sources.models import Source

from .admin_client import member
from .factories import DetentionFactory, PersonFactory, SourceFactory


@pytest.fixture
def editor_client(client, db):
    client.force_login(member("Editor", "edna"))
    return client


@pytest.fixture
def reviewer_client(client, db):
    client.force_login(member("Reviewer", "rita"))
    return client


def source_form(source, **changes):
    data = {
        "kind": source.kind,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published_on": source.published_on,
        "language": "en",
        "state": source.state,
    }
    return {**data, **changes}


def test_the_groups_have_the_right_permissions(db):
    editor = member("Editor", "e")
    reviewer = member("Reviewer", "r")
    assert editor.has_perm("prisoners.change_person") and editor.has_perm("sources.add_source")
    assert not editor.has_perm("prisoners.publish_records")
    assert not editor.has_perm("prisoners.delete_person")
    assert reviewer.has_perm("prisoners.publish_records")
    assert reviewer.has_perm("prisoners.delete_detention")


def test_an_editor_sends_a_draft_to_review(editor_client):
    draft = SourceFactory(state="draft")
    response = editor_client.post(
        "/admin/sources/source/", {"action": "send_to_review", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "in_review"
    assert draft.history.first().history_user.username == "edna"


def test_an_editor_cannot_publish_with_the_action(editor_client):
    draft = SourceFactory(state="in_review")
    page = editor_client.get("/admin/sources/source/")
    assert b'value="publish"' not in page.content
    editor_client.post(
        "/admin/sources/source/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.state == "in_review"


def test_an_editor_cannot_publish_with_the_form_or_a_crafted_post(editor_client):
    draft = SourceFactory(state="draft")
    form = editor_client.get(f"/admin/sources/source/{draft.pk}/change/")
    assert b'<option value="published"' not in form.content
    response = editor_client.post(
        f"/admin/sources/source/{draft.pk}/change/", source_form(draft, state="published")
    )
    assert response.status_code == 200  # the form again, with an error on the state
    assert "state" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_an_editors_change_to_a_published_record_goes_back_to_review(editor_client):
    published = SourceFactory(state="published", title="Old title")
    response = editor_client.post(
        f"/admin/sources/source/{published.pk}/change/",
        source_form(published, title="New title"),
        follow=True,
    )
    published.refresh_from_db()
    assert (published.title, published.state) == ("New title", "in_review")
    assert any("went back to review" in str(m) for m in response.context["messages"])
    # The public keeps the published version until a Reviewer publishes the change.
    assert public.rows(Source).get(pk=published.pk).title == "Old title"
    # Editors see both: the list says so, the page shows the differences by field.
    listing = editor_client.get("/admin/sources/source/?review=changed")
    assert "changed since publication" in listing.content.decode()
    assert published.pk in [row.pk for row in listing.context["cl"].result_list]
    page = editor_client.get(f"/admin/sources/source/{published.pk}/change/")
    shown = " ".join(str(m) for m in page.context["messages"])
    assert "Changed since publication" in shown
    assert "“Old title” → “New title”" in shown


def test_an_editor_cannot_publish_an_inline_row(editor_client):
    person = PersonFactory(state="draft")
    detention = DetentionFactory(person=person, state="draft")
    page = editor_client.get(f"/admin/prisoners/person/{person.pk}/change/")
    assert page.status_code == 200
    assert b'name="detentions-0-state"' not in page.content
    assert Detention.objects.get(pk=detention.pk).state == "draft"


def test_a_reviewer_publishes_and_unpublishes(reviewer_client):
    record = SourceFactory(state="in_review")
    reviewer_client.post(
        "/admin/sources/source/", {"action": "publish", "_selected_action": [record.pk]}
    )
    record.refresh_from_db()
    assert record.state == "published"
    reviewer_client.post(
        "/admin/sources/source/", {"action": "unpublish", "_selected_action": [record.pk]}
    )
    record.refresh_from_db()
    assert record.state == "in_review"
    assert not public.rows(Source).filter(pk=record.pk).exists()  # taken down at once
    assert record.history.first().history_user.username == "rita"


def test_only_a_reviewer_deletes_and_the_deletion_stays_in_history(client, db):
    person = PersonFactory()
    client.force_login(member("Editor", "edna"))
    assert client.get(f"/admin/prisoners/person/{person.pk}/delete/").status_code == 403
    client.force_login(member("Reviewer", "rita"))
    response = client.post(f"/admin/prisoners/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.history.filter(id=person.pk).first().history_type == "-"
