"""
Holding up under attack, load and faults: rate limits per real client address, counted
in the cache (shared by every worker with Redis: tests/test_shared_cache.py); honest
JSON errors (500 and 503 included); CSV streams that fail visibly; bounded work per
request (statement time limit, interval cap); strict input; and formula-proof CSV cells.

Rate limits are off in the test settings; each test here sets its own.
"""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.utils import OperationalError
from django.test import RequestFactory, override_settings

from prisoners import models as pm
from prisoners.api.views import PersonViewSet
from prisoners.exports import EXPORTS
from prisoners.exports.views import INCOMPLETE
from tracker.lib import api_plumbing, errors, throttling
from tracker.lib.csv_streams import neutralise, remove_guard
from tracker.lib.spreadsheet import TrackerResource

from .factories import FacilityFactory, PersonFactory

LIST = "/api/v1/facilities/"
CSV = "/exports/facilities.csv"
NO_LIMITS = {"API_ANON_RATE": None, "EXPORT_RATE": None, "DATAPACKAGE_RATE": None}


@pytest.fixture(autouse=True)
def no_limits(settings):
    """Every limit off unless the test sets one (whatever the test settings say)."""
    for name, value in NO_LIMITS.items():
        setattr(settings, name, value)


@pytest.fixture
def counts(db):
    """A clean count for each test."""
    cache.clear()
    yield
    cache.clear()


def statuses(client, url, times, **headers):
    return [client.get(url, **headers).status_code for _ in range(times)]


# --- 1. Rate limits ----------------------------------------------------------------------


