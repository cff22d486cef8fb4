"""
A citation names the field it supports as editors read it: a select of the cited record's
fields by their translated names, shown so in the inline and the citation list; a name
that is not a citable field of that record is refused, in a form and by the model.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from prisoners.models import Person
from sources.models import Citation

from .admin_client import admin_url, form_data, member

CITATIONS = "sources-citation-content_type-object_id"


@pytest.fixture
def reviewer(client, seed):
    client.force_login(member("Reviewer", "rita"))
    client.cookies["django_language"] = "be"
    return client


@pytest.fixture
def losik(seed):
    return Person.objects.get(name="Ihar Losik")


def citations_formset(response):
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == CITATIONS
    ]
    return formset


def test_the_person_page_offers_the_persons_fields_by_their_belarusian_names(reviewer, losik):
    response = reviewer.get(admin_url(Person, "change", losik.pk))
    formset = citations_formset(response)
    choices = dict(formset.forms[0].fields["field"].choices)
    assert choices["occupation"] == "Занятак"
    assert choices["birth_date"] == "Дата нараджэння"
    # Nothing a source does not state: the state, timestamps, ids, derived columns.
    assert not {"state", "updated_at", "id", "current_status", "public_name"} & set(choices)
    page = response.content.decode()
    assert "асоба #" in page and " · занятак ← " in page
    assert ".occupation ←" not in page


def test_the_citation_list_shows_the_field_by_its_name(reviewer, losik):
    person = ContentType.objects.get_for_model(Person)
    response = reviewer.get(
        admin_url(Citation, "changelist"), {"content_type__id__exact": person.pk}
    )
    page = response.content.decode()
    assert ">Занятак<" in page and " · занятак ← " in page


def test_a_field_that_is_not_the_records_is_a_form_error_on_the_record_page(reviewer, losik):
    url = admin_url(Person, "change", losik.pk)
    data = form_data(reviewer.get(url))
    row = next(
        n
        for n in range(int(data[f"{CITATIONS}-TOTAL_FORMS"]))
        if data[f"{CITATIONS}-{n}-field"] == "occupation"
    )
    data[f"{CITATIONS}-{row}-field"] = "started_on"  # a detention's field, not a person's
    response = reviewer.post(url, data)
    assert response.status_code == 200
    errors = citations_formset(response).errors[row]
    assert "field" in errors
    assert losik.citations.filter(field="occupation").exists()


def test_the_citation_page_refuses_an_unknown_field(reviewer, losik):
    citation = losik.citations.filter(field="occupation").first()
    url = admin_url(Citation, "change", citation.pk)
    data = form_data(reviewer.get(url))
    with translation.override("be"):
        assert dict(reviewer.get(url).context["adminform"].form.fields["field"].choices)[
            "occupation"
        ] == ("Занятак")
    data["field"] = "nonsense"
    response = reviewer.post(url, data)
    assert response.status_code == 200
    assert "field" in response.context["adminform"].form.errors
    citation.refresh_from_db()
    assert citation.field == "occupation"


@pytest.mark.parametrize("name", ["nonsense", "started_on", "state", "updated_at", "id"])
def test_the_model_refuses_a_name_that_is_not_a_citable_field_of_the_record(losik, name):
    citation = losik.citations.first()
    citation.field, citation.stated_value = name, "x"
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    assert "field" in refused.value.message_dict
