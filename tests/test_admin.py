"""The editors' admin: every page works, rules show as form errors, lists stay cheap."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget
from django.db import connection
from django.forms import ModelChoiceField
from django.test.utils import CaptureQueriesContext

from prisoners import models as pm
from sources.models import Source

from .admin_client import admin_url, form_data, member
from .factories import DetentionFactory, PersonFactory

MODELS = [
    model for model in admin.site._registry if model._meta.app_label in {"prisoners", "sources"}
]
# Found by the app, never entered: no add page (possible duplicates).
NOT_ADDED = {pm.DuplicatePair}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_admin_page_works_for_a_reviewer(client, seed, model):
    client.force_login(member("Reviewer", "rita"))
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=a",
        admin_url(model, "add"),
    ):
        expected = 403 if model in NOT_ADDED and url.endswith("/add/") else 200
        assert client.get(url).status_code == expected, url
    record = model.objects.order_by("pk").first()
    if record is None:
        pytest.skip("no seed record of this model")
    for view in ("change", "history"):
        url = admin_url(model, view, record.pk)
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_an_editor_edits_but_may_not_delete(client, seed, model):
    client.force_login(member("Editor", "edna"))
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == (403 if model in NOT_ADDED else 200)
    record = model.objects.order_by("pk").first()
    if record is not None:
        assert client.get(admin_url(model, "change", record.pk)).status_code == 200
        assert client.get(admin_url(model, "delete", record.pk)).status_code == 403
        assert model.objects.filter(pk=record.pk).exists()


def test_anonymous_users_are_sent_to_the_login(client, db):
    response = client.get("/admin/prisoners/person/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


class TestRulesShowAsFormErrors:
    @pytest.fixture
    def reviewer(self, client, seed):
        client.force_login(member("Reviewer", "rita"))
        return client

    def test_a_release_before_its_detention(self, reviewer):
        detention = pm.Detention.objects.get(person__name="Ihar Losik")
        url = admin_url(pm.Detention, "change", detention.pk)
        data = form_data(reviewer.get(url))
        data["releases-0-released_on"] = "2019"
        response = reviewer.post(url, data)
        assert response.status_code == 200
        errors = [f.errors for f in response.context["inline_admin_formsets"][3].formset]
        assert "A release cannot precede its detention" in str(errors)
        assert pm.Release.objects.get(detention=detention).released_on == "2025-09-11"

    def test_a_second_source_with_the_same_url(self, reviewer):
        existing = Source.objects.exclude(url="").first()
        response = reviewer.post(
            admin_url(Source, "add"),
            {
                "kind": "news_article",
                "title": "Copy",
                "url": existing.url,
                "state": "draft",
                "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
                "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["url"] == [
            "A source with this URL is already recorded."
        ]

    def test_a_bad_partial_date(self, reviewer):
        person = pm.Person.objects.get(name="Ihar Losik")
        url = admin_url(pm.Person, "change", person.pk)
        data = form_data(reviewer.get(url))
        data["birth_date"] = "31.02.1992"
        response = reviewer.post(url, data)
        assert response.status_code == 200
        error = str(response.context["adminform"].form.errors["birth_date"])
        assert "not a date in the calendar" in error and "25.06.2020" in error

    @pytest.mark.parametrize(
        ("typed", "stored", "shown"),
        [
            ("1992", "1992", "1992"),
            ("1992-06", "1992-06", "June 1992"),
            ("06.1992", "1992-06", "June 1992"),
            ("25.06.1992", "1992-06-25", "25 June 1992"),
        ],
    )
    def test_partial_dates_are_stored_as_precise_as_typed(self, reviewer, typed, stored, shown):
        person = pm.Person.objects.get(name="Ihar Losik")
        url = admin_url(pm.Person, "change", person.pk)
        data = form_data(reviewer.get(url))
        data["birth_date"] = typed
        assert reviewer.post(url, data).status_code == 302
        person.refresh_from_db()
        assert person.birth_date == stored
        assert f'value="{shown}"' in reviewer.get(url).content.decode()

    def test_a_negative_term(self, reviewer):
        decision = pm.CourtDecision.objects.get(detention__person__name="Ihar Losik")
        url = admin_url(pm.CourtDecision, "change", decision.pk)
        data = form_data(reviewer.get(url))
        data["term_months"] = "-12"
        response = reviewer.post(url, data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["term_months"] == [
            "A term cannot be negative."
        ]
        decision.refresh_from_db()
        assert decision.term_months == 180


def test_the_person_list_shows_status_detention_facility_and_articles(client, seed):
    client.force_login(member("Reviewer", "rita"))
    page = client.get("/admin/prisoners/person/").content.decode()
    assert "KGB pre-trial detention centre" in page  # Babariko's facility
    assert "243-2" in page  # Vlasova's article
    for filter_name in ("facility", "article", "recognised_by"):
        assert f"?{filter_name}=" in page
    assert 'name="detained_from"' in page and 'name="detained_to"' in page
    vlasova = pm.Person.objects.get(name="Lilia Vlasova")
    article = pm.CriminalArticle.objects.get(number="243")
    filtered = client.get(f"/admin/prisoners/person/?article={article.pk}")
    assert list(filtered.context["cl"].result_list) == [vlasova]

    def between(start, end):
        response = client.get(
            "/admin/prisoners/person/", {"detained_from": start, "detained_to": end}
        )
        return {p.name for p in response.context["cl"].result_list}

    # Voskresensky's detention has no known start date, so no range can include it.
    assert between("2020", "2020") == {
        "Ihar Losik",
        "Viktor Babariko",
        "Lilia Vlasova",
        "Dzmitry Rabtsevich",
    }
    assert between("2020-06-15", "2020-06-30") == {"Ihar Losik", "Viktor Babariko"}
    assert between("2020-09", "") == {"Dzmitry Rabtsevich"}
    bad = client.get("/admin/prisoners/person/", {"detained_from": "June"})
    assert bad.status_code == 302 and "e=1" in bad["Location"]


def test_the_person_list_takes_the_same_queries_for_10_and_1000_people(client, db):
    client.force_login(member("Reviewer", "rita"))

    def queries():
        client.get("/admin/prisoners/person/")  # warm caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/prisoners/person/").status_code == 200
        return len(captured.captured_queries)

    for _ in range(10):
        DetentionFactory(person=PersonFactory())
    few = queries()
    people = pm.Person.objects.bulk_create(
        [pm.Person(name=f"Person {n}", state="published") for n in range(990)]
    )
    pm.Detention.objects.bulk_create(
        [pm.Detention(person=p, started_on="2021", state="published") for p in people]
    )
    assert pm.Person.objects.count() == 1000
    assert queries() == few


def test_editors_pick_english_belarusian_or_russian(client, db):
    client.force_login(member("Editor", "edna"))
    client.post("/i18n/setlang/", {"language": "be", "next": "/admin/"})
    # Django's own "Log out", in the official orthography of our catalogue (not "Выйсьці").
    assert "Выйсці" in client.get("/admin/").content.decode()
    client.post("/i18n/setlang/", {"language": "ru", "next": "/admin/"})
    assert "Выйти" in client.get("/admin/").content.decode()
    page = client.get("/admin/").content.decode()
    assert 'id="language-form"' in page and 'value="be"' in page


def test_history_shows_the_difference_and_reverts(client, seed):
    from io import StringIO

    from django.core.management import call_command

    call_command("populate_history", auto=True, stdout=StringIO())  # as make run does
    client.force_login(member("Reviewer", "rita"))
    person = pm.Person.objects.get(name="Lilia Vlasova")
    url = admin_url(pm.Person, "change", person.pk)
    data = form_data(client.get(url))
    data["occupation"] = "lawyer, mediator and author"
    assert client.post(url, data).status_code == 302
    history = client.get(admin_url(pm.Person, "history", person.pk)).content.decode()
    assert "lawyer and mediator" in history and "lawyer, mediator and author" in history
    first = person.history.order_by("history_date").first()
    revert_url = f"/admin/prisoners/person/{person.pk}/history/{first.history_id}/"
    form = client.get(revert_url)
    assert form.status_code == 200
    assert client.post(revert_url, form_data(form)).status_code == 302
    person.refresh_from_db()
    assert person.occupation == "lawyer and mediator"
    assert person.history.first().history_user.username == "rita"


def test_the_person_page_lists_the_custody_record_in_order(client, seed):
    client.force_login(member("Reviewer", "rita"))
    vlasova = pm.Person.objects.get(name="Lilia Vlasova")
    page = client.get(admin_url(pm.Person, "change", vlasova.pk)).content.decode()
    record = page[page.index("Detentions, decisions and releases") :]
    order = [
        record.index(text)
        for text in (
            "detained</a> 2020-08-31",
            "measure of restraint changed to house arrest</a> 2020-10",
            "released pending trial (restraint lifted)</a> 2020-10",
        )
    ]
    assert order == sorted(order)
    release = vlasova.detentions.get().releases.first()
    assert admin_url(pm.Release, "change", release.pk) in record


@pytest.mark.parametrize("model", [pm.CourtDecision, pm.Release, pm.Recognition])
def test_owned_record_lists_do_not_query_row_by_row(client, db, model):
    from .factories import CourtDecisionFactory, OrganisationFactory, ReleaseFactory

    client.force_login(member("Reviewer", "rita"))
    make = {
        pm.CourtDecision: CourtDecisionFactory,
        pm.Release: ReleaseFactory,
        pm.Recognition: lambda: pm.Recognition.objects.create(
            person=PersonFactory(), organisation=OrganisationFactory()
        ),
    }[model]

    def queries():
        client.get(admin_url(model, "changelist"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(admin_url(model, "changelist")).status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        make()
    few = queries()
    for _ in range(27):
        make()
    assert queries() == few


# Tables of tens of thousands of rows and more at 100,000 people, and the facilities and
# events a form links to: never a select of every row.
LARGE = {pm.Person, pm.Detention, pm.CourtDecision, pm.Event, pm.Facility, pm.ReportedFigure}
LARGE |= {Source, pm.CriminalArticle}


def test_every_link_to_a_person_detention_source_facility_or_event_is_an_autocomplete(rf, db):
    request = rf.get("/admin/")
    request.user = member("Reviewer", "rita")
    forms = []
    for model_admin in admin.site._registry.values():
        forms.append((model_admin, model_admin.get_form(request)))
        for inline in model_admin.get_inline_instances(request):
            forms.append((inline, inline.get_formset(request).form))
    checked = set()
    for owner, form in forms:
        for name, field in form.base_fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            if field.queryset.model is getattr(owner, "parent_model", None):
                continue  # an inline row's link to the page's record: set by the page
            if field.queryset.model in LARGE:
                widget = getattr(field.widget, "widget", field.widget)
                assert isinstance(widget, AutocompleteSelect | ForeignKeyRawIdWidget), (owner, name)
                checked.add(field.queryset.model)
    assert checked == LARGE - {pm.CourtDecision}  # nothing links to a decision


def test_an_autocomplete_pages_through_its_matches_without_counting_them(client, db):
    """A release's detention, typed as a name: 20 a page, "more" while more follow, and
    no COUNT of every match (19,041 detentions for "Kavaliou" at 100,000 people)."""
    for index in range(23):
        DetentionFactory(person=PersonFactory(name=f"Piotr Kavaliou {index}"))
    DetentionFactory(person=PersonFactory(name="Ihar Losik"))
    client.force_login(member("Editor", "ed"))
    url = "/admin/autocomplete/"
    query = {"term": "Kavaliou", "app_label": "prisoners", "model_name": "release"}
    query["field_name"] = "detention"
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url, query).json()
    assert len(first["results"]) == 20 and first["pagination"] == {"more": True}
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    second = client.get(url, {**query, "page": 2}).json()
    assert len(second["results"]) == 3 and second["pagination"] == {"more": False}
    shown = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert len(shown) == 23
    assert all("Losik" not in r["text"] for r in first["results"] + second["results"])
    assert client.get(url, {**query, "page": 3}).status_code == 404
    assert client.get(url, {**query, "page": "x"}).status_code == 404
    assert client.get(url, {**query, "page": 10**18}).status_code == 404  # no SQL overflow
