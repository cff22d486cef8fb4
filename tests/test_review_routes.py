"""
What the public sees of a published record changes only when a Reviewer publishes, by
every route an Editor has into the admin: a part's own change form, inline rows, add
forms, the "+" popup, a history revert and the CSV import.

Each test makes the Editor's change, checks the public API (anonymous) does not show it,
lets a Reviewer publish, and checks the API shows it then. An Editor's change to a
published part takes that part out of the public view until it is reviewed (the database
keeps one version of a row): the tests check the new text is absent, and so is the part.
"""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from prisoners import models as pm
from sources.models import Citation

from .admin_client import add_row, admin_url, form_data, import_csv, signed_in
from .factories import (
    ChargeFactory,
    CitationFactory,
    CriminalArticleFactory,
    DetentionFactory,
    EventFactory,
    EventParticipantFactory,
    FacilityFactory,
    FacilityNameFactory,
    FacilityStayFactory,
    PersonFactory,
    PersonIdentifierFactory,
    PersonNameFactory,
    SourceFactory,
)

CITATIONS = "sources-citation-content_type-object_id"


@pytest.fixture
def editor_client(db):
    return signed_in("Editor", "edna")


@pytest.fixture
def reviewer_client(db):
    return signed_in("Reviewer", "rita")


def api(path: str) -> str:
    """What the public reads at this API path ("" when it is not public)."""
    response = Client().get(f"/api/v1/{path}")
    if response.status_code == 404:
        return ""
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def row_index(data: dict, prefix: str, pk: int) -> int:
    return next(
        i
        for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if data.get(f"{prefix}-{i}-id") == str(pk)
    )


def save_page(client, model, pk, change=None):
    """Open a record's change page, let ``change`` edit its data, post it; return the reply."""
    url = admin_url(model, "change", pk)
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    if change:
        change(data)
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    return response


def _errors(response):
    if response.context is None:
        return response.status_code
    errors = [response.context["adminform"].form.errors]
    for inline in response.context.get("inline_admin_formsets", []):
        errors += [inline.formset.non_form_errors(), *inline.formset.errors]
    return errors


def action(client, model, name, *records):
    response = client.post(
        admin_url(model, "changelist"),
        {"action": name, "_selected_action": [r.pk for r in records]},
    )
    assert response.status_code == 302
    return response


def state(record) -> str:
    record.refresh_from_db()
    return record.state


# A part's own change form -------------------------------------------------------------------


def citation_form(citation, **changes) -> dict:
    data = {
        "source": citation.source_id,
        "content_type": citation.content_type_id,
        "object_id": citation.object_id,
        "field": citation.field,
        "stated_value": citation.stated_value,
        "quote": citation.quote,
        "locator": citation.locator,
        "confidence": citation.confidence,
        "editors_notes": "",
    }
    return {**data, **changes}


def test_a_citations_quote_changed_in_its_form_waits_for_a_reviewer(editor_client, reviewer_client):
    person = PersonFactory()
    citation = CitationFactory(record=person, quote="Detained on 31 August.")
    assert "Detained on 31 August." in api(f"prisoners/{person.pk}/")

    url = admin_url(Citation, "change", citation.pk)
    form = editor_client.get(url)
    assert b'name="state"' not in form.content  # published: read-only for an Editor
    response = editor_client.post(url, citation_form(citation, quote="Detained on 1 September."))
    assert response.status_code == 302
    assert state(citation) == "in_review"
    assert citation.quote == "Detained on 1 September."
    public = api(f"prisoners/{person.pk}/")
    assert "Detained on 1 September." not in public
    assert "Detained on 31 August." in public  # the published version stays until reviewed
    assert person.name in public  # the person, unchanged, is still public

    action(reviewer_client, Citation, "publish", citation)
    assert "Detained on 1 September." in api(f"prisoners/{person.pk}/")