@override_settings(**NO_LIMITS | {"API_ANON_RATE": "3/minute"}, NUM_PROXIES=0)
def test_a_new_x_forwarded_for_each_time_does_not_evade_the_limit(client, counts):
    codes = [client.get(LIST, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]


@override_settings(**NO_LIMITS | {"API_ANON_RATE": "2/minute"}, NUM_PROXIES=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(client, counts):
    # The client writes anything to the left; the proxy appends the address it saw.
    spoofed = [
        client.get(LIST, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7").status_code
        for n in range(3)
    ]
    assert spoofed == [200, 200, 429]
    assert client.get(LIST, HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.8").status_code == 200


def test_ipv6_clients_count_per_64_network():
    factory = RequestFactory()

    def key(address):
        return throttling.client_key(factory.get(LIST, REMOTE_ADDR=address))

    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::5") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("::ffff:192.0.2.1") == key("192.0.2.1") == "192.0.2.1"
    assert key("not an address").startswith("other-")


@override_settings(**NO_LIMITS | {"EXPORT_RATE": "2/minute"})
def test_csv_downloads_have_their_own_limit_with_retry_after(client, counts):
    assert statuses(client, CSV, 2) == [200, 200]
    limited = client.get("/exports/prisoners.csv")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/json"
    assert set(limited.json()) == {"detail"}
    assert 0 < int(limited["Retry-After"]) <= 60
    assert client.get(LIST).status_code == 200  # the API is counted apart


@override_settings(**NO_LIMITS | {"DATAPACKAGE_RATE": "1/hour"})
def test_the_data_package_has_its_own_limit_with_retry_after(client, counts):
    first = client.get("/exports/datapackage.zip")
    assert first.status_code == 200
    b"".join(first.streaming_content)
    limited = client.get("/exports/datapackage.zip")
    assert limited.status_code == 429
    assert "detail" in limited.json()
    assert 3000 < int(limited["Retry-After"]) <= 3600
    assert client.get(CSV).status_code == 200  # CSV files are counted apart


@override_settings(**NO_LIMITS | {"API_ANON_RATE": "2/minute"})
def test_requests_that_fail_count_too(client, counts):
    # A 400 rolls the request's transaction back; the count is kept outside it.
    assert statuses(client, f"{LIST}?limit=0", 2) == [400, 400]
    assert client.get(LIST).status_code == 429


@override_settings(API_ANON_RATE="5/minute", EXPORT_RATE="5/minute")
def test_the_middleware_counts_in_the_default_cache(client, counts):
    assert client.get(LIST).status_code == 200
    assert throttling.count(throttling.limit_for(LIST), "127.0.0.1", cache=cache) == 1
    assert throttling.count(throttling.limit_for(CSV), "127.0.0.1", cache=cache) == 0


def test_a_window_closes_after_its_period(counts, monkeypatch):
    # The cache forgets the window when the period is over (the local memory cache reads
    # the same clock as the limit).
    clock = [1000.0]
    monkeypatch.setattr(throttling.time, "time", lambda: clock[0])
    limit = throttling.Limit("api", requests=1, period=60)
    assert throttling.hit(limit, "192.0.2.1") is None
    clock[0] = 1059.2
    assert throttling.hit(limit, "192.0.2.1") == 1
    assert throttling.hit(limit, "192.0.2.2") is None  # another client, its own window
    clock[0] = 1060.0
    assert throttling.hit(limit, "192.0.2.1") is None
    assert throttling.count(limit, "192.0.2.1") == 1


@pytest.mark.parametrize("rate", ["120", "0/minute", "1/fortnight", "١/minute", "-1/hour"])
def test_a_malformed_rate_is_a_configuration_error(rate):
    with pytest.raises(Exception, match="rate limit"):
        throttling.parse_rate(rate)
    assert throttling.parse_rate("off") is None
    assert throttling.parse_rate("5/hour") == (5, 3600)


# --- 2. Honest errors --------------------------------------------------------------------


def broken(exception):
    def get_queryset(self):
        raise exception

    return get_queryset


def test_an_unexpected_error_in_the_api_is_json(client, db, monkeypatch):
    monkeypatch.setattr(PersonViewSet, "get_queryset", broken(RuntimeError("bug")))
    client.raise_request_exception = False
    response = client.get("/api/v1/prisoners/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": errors.SERVER_ERROR}
    assert "bug" not in response.content.decode()


def test_a_database_failure_in_the_api_is_a_503_with_retry_after(client, db, monkeypatch):
    monkeypatch.setattr(PersonViewSet, "get_queryset", broken(OperationalError("gone")))
    client.raise_request_exception = False
    response = client.get("/api/v1/prisoners/")
    assert response.status_code == 503
    assert response.json() == {"detail": errors.UNAVAILABLE}
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("exception", "status", "detail"),
    [
        (RuntimeError("bug"), 500, errors.SERVER_ERROR),
        (OperationalError("gone"), 503, errors.UNAVAILABLE),
    ],
)
def test_an_error_in_an_export_is_json(client, db, monkeypatch, exception, status, detail):
    def queryset():
        raise exception

    monkeypatch.setattr(EXPORTS["facilities"], "queryset", queryset)
    client.raise_request_exception = False
    response = client.get(CSV)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}


def test_the_500_page_elsewhere_is_html(db):
    request = RequestFactory().get("/admin/")
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        response = errors.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_csv_stream_that_fails_midway_raises_instead_of_ending_cleanly(client, db, monkeypatch):
    FacilityFactory()
    export = EXPORTS["facilities"]
    rows = export.rows

    def failing_rows(*args, **kwargs):
        yield from rows(*args, **kwargs)
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(export, "rows", failing_rows)
    response = client.get(CSV)
    assert response.status_code == 200  # sent before the first row
    received = []
    with pytest.raises(OperationalError):
        for chunk in response.streaming_content:
            received.append(chunk)
    text = b"".join(received).decode()
    assert text.endswith(INCOMPLETE)
    assert len(list(csv.reader(io.StringIO(text)))) >= 2  # the header and the row


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00"])
@pytest.mark.parametrize("url", ["/api/v1/prisoners/", "/exports/prisoners.csv"])
def test_a_date_time_that_overflows_utc_is_a_400(client, db, url, value):
    response = client.get(url, {"updated_since": value})
    assert response.status_code == 400
    assert response.json() == {"updated_since": [api_plumbing.OUT_OF_RANGE]}


# --- 3. Bounded work ---------------------------------------------------------------------


def test_the_in_custody_series_has_at_most_1000_intervals(client, db):
    url = "/api/v1/stats/in-custody/"
    everything = {"from": "1900-01-01", "to": "2099-12-31", "interval": "day"}
    response = client.get(url, everything)
    assert response.status_code == 200
    assert len(response.json()["series"]) == 1000
    assert response.json()["to"] == "1902-09-27"
    assert response.json()["next"].endswith("?from=1902-09-28&to=2099-12-31&interval=day")
    most = client.get(url, {"from": "2020-01-01", "to": "2022-09-26", "interval": "day"})
    assert len(most.json()["series"]) == 1000 and most.json()["next"] is None
    one_more = client.get(url, {"from": "2020-01-01", "to": "2022-09-27", "interval": "day"})
    assert len(one_more.json()["series"]) == 1000 and one_more.json()["next"] is not None
    assert client.get(url, everything | {"interval": "year"}).status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statement_timeout is PostgreSQL's; SQLite has no statement time limit",
)
def test_a_slow_public_query_is_cancelled_and_answers_503(client, db, monkeypatch):
    def slow(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
        return pm.Person.objects.none()

    monkeypatch.setattr(PersonViewSet, "get_queryset", slow)
    try:
        with override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=50):
            response = client.get("/api/v1/prisoners/")
        assert response.status_code == 503
        assert response.json() == {"detail": errors.TIMED_OUT}
        assert int(response["Retry-After"]) > 0
        with override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=1234):
            client.get(LIST)
        assert show_statement_timeout() == "1234ms"
        client.get("/admin/login/")  # the admin has no limit
        assert show_statement_timeout() == "0"
    finally:
        errors.set_statement_timeout(None)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statement_timeout is PostgreSQL's; SQLite has no statement time limit",
)
def test_a_public_page_has_the_same_statement_limit(client, db):
    try:
        with override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=1234):
            client.get("/en/prisoners/")
        assert show_statement_timeout() == "1234ms"
    finally:
        errors.set_statement_timeout(None)


