"""
The public API: read-only, published-only, strict about its parameters.

Every resource goes through the same checks (list, detail, 404 for unpublished, 405 for
writes); every filter has one matching and one non-matching value on the seed data.
"""

import json
import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from prisoners import models as pm
from prisoners import publishing
from sources.models import Source

from .api_resources import RESOURCES
from .factories import DetentionFactory, PersonFactory, ReleaseFactory, SourceFactory

DATA = Path(__file__).parent / "data"


def get(client, url, **params):
    response = client.get(url, params)
    return response, response.json()


def ids(client, url, **params):
    response, body = get(client, url, **params)
    assert response.status_code == 200, body
    return {row["id"] for row in body["results"]}


@pytest.mark.parametrize("resource", RESOURCES)
class TestEveryResource:
    def test_lists_published_records_to_anyone(self, client, seed, resource):
        response, body = get(client, f"/api/v1/{resource}/")
        assert response.status_code == 200
        model = RESOURCES[resource]
        expected = (
            model.objects.filter(state="published") if hasattr(model, "state") else model.objects
        )
        assert body["count"] == expected.count() > 0
        assert {"count", "next", "previous", "results"} <= set(body)

    def test_detail_of_each_listed_record(self, client, seed, resource):
        _, body = get(client, f"/api/v1/{resource}/")
        for row in body["results"]:
            response, detail = get(client, f"/api/v1/{resource}/{row['id']}/")
            assert response.status_code == 200
            assert detail["id"] == row["id"]
            assert detail["url"].endswith(f"/api/v1/{resource}/{row['id']}/")

    def test_an_unpublished_record_is_not_found_like_a_missing_one(self, client, seed, resource):
        model = RESOURCES[resource]
        if not hasattr(model, "state"):
            pytest.skip("criminal-code articles are reference data without an editorial state")
        record = model.objects.order_by("pk").first()
        model.objects.filter(pk=record.pk).update(state="in_review")
        hidden = client.get(f"/api/v1/{resource}/{record.pk}/")
        missing = client.get(f"/api/v1/{resource}/999999/")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
        assert record.pk not in ids(client, f"/api/v1/{resource}/", limit=500)

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_writes_are_not_allowed(self, client, seed, resource, method):
        for url in (f"/api/v1/{resource}/", f"/api/v1/{resource}/1/"):
            response = getattr(client, method)(url, data={}, content_type="application/json")
            assert response.status_code == 405, url
            assert "GET" in response["Allow"]
        assert RESOURCES[resource].objects.exists()