def test_an_editor_cannot_publish_a_part_with_a_crafted_post_or_action(editor_client):
    person = PersonFactory()
    citation = CitationFactory(record=person, state="draft", quote="A draft quote.")
    url = admin_url(Citation, "change", citation.pk)
    assert b'<option value="published"' not in editor_client.get(url).content
    response = editor_client.post(url, citation_form(citation, state="published"))
    assert response.status_code == 200
    assert "state" in response.context["adminform"].form.errors
    action(editor_client, Citation, "publish", citation)
    assert state(citation) == "draft"
    assert "A draft quote." not in api(f"prisoners/{person.pk}/")


def test_an_editors_new_citation_in_its_add_form_waits_with_its_record(
    editor_client, reviewer_client
):
    person = PersonFactory()
    source = SourceFactory()
    content_type = ContentType.objects.get_for_model(pm.Person)
    data = {
        "source": source.pk,
        "content_type": content_type.pk,
        "object_id": person.pk,
        "field": "occupation",
        "stated_value": "journalist",
        "quote": "He worked as a journalist.",
        "locator": "",
        "confidence": "medium",
        "state": "draft",
    }
    assert editor_client.post(admin_url(Citation, "add"), data).status_code == 302
    citation = Citation.objects.get(quote="He worked as a journalist.")
    assert citation.state == "in_review"  # its record is published: it waits for review
    assert "He worked as a journalist." not in api(f"prisoners/{person.pk}/")

    draft_person = PersonFactory(state="draft")
    data.update(object_id=draft_person.pk, quote="A draft's citation.")
    assert editor_client.post(admin_url(Citation, "add"), data).status_code == 302
    assert Citation.objects.get(quote="A draft's citation.").state == "draft"

    action(reviewer_client, Citation, "publish", citation)
    assert "He worked as a journalist." in api(f"prisoners/{person.pk}/")


def test_a_criminal_articles_title_changed_in_its_form_waits_for_a_reviewer(
    editor_client, reviewer_client
):
    article = CriminalArticleFactory(number="342", title="Old title")
    assert "Old title" in api("articles/")
    url = admin_url(pm.CriminalArticle, "change", article.pk)
    data = {"code": article.code, "number": "342", "title_en": "Gross violation of public order"}
    assert editor_client.post(url, data).status_code == 302
    assert state(article) == "in_review"
    assert "Gross violation of public order" not in api("articles/")
    assert "Old title" in api("articles/")  # the published version stays until reviewed

    action(reviewer_client, pm.CriminalArticle, "publish", article)
    assert "Gross violation of public order" in api("articles/")


# Inline rows --------------------------------------------------------------------------------


def test_a_new_citation_inline_on_a_published_person_waits_for_a_reviewer(
    editor_client, reviewer_client
):
    person = PersonFactory(occupation="journalist")
    source = SourceFactory()

    def cite(data):
        add_row(
            data,
            CITATIONS,
            source=source.pk,
            field="occupation",
            stated_value="journalist",
            quote="A journalist for Radio Liberty.",
            locator="",
            confidence="high",
            state="published",  # crafted: an Editor has no state field in inline rows
        )

    response = save_page(editor_client, pm.Person, person.pk, cite)
    citation = Citation.objects.get(quote="A journalist for Radio Liberty.")
    assert citation.state == "in_review"
    assert state(person) == "published"  # only the new part waits, not the person
    assert "A journalist for Radio Liberty." not in api(f"prisoners/{person.pk}/")
    assert api(f"prisoners/{person.pk}/")  # the person is still public
    messages = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert any("waits for a reviewer" in m for m in messages)  # one change

    action(reviewer_client, pm.Person, "publish", person)
    assert state(citation) == "published"
    assert "A journalist for Radio Liberty." in api(f"prisoners/{person.pk}/")


