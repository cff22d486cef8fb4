"""
Query parameters: nothing a client sends is echoed into a response body, and a parameter
given twice is a 400 unless it is a list (``status=in_custody&status=released``).

Every answer passes through the redactor of withheld names, so text echoed from the
request would be redacted exactly when it is a withheld spelling: an oracle for guesses.
"""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import override_settings
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tracker.lib.api_plumbing import REPEATED, StrictLimitOffsetPagination

from .factories import PersonFactory, PersonNameFactory

LIST = "/api/v1/prisoners/"
CSV = "/exports/prisoners.csv"


def query_of(link):
    """The (name, value) pairs of a link's query, decoded, in order."""
    return parse_qsl(urlsplit(link).query, keep_blank_values=True)


@pytest.fixture
def losiks(db):
    """Three published people found by q=Losik, and one withheld ("Ivanova")."""
    for first in ("Ales", "Ihar", "Maryna"):
        PersonNameFactory(person=PersonFactory(name=f"{first} Losik"), name=f"{first} Losik")
    withheld = PersonFactory(name="Ivanova", name_withheld=True, public_descriptor="a teacher")
    PersonNameFactory(person=withheld, name="Ivanova")
    for first in ("Anna", "Olga"):  # public names that a search for "Ivanova" finds
        PersonNameFactory(person=PersonFactory(name=f"{first} Ivanov"), name=f"{first} Ivanov")


class TestLinks:
    def test_next_carries_the_validated_value_re_encoded(self, client, losiks):
        body = client.get(LIST, {"limit": 1, "q": "  Losik "}).json()
        assert body["count"] == 3
        assert body["next"] == "http://testserver/api/v1/prisoners/?q=Losik&limit=1&offset=1"

    def test_a_guess_in_q_is_not_answered_by_the_links(self, client, losiks):
        guess = client.get(LIST, {"limit": 1, "q": "Ivanova"}).json()
        public = client.get(LIST, {"limit": 1, "q": "Ivanov"}).json()
        assert guess["count"] >= 2 and public["count"] >= 2  # both find the public Ivanovs
        assert query_of(guess["next"]) == [("q", "Ivanova"), ("limit", "1"), ("offset", "1")]
        assert query_of(public["next"]) == [("q", "Ivanov"), ("limit", "1"), ("offset", "1")]

    def test_the_redaction_oracle_is_a_400(self, client, losiks):
        response = client.get(f"{LIST}?limit=1&q=Ivanova&q=")
        assert response.status_code == 400
        assert response.json() == {"q": [REPEATED]}

    def test_links_hold_only_validated_canonical_values_in_a_stable_order(self, client, db):
        for _ in range(3):
            PersonFactory(gender="female")
        query = (
            "format=json&ordering=-name&limit=1&offset=1&sentenced=no&gender=female"
            "&updated_since=2000-01-01T00:00Z&q="
        )
        response = client.get(f"{LIST}?{query}")
        body = response.json()
        assert response.status_code == 200, body
        expected = [
            ("gender", "female"),
            ("sentenced", "false"),
            ("updated_since", "2000-01-01T00:00:00+00:00"),
            ("ordering", "-name"),
            ("format", "json"),
            ("limit", "1"),
        ]
        assert query_of(body["previous"]) == expected  # offset 0 is left out
        assert query_of(body["next"]) == [*expected, ("offset", "2")]
        assert client.get(body["next"]).json()["previous"] == body["previous"].replace(
            "limit=1", "limit=1&offset=1"
        )

    def test_list_parameters_come_back_as_lists(self, client, seed):
        body = client.get(f"{LIST}?status=in_custody&status=released&limit=1").json()
        assert body["count"] >= 2
        assert query_of(body["next"]) == [
            ("status", "in_custody"),
            ("status", "released"),
            ("limit", "1"),
            ("offset", "1"),
        ]

    def test_previous_from_a_short_offset_goes_to_the_start(self, client, seed):
        body = client.get(LIST, {"limit": 3, "offset": 1}).json()
        assert query_of(body["previous"]) == [("limit", "3")]

    def test_a_parameter_the_endpoint_does_not_know_is_a_400(self, client, seed):
        response = client.get(LIST, {"limit": 1, "guess": "Ivanova"})
        assert response.status_code == 400
        assert list(response.json()) == ["guess"]

    @override_settings(ALLOWED_HOSTS=["api.example.org"])
    def test_links_stay_absolute(self, client, losiks):
        body = client.get(LIST, {"limit": 1}, HTTP_HOST="api.example.org").json()
        assert body["next"].startswith("http://api.example.org/api/v1/prisoners/?")


