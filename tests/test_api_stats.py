"""Statistics count published people only, and put the database beside reported figures."""

import datetime

from prisoners import publishing, stats
from prisoners.api.views import InCustodySeries, _series_data
from prisoners.stats import interval_starts

from .factories import DetentionFactory, ReleaseFactory


def series(client, **params):
    response = client.get("/api/v1/stats/in-custody/", params)
    assert response.status_code == 200, response.json()
    return {row["start"]: row for row in response.json()["series"]}


def test_counts_by_status_article_facility_region_and_release_kind(client, seed):
    body = client.get("/api/v1/stats/").json()
    assert body["people"] == 7
    assert {r["value"]: r["people"] for r in body["by_status"]} == {
        "restricted": 2,
        "unknown": 2,
        "exile": 1,
        "in_custody": 1,
        "released": 1,
    }
    assert {r["value"]: r["people"] for r in body["by_article"]} == {"210": 1, "243": 1}
    facilities = {r["label"]: r["people"] for r in body["by_facility"]}
    assert facilities["KGB pre-trial detention centre"] == 4
    assert {r["value"]: r["people"] for r in body["by_release_kind"]} == {
        "house_arrest": 3,
        "exile": 1,
        "restraint_lifted": 1,
    }


def test_unpublished_people_are_not_counted(client, seed):
    DetentionFactory(person__state="draft")
    DetentionFactory(state="draft")
    body = client.get("/api/v1/stats/").json()
    assert body["people"] == 8  # the second factory person is published, their detention not
    assert {r["value"]: r["people"] for r in body["by_status"]}["unknown"] == 3


def test_in_custody_by_month_from_the_seed(client, seed):
    rows = series(client, **{"from": "2020-05-01", "to": "2025-10-31"})
    # June 2020: Babariko (June) and Losik (25 June); Voskresensky's start is unknown.
    assert rows["2020-06-01"]["in_custody"] == 2
    # September: + Vlasova (31 August) and Rabtsevich (September).
    assert rows["2020-09-01"]["in_custody"] == 4
    # October: Rabtsevich to house arrest on the 11th, Vlasova during the month: still 4.
    assert rows["2020-10-01"]["in_custody"] == 4
    assert rows["2020-11-01"]["in_custody"] == 2
    # Losik released on 2025-09-11: counted in September, not in October.
    assert rows["2025-09-01"]["in_custody"] == 2
    assert rows["2025-10-01"]["in_custody"] == 1
    assert (
        client.get("/api/v1/stats/in-custody/", {"from": "2020-01-01"}).json()["undated_detentions"]
        == 1
    )


def test_reported_figures_stand_beside_the_interval_they_describe(client, seed):
    rows = series(client, **{"from": "2020-08-01", "to": "2020-10-31"})
    assert [f["value"] for f in rows["2020-08-01"]["reported_figures"]] == [6000]
    assert sorted(f["value"] for f in rows["2020-10-01"]["reported_figures"]) == [
        30,
        600,
        13000,
        14000,
    ]
    assert rows["2020-09-01"]["reported_figures"] == []


def test_a_person_detained_twice_is_counted_once_per_interval(client, db):
    first = DetentionFactory(started_on="2021-01-05")
    ReleaseFactory(detention=first, released_on="2021-01-20")
    DetentionFactory(person=first.person, started_on="2021-01-25")
    rows = series(client, **{"from": "2021-01-01", "to": "2021-02-28"})
    assert rows["2021-01-01"]["in_custody"] == 1
    assert rows["2021-02-01"]["in_custody"] == 1


def test_intervals_of_a_year_week_and_day(client, db):
    DetentionFactory(started_on="2021-03")
    assert (
        series(client, **{"from": "2020-01-01", "to": "2022-12-31", "interval": "year"})[
            "2021-01-01"
        ]["in_custody"]
        == 1
    )
    weeks = interval_starts(datetime.date(2021, 3, 3), datetime.date(2021, 3, 20), "week")
    assert weeks[0] == datetime.date(2021, 3, 1) and all(w.weekday() == 0 for w in weeks)
    days = series(client, **{"from": "2021-02-27", "to": "2021-03-02", "interval": "day"})
    assert [row["in_custody"] for row in days.values()] == [0, 0, 1, 1]