def test_a_name_variant_changed_inline_waits_until_a_reviewer_saves_the_page(
    editor_client, reviewer_client
):
    person = PersonFactory()
    name = PersonNameFactory(person=person, name="Ihar Losik")
    assert "Ihar Losik" in api(f"prisoners/{person.pk}/")

    def respell(data):
        i = row_index(data, "names", name.pk)
        data[f"names-{i}-name"] = "Igor Losik"
        data[f"names-{i}-state"] = "published"  # crafted: ignored, the field is read-only

    save_page(editor_client, pm.Person, person.pk, respell)
    assert state(name) == "in_review" and name.name == "Igor Losik"
    assert state(person) == "published"
    public = api(f"prisoners/{person.pk}/")
    assert "Igor Losik" not in public and "Ihar Losik" in public  # published version stays

    save_page(reviewer_client, pm.Person, person.pk)  # saved as published: its parts with it
    assert state(name) == "published"
    assert "Igor Losik" in api(f"prisoners/{person.pk}/")


def test_a_reviewer_who_chooses_a_parts_state_keeps_it(reviewer_client):
    person = PersonFactory()
    kept = PersonNameFactory(person=person, name="Kept Draft", state="in_review")
    waiting = PersonNameFactory(person=person, name="Waiting Name", state="in_review")

    def choose(data):
        data[f"names-{row_index(data, 'names', kept.pk)}-state"] = "draft"

    save_page(reviewer_client, pm.Person, person.pk, choose)
    assert state(kept) == "draft"  # chosen in this save
    assert state(waiting) == "published"  # published with the page
    public = api(f"prisoners/{person.pk}/")
    assert "Waiting Name" in public and "Kept Draft" not in public


def test_a_new_charge_inline_on_a_published_detention_waits_for_a_reviewer(
    editor_client, reviewer_client
):
    detention = DetentionFactory()
    article = CriminalArticleFactory(number="130", title="Incitement to hatred")

    def charge(data):
        add_row(data, "charges", article=article.pk, part="3", title="", text="", charged_on="")

    save_page(editor_client, pm.Detention, detention.pk, charge)
    new = pm.Charge.objects.get(detention=detention)
    assert new.state == "in_review"
    assert state(detention) == "published"
    assert "Incitement to hatred" not in api(f"prisoners/{detention.person_id}/")

    action(reviewer_client, pm.Detention, "publish", detention)
    assert state(new) == "published"
    assert "Incitement to hatred" in api(f"prisoners/{detention.person_id}/")


def test_a_facility_stay_changed_inline_waits_for_a_reviewer(editor_client, reviewer_client):
    stay = FacilityStayFactory(started_on="2020-09", note="Transferred in September.")
    person_id = stay.detention.person_id
    assert "Transferred in September." in api(f"prisoners/{person_id}/")

    def edit(data):
        data[f"facility_stays-{row_index(data, 'facility_stays', stay.pk)}-note"] = "In October."

    save_page(editor_client, pm.Detention, stay.detention_id, edit)
    assert state(stay) == "in_review"
    public = api(f"prisoners/{person_id}/")
    assert "In October." not in public and "Transferred in September." in public

    def publish_row(data):
        data[f"facility_stays-{row_index(data, 'facility_stays', stay.pk)}-state"] = "published"

    save_page(reviewer_client, pm.Detention, stay.detention_id, publish_row)
    assert state(stay) == "published"
    assert "In October." in api(f"prisoners/{person_id}/")