# Filters: (resource, parameter, matching value, non-matching value, a record that matches)
PERSON = "prisoners"
FILTER_CASES = [
    (PERSON, "q", "Vlasowa", "Tsikhanouskaya", ("person", "Lilia Vlasova")),
    (PERSON, "status", "exile", "deceased", ("person", "Ihar Losik")),
    (PERSON, "gender", "female", "other", ("person", "Lilia Vlasova")),
    (PERSON, "article", "243-2", "243-1", ("person", "Lilia Vlasova")),
    (PERSON, "article", "210", "342", ("person", "Dzmitry Rabtsevich")),
    (
        PERSON,
        "recognized_by",
        "belarusian-human-rights-organisations",
        "viasna",
        ("person", "Dzmitry Rabtsevich"),
    ),
    (PERSON, "detained_after", "2020-06-15", "2020-10-01", ("person", "Viktor Babariko")),
    (PERSON, "detained_before", "2020-06-15", "2020-05-31", ("person", "Viktor Babariko")),
    (PERSON, "released_after", "2025-01-01", "2025-09-12", ("person", "Ihar Losik")),
    (PERSON, "released_before", "2020-10-11", "2020-09-30", ("person", "Yury Voskresensky")),
    (PERSON, "release_kind", "exile", "pardon", ("person", "Ihar Losik")),
    (PERSON, "sentenced", "true", None, ("person", "Viktor Babariko")),
    (PERSON, "sentenced", "false", None, ("person", "Lilia Vlasova")),
    (PERSON, "term_min_months", "170", "181", ("person", "Ihar Losik")),
    (PERSON, "term_max_months", "170", "100", ("person", "Viktor Babariko")),
    (
        PERSON,
        "updated_since",
        "2026-01-01T00:00:00Z",
        "2030-01-01T00:00:00Z",
        ("person", "Ihar Losik"),
    ),
    ("detentions", "person", "person:Ihar Losik", "999999", ("detention", "Ihar Losik")),
    ("detentions", "started_after", "2020-08-31", "2020-09-01", ("detention", "Lilia Vlasova")),
    ("detentions", "started_before", "2020-06-25", "2020-06-24", ("detention", "Ihar Losik")),
    ("detentions", "article", "243", "293", ("detention", "Lilia Vlasova")),
    (
        "detentions",
        "updated_since",
        "2026-01-01T00:00:00Z",
        "2030-01-01T00:00:00Z",
        ("detention", "Ihar Losik"),
    ),
    ("decisions", "person", "person:Viktor Babariko", "999999", ("decision", "Viktor Babariko")),
    ("decisions", "decided_after", "2021-12-01", "2022-01-01", ("decision", "Ihar Losik")),
    ("decisions", "decided_before", "2021-07-06", "2021-07-05", ("decision", "Viktor Babariko")),
    ("decisions", "penalty_kind", "imprisonment", "fine", ("decision", "Ihar Losik")),
    ("decisions", "term_min_months", "180", "181", ("decision", "Ihar Losik")),
    ("decisions", "term_max_months", "168", "100", ("decision", "Viktor Babariko")),
    ("decisions", "court", "supreme", "regional", ("decision", "Viktor Babariko")),
    ("releases", "kind", "exile", "pardon", ("release", "Ihar Losik")),
    ("releases", "released_after", "2025-09-11", "2025-09-12", ("release", "Ihar Losik")),
    ("releases", "released_before", "2020-10-11", "2020-10-10", ("release", "Yury Voskresensky")),
    ("releases", "destination_country", "lt", "pl", ("release", "Ihar Losik")),
    ("releases", "person", "person:Ihar Losik", "999999", ("release", "Ihar Losik")),
    ("facilities", "q", "Amerykanka", "Valadarka", ("facility", "KGB pre-trial detention centre")),
    ("facilities", "kind", "penal_colony", "prison", ("facility", "Penal colony, Navapolatsk")),
    ("facilities", "city", "navapolatsk", "Hrodna", ("facility", "Penal colony, Navapolatsk")),
    ("facilities", "country", "BY", "LT", ("facility", "Okrestina detention centre")),
    ("articles", "number", "243", "342", ("article", "243")),
    ("articles", "q", "embezzle", "riots", ("article", "210")),
    ("articles", "code", "BY-CC", "RU-CC", ("article", "210")),
    ("sources", "q", "Losik", "Tikhanovskaya", ("source", "Free Ihar Losik")),
    ("sources", "kind", "interview", "court_document", ("source", "TV Rain")),
    ("sources", "language", "uk", "pl", ("source", "Korrespondent (after DW)")),
    ("sources", "publisher", "belsat", "Reuters Health", ("source", "Belsat")),
    ("sources", "published_after", "2025-09-11", "2025-09-12", ("source", "United24 Media")),
    (
        "sources",
        "published_before",
        "2020-08-15",
        "2020-08-14",
        ("source", "Business Insider India"),
    ),
    ("events", "kind", "meeting", "trial", ("event", "meeting")),
    ("events", "happened_after", "2020-10-10", "2020-10-11", ("event", "meeting")),
    ("events", "happened_before", "2020-10-10", "2020-10-09", ("event", "meeting")),
    ("events", "person", "person:Viktor Babariko", "person:Ihar Losik", ("event", "meeting")),
    (
        "events",
        "facility",
        "facility:KGB pre-trial detention centre",
        "facility:Okrestina detention centre",
        ("event", "meeting"),
    ),
    ("figures", "as_of_after", "2025-09-06", "2025-09-07", ("figure", 1197)),
    ("figures", "as_of_before", "2020-08-15", "2020-08-14", ("figure", 6000)),
    ("figures", "qualifier", "at_least", "at_most", ("figure", 6000)),
    ("figures", "counted_by", "vyasna", "Memorial", ("figure", 1197)),
    ("figures", "counted", "journalists", "lawyers", ("figure", 30)),
]


def resolve(value):
    """Turn "person:Name" or "facility:Name" into that record's id."""
    if value is None or ":" not in value or value[0].isdigit():
        return value
    kind, name = value.split(":", 1)
    if kind == "person":
        return str(pm.Person.objects.get(name=name).pk)
    if kind == "facility":
        return str(pm.Facility.objects.get(name_en=name).pk)
    return value


def expected_id(target):
    kind, key = target
    return {
        "person": lambda: pm.Person.objects.get(name=key),
        "detention": lambda: pm.Detention.objects.get(person__name=key),
        "decision": lambda: pm.CourtDecision.objects.get(detention__person__name=key),
        "release": lambda: pm.Release.objects.filter(detention__person__name=key).first(),
        "facility": lambda: pm.Facility.objects.get(name_en=key),
        "article": lambda: pm.CriminalArticle.objects.get(number=key),
        "source": lambda: (
            Source.objects.filter(publisher__icontains=key).first() or Source.objects.get(title=key)
        ),
        "event": lambda: pm.Event.objects.get(kind=key),
        "figure": lambda: pm.ReportedFigure.objects.get(value=key),
    }[kind]().pk


