"""Anonymous reads carry validators and answer 304; nothing private is ever cacheable."""

import pytest
from django.test import Client

from tests.admin_client import signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/api/v1/prisoners/",
    "/api/v1/stats/",
    "/exports/prisoners.csv",
    "/exports/datapackage.zip",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_repeated_read_is_not_modified(url):
    PersonFactory()
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public, max-age=")
    assert first.has_header("Last-Modified")
    assert "Accept-Language" in first["Vary"]

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert not again.content

    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_change_makes_the_cached_copy_stale():
    person = PersonFactory()
    client = Client()
    first = client.get("/api/v1/prisoners/")
    person.biography = "Changed after the first read."
    person.save()
    after = client.get("/api/v1/prisoners/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_each_query_and_language_has_its_own_tag():
    PersonFactory()
    client = Client()
    tags = {
        client.get("/api/v1/prisoners/")["ETag"],
        client.get("/api/v1/prisoners/?limit=5")["ETag"],
        client.get("/api/v1/prisoners/", HTTP_ACCEPT_LANGUAGE="be")["ETag"],
    }
    assert len(tags) == 3


def test_a_bad_request_is_not_cacheable():
    response = Client().get("/api/v1/prisoners/?limit=abc")
    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


def test_a_signed_in_reader_gets_a_private_response():
    client = signed_in("Reviewer", "reviewer")
    response = client.get("/api/v1/prisoners/")
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")
    assert client.get("/admin/")["Cache-Control"] != "public"
    assert "public" not in client.get("/admin/").get("Cache-Control", "")


def test_a_response_that_sets_a_cookie_is_private():
    """The API's docs page sets the CSRF cookie (and uses a CSP nonce): no shared cache may
    keep it, or every visitor would get one cookie and one nonce."""
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    assert response.cookies  # the CSRF token
    assert response["Cache-Control"] == "private, no-store"


def test_a_public_page_without_a_cookie_stays_public():
    response = Client().get("/en/")
    assert not response.cookies
    assert response["Cache-Control"].startswith("public, max-age=")