@pytest.mark.parametrize("part", ["identifier", "facility_name", "participant"])
def test_every_part_inline_waits_for_a_reviewer(editor_client, reviewer_client, part):
    if part == "identifier":
        row = PersonIdentifierFactory(identifier="viasna-1")
        record, prefix, field, new = row.person, "identifiers", "identifier", "viasna-2"
        path = f"prisoners/{row.person_id}/"
    elif part == "facility_name":
        row = FacilityNameFactory(name="Valadarka")
        record, prefix, field, new = row.facility, "other_names", "name", "Pishchalauski castle"
        path = f"facilities/{row.facility_id}/"
    else:
        row = EventParticipantFactory(role="defendant")
        record, prefix, field, new = row.event, "participations", "role", "witness"
        path = f"events/{row.event_id}/"
    assert api(path)

    def edit(data):
        data[f"{prefix}-{row_index(data, prefix, row.pk)}-{field}"] = new

    save_page(editor_client, type(record), record.pk, edit)
    assert state(row) == "in_review"
    assert new not in api(path)

    action(reviewer_client, type(record), "publish", record)
    assert state(row) == "published"
    assert new in api(path)


def test_an_editors_new_part_on_a_draft_record_is_a_draft_until_sent_to_review(editor_client):
    person = PersonFactory(state="draft")

    def name(data):
        spelling = {"language": "be", "script": "Latn", "kind": "transliteration"}
        add_row(data, "names", name="Draft Spelling", **spelling)

    save_page(editor_client, pm.Person, person.pk, name)
    spelling = pm.PersonName.objects.get(person=person, name="Draft Spelling")
    assert spelling.state == "draft"

    action(editor_client, pm.Person, "send_to_review", person)
    assert state(person) == "in_review" and state(spelling) == "in_review"


def test_send_to_review_sends_the_draft_parts_of_a_published_record(editor_client):
    detention = DetentionFactory()
    charge = ChargeFactory(detention=detention, state="draft")
    action(editor_client, pm.Detention, "send_to_review", detention)
    assert state(detention) == "published" and state(charge) == "in_review"


# The "+" popup ------------------------------------------------------------------------------


def test_an_article_added_in_the_popup_waits_for_a_reviewer(editor_client, reviewer_client):
    url = admin_url(pm.CriminalArticle, "add") + "?_to_field=id&_popup=1"
    data = {"code": "BY-CC", "number": "361-1", "title_en": "Creating an extremist group"}
    crafted = editor_client.post(url, {**data, "_popup": "1", "state": "published"})
    assert crafted.status_code == 200 and "state" in crafted.context["adminform"].form.errors
    assert not pm.CriminalArticle.objects.filter(number="361-1").exists()

    response = editor_client.post(url, {**data, "_popup": "1", "state": "in_review"})
    assert response.status_code == 200
    assert b"popup_response" in response.content or b"data-popup-response" in response.content
    article = pm.CriminalArticle.objects.get(number="361-1")
    assert article.state == "in_review"
    assert "Creating an extremist group" not in api("articles/")

    action(reviewer_client, pm.CriminalArticle, "publish", article)
    assert "Creating an extremist group" in api("articles/")


# History revert -----------------------------------------------------------------------------


def revert(client, model, record, to_version):
    url = admin_url(model, "change", record.pk).replace(
        "/change/", f"/history/{to_version.history_id}/"
    )
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, form_data(form))
    assert response.status_code == 302, _errors(response)


def test_an_editors_revert_of_a_published_part_waits_for_a_reviewer(editor_client, reviewer_client):
    person = PersonFactory()
    citation = CitationFactory(record=person, quote="The first wording.")
    citation.quote = "The reviewed wording."
    citation.save()
    first = citation.history.order_by("history_date").first()
    assert first.quote == "The first wording." and first.state == "published"

    revert(editor_client, Citation, citation, first)
    assert state(citation) == "in_review" and citation.quote == "The first wording."
    public = api(f"prisoners/{person.pk}/")
    # The public keeps the published version until a Reviewer publishes the revert.
    assert "The reviewed wording." in public and "The first wording." not in public

    action(reviewer_client, Citation, "publish", citation)
    assert "The first wording." in api(f"prisoners/{person.pk}/")


