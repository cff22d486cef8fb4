"""
The lists built without a serializer per row (prisoners.api.rows), the citations read as
plain rows (prisoners.api.citations) and the links built from templates
(prisoners.api.links) answer exactly what the serializers answer: the documented shape.

Each response is compared with the one the serializers give on their own (every list
serializer, ``CitationSerializer`` per record, ``tracker.lib.api.record_url``
(``reverse()`` and the request's ``lang``) per link), on the seed data plus a withheld person,
so a field added to a serializer and not to its fast path fails here.
"""

import pytest

from prisoners import public
from prisoners.api import links
from prisoners.api.citations import CitedSerializer
from prisoners.api.views import PersonViewSet
from prisoners.models import Person
from sources.api.serializers import CitationSerializer
from tracker.lib.api import record_url

from .factories import (
    CitationFactory,
    DetentionFactory,
    PersonFactory,
    PersonNameFactory,
    SourceFactory,
)


def _serializer_citations(self, obj):
    """CitedSerializer's citations as they were written: a CitationSerializer per record."""
    citations = public.citations_of([obj]).order_by("field", "pk")
    context = {"record": obj, "request": self.context.get("request")}
    return CitationSerializer(citations, many=True, context=context).data


@pytest.fixture
def serializers_only(monkeypatch):
    """The API as the serializers alone would answer it."""

    def serializers():
        monkeypatch.setattr(PersonViewSet, "list_rows", None)
        monkeypatch.setattr(CitedSerializer, "get_citations", _serializer_citations)
        monkeypatch.setattr(links, "api_url", record_url)

    return serializers


@pytest.fixture
def data(seed):
    """The seed, and a withheld person whose name a published person's biography mentions."""
    withheld = PersonFactory(
        name="Hanna Zaslauskaya", name_withheld=True, public_descriptor="a nurse from Hrodna"
    )
    PersonNameFactory(person=withheld, name="Ганна Заслаўская", language="be", script="Cyrl")
    CitationFactory(record=withheld)
    DetentionFactory(person=withheld, started_on="2021-03")
    witness = PersonFactory(name="Aleh Zaslauski", biography="Friend of Hanna Zaslauskaya.")
    PersonNameFactory(person=witness, name="Алег Заслаўскі", language="be", script="Cyrl")
    CitationFactory(record=witness, source=SourceFactory(title="Hanna Zaslauskaya detained"))
    return witness


URLS = [
    "/api/v1/prisoners/",
    "/api/v1/prisoners/?limit=3&offset=2",
    "/api/v1/prisoners/?format=json",
    "/api/v1/prisoners/?q=Losik",
    "/api/v1/prisoners/?q=zaslau",
    "/api/v1/prisoners/?lang=be",
    "/api/v1/prisoners/?lang=ru&q=Losik",
    "/api/v1/prisoners/?status=in_custody&status=released",
    "/api/v1/prisoners/?article=342&ordering=-updated_at",
    "/api/v1/detentions/",
    "/api/v1/detentions/?lang=ru",
    "/api/v1/facilities/?lang=be&ordering=name",
    "/api/v1/decisions/",
    "/api/v1/releases/",
    "/api/v1/facilities/",
    "/api/v1/articles/",
    "/api/v1/sources/",
    "/api/v1/events/",
    "/api/v1/figures/",
]


def test_every_list_answers_what_its_serializer_answers(client, data, serializers_only):
    fast = {url: client.get(url).json() for url in URLS}
    serializers_only()
    for url in URLS:
        expected = client.get(url).json()
        assert fast[url] == expected, url
    withheld = [row for row in fast["/api/v1/prisoners/"]["results"] if row["name_withheld"]]
    assert [row["name"] for row in withheld] == ["a nurse from Hrodna"]
    assert withheld[0]["names"] == withheld[0]["citations"] == []


def test_every_detail_answers_what_its_serializer_answers(client, data, serializers_only):
    urls = [f"/api/v1/prisoners/{person.pk}/" for person in Person.objects.all()]
    urls += [
        f"/api/v1/{resource}/{row['id']}/?format=json"
        for resource in ("detentions", "decisions", "releases", "events", "figures")
        for row in client.get(f"/api/v1/{resource}/").json()["results"]
    ]
    fast = {url: client.get(url).json() for url in urls}
    serializers_only()
    for url in urls:
        assert fast[url] == client.get(url).json(), url
    assert fast[f"/api/v1/prisoners/{data.pk}/"]["biography"] == "Friend of [name withheld]."


def test_the_seed_has_what_the_comparison_needs(client, data):
    """Citations of one field with a stated value, both agreeing and not, and links."""
    citations = [
        citation
        for url in URLS
        for row in client.get(url).json()["results"]
        for citation in row.get("citations", ())
    ]
    assert {citation["supports_stored_value"] for citation in citations} >= {True, False}
    assert any(citation["stated_value"] for citation in citations)