@pytest.mark.parametrize(
    ("resource", "parameter", "matching", "non_matching", "target"),
    FILTER_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in FILTER_CASES],
)
def test_each_filter_matches_and_excludes(
    client, seed, resource, parameter, matching, non_matching, target
):
    url = f"/api/v1/{resource}/"
    record = expected_id(target)
    assert record in ids(client, url, **{parameter: resolve(matching)})
    if non_matching is not None:
        assert record not in ids(client, url, **{parameter: resolve(non_matching)})


def test_sentenced_false_is_the_complement_of_true(client, seed):
    everyone = ids(client, "/api/v1/prisoners/")
    sentenced = ids(client, "/api/v1/prisoners/", sentenced="true")
    unsentenced = ids(client, "/api/v1/prisoners/", sentenced="false")
    assert sentenced and unsentenced
    assert sentenced | unsentenced == everyone and not sentenced & unsentenced


def test_a_month_matches_a_bound_it_can_include(client, db):
    june = DetentionFactory(started_on="2020-06").person
    assert june.pk in ids(client, "/api/v1/prisoners/", detained_after="2020-06-15")
    assert june.pk in ids(client, "/api/v1/prisoners/", detained_before="2020-06-15")
    assert june.pk not in ids(client, "/api/v1/prisoners/", detained_after="2020-07-01")
    assert june.pk not in ids(client, "/api/v1/prisoners/", detained_before="2020-05-31")


def test_release_conditions_apply_to_one_and_the_same_release(client, db):
    person = PersonFactory()
    ReleaseFactory(
        detention__person=person, detention__started_on="2020", kind="pardon", released_on="2021-03"
    )
    ReleaseFactory(
        detention__person=person,
        detention__started_on="2022",
        kind="end_of_term",
        released_on="2024-05",
    )
    found = ids(client, "/api/v1/prisoners/", release_kind="pardon", released_after="2024-01-01")
    assert person.pk not in found
    found = ids(client, "/api/v1/prisoners/", release_kind="pardon", released_before="2021-12-31")
    assert person.pk in found


def test_the_three_research_questions_of_the_readme(client, seed):
    assert ids(client, "/api/v1/prisoners/", status="in_custody", article="342") == set()
    exile = ids(
        client,
        "/api/v1/releases/",
        kind="exile",
        released_after="2025-01-01",
        released_before="2025-12-31",
    )
    assert exile == {pm.Release.objects.get(kind="exile").pk}
    june = ids(
        client,
        "/api/v1/prisoners/",
        recognized_by="belarusian-human-rights-organisations",
        detained_after="2020-08-01",
        detained_before="2020-08-31",
    )
    assert june == {pm.Person.objects.get(name="Lilia Vlasova").pk}