REPEATS = {
    "limit": "limit=1&limit=2",
    "offset": "offset=0&offset=0",
    "q": "q=Losik&q=Losik",
    "article": "article=342&article=293-2",
    "format": "format=json&format=json",
    "ordering": "ordering=name&ordering=id",
    "detained_after": "detained_after=2020-01-01&detained_after=2021-01-01",
}


@pytest.mark.parametrize("name", REPEATS)
def test_a_repeated_parameter_is_a_400_on_a_list(client, seed, name):
    response = client.get(f"{LIST}?{REPEATS[name]}")
    assert response.status_code == 400
    assert response.json() == {name: [REPEATED]}


@pytest.mark.parametrize("name", [*REPEATS, "excel"])
def test_a_repeated_parameter_is_a_400_on_an_export(client, seed, name):
    query = REPEATS.get(name, "excel=1&excel=0")
    response = client.get(f"{CSV}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [name]
    if name not in {"limit", "offset", "format"}:  # those are not the exports' at all
        assert response.json() == {name: [REPEATED]}


@pytest.mark.parametrize(
    "url",
    [
        f"{LIST}?status=in_custody&status=released",
        f"{CSV}?status=in_custody&status=released",
        "/api/v1/prisoners/?gender=female&gender=male",
        "/api/v1/releases/?kind=pardon&kind=amnesty",
        "/api/v1/decisions/?penalty_kind=colony_general&penalty_kind=fine",
        "/api/v1/figures/?qualifier=at_least&qualifier=exactly",
    ],
)
def test_a_list_parameter_may_be_repeated(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]


def test_repeated_status_means_either(client, seed):
    both = client.get(f"{LIST}?status=in_custody&status=released&limit=500").json()
    statuses = {row["current_status"] for row in both["results"]}
    assert statuses == {"in_custody", "released"}


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/stats/?format=json&format=json", "format"),
        ("/api/v1/stats/in-custody/?interval=month&interval=year", "interval"),
        ("/api/v1/stats/in-custody/?from=2020-01-01&from=2021-01-01", "from"),
        ("/api/v1/stats/in-custody/?to=2022-01-01&to=2022-01-01", "to"),
        ("/api/v1/stats/in-custody/?format=json&format=json", "format"),
    ],
)
def test_a_repeated_parameter_is_a_400_on_the_stats(client, seed, url, name):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json() == {name: [REPEATED]}


def test_the_stats_still_take_each_parameter_once(client, seed):
    assert client.get("/api/v1/stats/?format=json").status_code == 200
    url = "/api/v1/stats/in-custody/?from=2020-01-01&to=2021-01-01&interval=year&format=json"
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["limit", "offset"])
def test_the_pagination_itself_refuses_a_repeat(name):
    request = Request(APIRequestFactory().get(f"/x/?{name}=1&{name}=1"))
    with pytest.raises(ValidationError) as error:
        StrictLimitOffsetPagination().paginate_queryset([1, 2, 3], request)
    assert error.value.detail == {name: [REPEATED]}


def test_the_schema_documents_the_400s_and_explodes_only_lists(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][LIST]["get"]
    description = operation["responses"]["400"]["description"]
    assert all(word in description for word in ("unknown", "empty", "repeated"))
    exploded = {p["name"] for p in operation["parameters"] if p.get("explode")}
    assert exploded == {"status", "gender"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/prisoners/?status=Zmitser-guess",
        "/api/v1/releases/?kind=Zmitser-guess",
        "/api/v1/prisoners/?detained_after=Zmitser-guess",
        "/exports/prisoners.csv?status=Zmitser-guess",
        "/exports/releases.csv?kind=Zmitser-guess",
    ],
)
def test_an_invalid_value_is_not_repeated_back(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"Zmitser" not in response.content
    assert list(response.json()) == [url.split("?")[1].split("=")[0]]


TOO_MANY = "&".join(f"p{n}=1" for n in range(1100))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS


@pytest.mark.parametrize(
    "url", ["/api/v1/prisoners/", "/api/v1/sources/", "/api/v1/stats/", "/exports/sources.csv"]
)
def test_more_than_a_thousand_parameters_is_a_json_400(client, db, url):
    response = client.get(f"{url}?{TOO_MANY}")
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}