def test_a_page_whose_database_is_too_slow_answers_503(rf):
    class Canceled(Exception):
        sqlstate = errors.QUERY_CANCELED

    request = rf.get("/en/prisoners/")
    try:
        raise OperationalError("canceling statement") from Canceled()
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")


def show_statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


# --- 4. Strict input ---------------------------------------------------------------------

LOOSE_NUMBERS = ["１", "١", "1_0", " 1", "1 ", "+1", "1.0", "0x1", "1\n"]


@pytest.mark.parametrize("value", LOOSE_NUMBERS)
@pytest.mark.parametrize(
    ("url", "name"),
    [
        (LIST, "limit"),
        (LIST, "offset"),
        ("/api/v1/detentions/", "person"),
        ("/api/v1/prisoners/", "term_min_months"),
        ("/exports/detentions.csv", "person"),
    ],
)
def test_numbers_are_ascii_digits_only(client, db, url, name, value):
    response = client.get(url, {name: value})
    assert response.status_code == 400, response.content
    assert list(response.json()) == [name]


@pytest.mark.parametrize("value", ["٢٠٢٠-01-01", "２０２０-01-01", "20200101", "2020-W01-1"])
def test_dates_are_ascii_yyyy_mm_dd(client, db, value):
    stats = client.get("/api/v1/stats/in-custody/", {"from": value})
    assert stats.status_code == 400 and list(stats.json()) == ["from"]
    listing = client.get("/api/v1/prisoners/", {"detained_after": value})
    assert listing.status_code == 400 and list(listing.json()) == ["detained_after"]


@pytest.mark.parametrize("value", ["10/25/2006", "Oct 25 2006", "2006-10-25T00:00"])
def test_date_filters_take_only_yyyy_mm_dd(client, db, value):
    response = client.get("/exports/prisoners.csv", {"detained_after": value})
    assert response.status_code == 400
    assert response.json() == {"detained_after": [api_plumbing.NOT_A_DAY]}


def test_huge_numbers_are_a_400_naming_the_maximum(client, db):
    response = client.get(LIST, {"offset": "9" * 5000})
    assert response.status_code == 400
    assert response.json() == {"offset": [f"Must be at most {2**63 - 1}."]}
    assert client.get(LIST, {"limit": "0000000000000000000000005"}).status_code == 200


def test_the_schema_gives_the_pattern_of_whole_numbers(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/detentions/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    for name in ("limit", "offset", "person"):
        assert parameters[name]["pattern"] == "^[0-9]+$", name


# --- 5. Formula guard --------------------------------------------------------------------

GUARDED = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    " =1+1",
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space
    "\n=1+1",
    "\ufeff=1+1",  # byte-order mark
    "\u200e=1+1",  # left-to-right mark
    '"=1+1',
    "'=1+1",
    "“=1+1",
    " \u200b\"'=cmd",
    "＝1+1",  # fullwidth
    "＋1",
    "－1",
    "＠SUM(A1)",
    "﹦1+1",  # small
    "﹢1",
    "﹣1",
    "﹫SUM(A1)",
    " \tcmd",
]
LEFT_ALONE = ["", "Ales Bialiatski", "1+1", "a=b", " text", "'quoted'", "“Viasna”", "2020-06"]


@pytest.mark.parametrize("text", GUARDED)
def test_a_cell_whose_first_visible_character_starts_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert remove_guard(neutralise(text)) == text


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_other_cells_are_left_alone(text):
    assert neutralise(text) == text
    assert remove_guard(text) == text


def test_the_spreadsheet_import_removes_exactly_the_guard():
    row = {"a": "' =1+1", "b": "'＝1", "c": "'quoted'", "d": "''=1", "e": 5}
    TrackerResource().before_import_row(row)
    assert row == {"a": " =1+1", "b": "＝1", "c": "'quoted'", "d": "'=1", "e": 5}


def test_the_csv_download_neutralises_hidden_formulas(client, db):
    PersonFactory(name="\u200b=HYPERLINK(1)", occupation="＝1+1")
    response = client.get("/exports/prisoners.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert (rows[0]["name"], rows[0]["occupation"]) == ("'\u200b=HYPERLINK(1)", "'＝1+1")