def test_the_period_is_checked_and_an_empty_period_has_no_intervals(client, db):
    response = client.get("/api/v1/stats/in-custody/", {"from": "1850-01-01"})
    assert response.status_code == 400
    assert response.json() == {"from": ["Give a date between 1900 and 2099."]}
    backwards = client.get("/api/v1/stats/in-custody/", {"from": "2021-01-01", "to": "2020-01-01"})
    assert backwards.status_code == 200 and backwards.json()["series"] == []
    daily = client.get(
        "/api/v1/stats/in-custody/", {"from": "2018-01-01", "to": "2020-09-26", "interval": "day"}
    )
    assert len(daily.json()["series"]) == 1000
    assert daily.json()["to"] == "2020-09-26" and daily.json()["next"] is None


def follow(client, url, **params):
    """Every part of a series, following ``next``: (from, to, intervals) of each."""
    parts = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        parts.append((body["from"], body["to"], len(body["series"])))
        if body["next"] is None:
            return parts, body
        response = client.get(body["next"])


def test_a_longer_period_is_answered_in_parts_linked_by_next(client, db):
    DetentionFactory(started_on="1995-06-01")
    url = "/api/v1/stats/in-custody/"
    parts, last = follow(
        client, url, **{"from": "1990-01-01", "to": "1997-12-31", "interval": "day"}
    )
    assert parts == [
        ("1990-01-01", "1992-09-26", 1000),
        ("1992-09-27", "1995-06-23", 1000),
        ("1995-06-24", "1997-12-31", 922),
    ]
    assert last["series"][-1] == {
        "start": "1997-12-31",
        "end": "1997-12-31",
        "in_custody": 1,
        "reported_figures": [],
    }
    # The next part keeps what was asked, and builds its link from the validated values.
    first = client.get(url, {"from": "1990-01-01", "interval": "week", "lang": "be"}).json()
    assert first["next"] == (
        "http://testserver/api/v1/stats/in-custody/?from=2009-03-02&interval=week&lang=be"
    )
    assert first["to"] == "2009-03-01" and len(first["series"]) == 1000


def test_without_to_a_series_from_long_ago_is_not_refused(client, db):
    """The request schemathesis found refused with a 400 although the schema allows it."""
    response = client.get("/api/v1/stats/in-custody/", {"from": "2013-03-10", "interval": "day"})
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], len(body["series"])) == ("2013-03-10", "2015-12-04", 1000)
    assert body["next"].endswith("?from=2015-12-05&interval=day")
    parameters = client.get("/api/v1/schema/?format=json").json()["paths"][
        "/api/v1/stats/in-custody/"
    ]["get"]["parameters"]
    described = {p["name"]: p.get("description", "") for p in parameters}
    assert "At most 1,000 intervals per answer" in described["to"]
    assert "`next`" in described["interval"]


def test_counts_follow_every_publication_and_nothing_else(client, seed):
    def people():
        return client.get("/api/v1/stats/").json()["people"]

    assert people() == 7
    detention = DetentionFactory()
    assert people() == 8  # published
    person = detention.person
    person.state = "in_review"  # an Editor's change: the public keeps the published one
    person.save()
    assert people() == 8
    publishing.unpublish(record=person)  # a Reviewer takes it down
    assert people() == 7
    person.refresh_from_db()
    person.state = "published"  # and publishes it again
    person.save()
    assert people() == 8


def test_the_series_is_written_as_its_serializer_documents_it(seed):
    series = stats.in_custody_series(
        datetime.date(2020, 6, 1), datetime.date(2020, 12, 31), "month"
    )
    assert any(row["reported_figures"] for row in series["series"])
    assert _series_data(series) == InCustodySeries(series).data