def test_an_editors_revert_of_a_published_record_waits_and_a_reviewers_publishes(
    editor_client, reviewer_client
):
    person = PersonFactory(occupation="lawyer")
    person.occupation = "lawyer and mediator"
    person.save()
    first = person.history.order_by("history_date").first()
    assert first.state == "published"

    revert(editor_client, pm.Person, person, first)
    assert state(person) == "in_review" and person.occupation == "lawyer"
    public = api(f"prisoners/{person.pk}/")  # the published version stays until reviewed
    assert '"occupation":"lawyer"' not in public.replace(" ", "")

    # A Reviewer's revert to a published version publishes it, with its parts in waiting.
    name = PersonNameFactory(person=person, name="Waiting Spelling", state="in_review")
    revert(reviewer_client, pm.Person, person, first)
    assert state(person) == "published" and state(name) == "published"
    public = api(f"prisoners/{person.pk}/")
    assert '"occupation":"lawyer"' in public.replace(" ", "") and "Waiting Spelling" in public


# The CSV import -----------------------------------------------------------------------------


def person_csv(person, **changes) -> bytes:
    row = {
        "id": person.pk,
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "country": person.country,
        "region": person.region,
        "occupation": person.occupation,
        **changes,
    }
    out = io.StringIO()
    out.write(",".join(row) + "\n")
    out.write(",".join(str(v) for v in row.values()) + "\n")
    return out.getvalue().encode()


def test_an_editors_csv_import_waits_for_a_reviewer(editor_client, reviewer_client):
    person = PersonFactory(occupation="teacher")
    assert "teacher" in api(f"prisoners/{person.pk}/")
    import_csv(editor_client, "prisoners/person", person_csv(person, occupation="school director"))
    assert state(person) == "in_review" and person.occupation == "school director"
    public = api(f"prisoners/{person.pk}/")  # the published version stays until reviewed
    assert "teacher" in public and "school director" not in public

    action(reviewer_client, pm.Person, "publish", person)
    assert "school director" in api(f"prisoners/{person.pk}/")


def test_a_reviewers_csv_import_keeps_the_record_published(reviewer_client):
    person = PersonFactory(occupation="teacher")
    import_csv(
        reviewer_client, "prisoners/person", person_csv(person, occupation="school director")
    )
    assert state(person) == "published"
    assert "school director" in api(f"prisoners/{person.pk}/")


def test_publishing_an_event_publishes_its_participants(reviewer_client):
    event = EventFactory(state="in_review")
    participant = EventParticipantFactory(event=event, state="draft", role="observer")
    action(reviewer_client, pm.Event, "publish", event)
    assert state(participant) == "published"
    assert "observer" in api(f"events/{event.pk}/")


def test_publishing_a_person_publishes_the_citations_of_their_names(reviewer_client):
    person = PersonFactory(state="in_review")
    name = PersonNameFactory(person=person, state="draft", name="Cited Spelling")
    citation = CitationFactory(record=name, state="draft")
    facility = FacilityFactory(state="in_review")
    other = FacilityNameFactory(facility=facility, state="in_review")
    action(reviewer_client, pm.Person, "publish", person)
    action(reviewer_client, pm.Facility, "publish", facility)
    assert (state(name), state(citation), state(other)) == ("published",) * 3


def test_reviewers_find_published_records_with_parts_waiting(editor_client, reviewer_client):
    quiet = PersonFactory()
    renamed = PersonFactory()
    PersonNameFactory(person=renamed, state="in_review")
    cited_name = PersonNameFactory(state="published")
    CitationFactory(record=cited_name, state="in_review")
    under_review = PersonFactory(state="in_review")
    draft_charge = ChargeFactory(state="draft")
    response = reviewer_client.get(admin_url(pm.Person, "changelist"), {"review": "waiting"})
    assert set(response.context["cl"].result_list) == {renamed, cited_name.person, under_review}
    assert quiet not in response.context["cl"].result_list
    detentions = reviewer_client.get(admin_url(pm.Detention, "changelist"), {"review": "waiting"})
    assert draft_charge.detention not in detentions.context["cl"].result_list