@pytest.mark.parametrize(
    ("url", "parameter", "value"),
    [
        ("/api/v1/prisoners/", "detained_after", "June 2020"),
        ("/api/v1/prisoners/", "status", "free"),
        ("/api/v1/prisoners/", "sentenced", "maybe"),
        ("/api/v1/prisoners/", "article", "Art. 342"),
        ("/api/v1/prisoners/", "term_min_months", "-1"),
        ("/api/v1/prisoners/", "term_min_months", "ten"),
        ("/api/v1/prisoners/", "facility", "Okrestina"),
        ("/api/v1/prisoners/", "ordering", "birth_date"),
        ("/api/v1/prisoners/", "updated_since", "yesterday"),
        ("/api/v1/prisoners/", "stauts", "in_custody"),
        ("/api/v1/prisoners/", "limit", "all"),
        ("/api/v1/prisoners/", "offset", "-5"),
        ("/api/v1/prisoners/", "facility", "1.5"),
        ("/api/v1/prisoners/", "facility", "99999999999999999999999"),
        ("/api/v1/prisoners/", "detained_after", ""),
        ("/api/v1/decisions/", "term_min_months", "1e3"),
        ("/api/v1/stats/in-custody/", "to", ""),
        ("/api/v1/releases/", "kind", "escape"),
        ("/api/v1/decisions/", "decided_before", "2021-13-01"),
        ("/api/v1/sources/", "published_after", "2020-02-30"),
        ("/api/v1/stats/in-custody/", "interval", "fortnight"),
        ("/api/v1/stats/in-custody/", "from", "last year"),
        ("/api/v1/stats/", "status", "in_custody"),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(client, seed, url, parameter, value):
    response, body = get(client, url, **{parameter: value})
    assert response.status_code == 400
    assert list(body) == [parameter]
    assert body[parameter] and all(isinstance(m, str) and m for m in body[parameter])


class TestPages:
    def test_limit_offset_next_previous_and_a_stable_order(self, client, db):
        people = [PersonFactory(name="Same Name") for _ in range(7)]
        _, body = get(client, "/api/v1/prisoners/", limit=3)
        assert body["count"] == 7 and len(body["results"]) == 3
        assert "offset=3" in body["next"] and body["previous"] is None
        seen = [row["id"] for row in body["results"]]
        for offset in (3, 6):
            _, page = get(client, "/api/v1/prisoners/", limit=3, offset=offset)
            seen += [row["id"] for row in page["results"]]
        assert seen == sorted(p.pk for p in people)  # ties broken by id, nothing repeated

    def test_ordering_keeps_ties_in_id_order(self, client, db):
        people = [PersonFactory() for _ in range(4)]
        _, body = get(client, "/api/v1/prisoners/", ordering="-status")
        assert [row["id"] for row in body["results"]] == [p.pk for p in people]

    def test_limit_defaults_to_50_and_allows_up_to_500(self, client, db):
        PersonFactory.create_batch(51)
        _, body = get(client, "/api/v1/prisoners/")
        assert len(body["results"]) == 50
        _, body = get(client, "/api/v1/prisoners/", limit=500)
        assert len(body["results"]) == 51
        response, body = get(client, "/api/v1/prisoners/", limit=501)
        assert response.status_code == 400
        assert body == {"limit": ["Must be at most 500."]}

    def test_an_empty_ordering_means_the_default_order(self, client, seed):
        assert ids(client, "/api/v1/prisoners/", ordering="") == ids(client, "/api/v1/prisoners/")


def test_anonymous_clients_are_rate_limited_with_retry_after(client, db):
    cache.clear()
    with override_settings(API_ANON_RATE="3/minute"):
        codes = [client.get("/api/v1/facilities/").status_code for _ in range(4)]
        limited = client.get("/api/v1/facilities/")
    cache.clear()
    assert codes == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0


def test_any_origin_may_read_the_api_but_not_the_admin(client, db):
    response = client.get("/api/v1/prisoners/", HTTP_ORIGIN="https://notebook.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/prisoners/",
        HTTP_ORIGIN="https://notebook.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    admin = client.get("/admin/login/", HTTP_ORIGIN="https://notebook.example.org")
    assert "Access-Control-Allow-Origin" not in admin


def test_the_pinned_document_of_ihar_losik(client, seed):
    """Any change to the public format of a person must be deliberate: update the pin."""
    losik = pm.Person.objects.get(name="Ihar Losik")
    _, body = get(client, f"/api/v1/prisoners/{losik.pk}/")
    pin = DATA / "losik.json"
    if os.environ.get("UPDATE_PINS"):
        pin.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert body == json.loads(pin.read_text(encoding="utf-8"))


def test_conflicting_claims_show_side_by_side(client, seed):
    vlasova = pm.Person.objects.get(name="Lilia Vlasova")
    _, body = get(client, f"/api/v1/prisoners/{vlasova.pk}/")
    house_arrest = next(r for r in body["detentions"][0]["releases"] if r["kind"] == "house_arrest")
    assert house_arrest["released_on"]["value"] == "2020-10"
    claims = {
        (c["source"]["publisher"], c["stated_value"])
        for c in house_arrest["citations"]
        if c["field"] == "released_on"
    }
    assert claims == {
        ("TV Rain", "2020-10-16"),
        ("Korrespondent (after DW)", "2020-10-16"),
        ("bgmedia.site (retelling a Tut.by interview)", "2020-10-19"),
    }


def test_a_citation_of_an_unpublished_source_is_not_shown(client, seed):
    for source in Source.objects.filter(publisher="United24 Media"):
        publishing.unpublish(record=source)  # taken down at once, with its citations
    losik = pm.Person.objects.get(name="Ihar Losik")
    _, body = get(client, f"/api/v1/prisoners/{losik.pk}/")
    release = body["detentions"][0]["releases"][0]
    assert release["citations"] == []
    assert "United24" not in json.dumps(body)


def test_a_new_unpublished_source_is_not_listed(client, seed):
    draft = SourceFactory(state="draft", title="Draft report")
    assert draft.pk not in ids(client, "/api/v1/sources/", limit=500)
