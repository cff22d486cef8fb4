"""
A source (an event, a figure) whose text names a withheld person is withheld whole
(``prisoners.telling``): the public sees that it exists, its kind, publisher and year, but
no title, summary, author, URL, quote or exact date to search the web with.
"""

import csv
import io
import zipfile

import pytest

from prisoners import telling
from prisoners.models import Event, ReportedFigure
from prisoners.redaction import Redactor
from sources.models import Source

from .factories import (
    CitationFactory,
    EventFactory,
    PersonFactory,
    ReportedFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "Programmer Kvyatkovsky detained in Hrodna"


@pytest.fixture
def withheld(db):
    return PersonFactory(
        name="Aliaksei Kvyatkovsky", name_withheld=True, public_descriptor="a programmer"
    )


@pytest.fixture
def telling_source(withheld):
    return SourceFactory(
        title=TITLE,
        summary="He was detained at his flat on Monday.",
        author="Hanna Reporter",
        url="https://news.example.org/2021/05/03/programmer-detained",
        archive_url="https://web.archive.org/web/2021/https://news.example.org/x",
        published_on="2021-05-03",
        accessed_on="2021-05-04",
        publisher="Hrodna News",
    )


def test_a_source_naming_a_withheld_person_shows_only_its_kind_publisher_and_year(
    client, telling_source
):
    body = client.get(f"/api/v1/sources/{telling_source.pk}/").json()
    assert body["title"] == "[withheld]"
    assert body["summary"] == body["author"] == body["source_url"] == body["archive_url"] == ""
    assert body["accessed_on"] is None
    assert body["published_on"] == {
        "value": "2021",
        "precision": "year",
        "earliest": "2021-01-01",
        "latest": "2021-12-31",
    }
    assert (body["kind"], body["publisher"]) == ("news_article", "Hrodna News")


def test_a_source_is_withheld_whole_by_its_summary_or_url_alone(client, withheld):
    by_summary = SourceFactory(title="Detained", summary="Kvyat\u00adkovsky was detained.")
    by_url = SourceFactory(title="Detained too", url="https://news.example.org/kvyat-kovsky")
    for source in (by_summary, by_url):
        assert client.get(f"/api/v1/sources/{source.pk}/").json()["title"] == "[withheld]"


def test_a_source_that_names_no_one_is_shown_as_it_is(client, withheld):
    source = SourceFactory(title="Trials in Hrodna", published_on="2021-05-03")
    body = client.get(f"/api/v1/sources/{source.pk}/").json()
    assert body["title"] == "Trials in Hrodna"
    assert body["published_on"]["value"] == "2021-05-03"


def test_a_citation_of_it_hides_the_source_and_the_quote(client, telling_source):
    person = PersonFactory(name="Ales Public")
    CitationFactory(record=person, source=telling_source, quote="detained at his flat")
    own = SourceFactory(title="Another report")
    CitationFactory(record=person, source=own, quote="Kvyatkovsky and others")
    citations = client.get(f"/api/v1/prisoners/{person.pk}/").json()["citations"]
    shown = {citation["source"]["id"]: citation for citation in citations}
    hidden = shown[telling_source.pk]
    assert hidden["source"]["title"] == "[withheld]"
    assert hidden["source"]["source_url"] == "" and hidden["quote"] == ""
    assert hidden["source"]["published_on"]["value"] == "2021"
    # A quote that names them is withheld; its source names no one and stays.
    assert shown[own.pk]["quote"] == ""
    assert shown[own.pk]["source"]["title"] == "Another report"


def test_an_event_and_a_figure_naming_a_withheld_person_are_withheld_whole(client, withheld):
    event = EventFactory(
        title="Trial of Kvyatkovsky",
        place="Hrodna regional court",
        description="A closed hearing.",
        happened_on="2021-09-14",
    )
    figure = ReportedFigureFactory(
        counted="people detained with Kvyatkovsky", counted_by="Viasna", as_of="2021-05-03"
    )
    shown_event = client.get(f"/api/v1/events/{event.pk}/").json()
    assert shown_event["title"] == "[withheld]"
    assert set(shown_event["title_i18n"].values()) <= {"[withheld]", ""}
    assert shown_event["place"] == shown_event["description"] == ""
    assert shown_event["happened_on"]["value"] == "2021"
    shown_figure = client.get(f"/api/v1/figures/{figure.pk}/").json()
    assert (shown_figure["counted"], shown_figure["counted_by"]) == ("[withheld]", "")
    assert (shown_figure["value"], shown_figure["as_of"]["value"]) == (100, "2021")


def test_the_exports_show_the_source_withheld_whole(client, telling_source):
    response = client.get("/exports/sources.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    (row,) = [row for row in rows if row["id"] == str(telling_source.pk)]
    assert (row["title"], row["url"], row["archive_url"], row["author"]) == (
        "[withheld]",
        "",
        "",
        "",
    )
    assert (row["published_on"], row["published_on_precision"]) == ("2021", "year")
    package = b"".join(client.get("/exports/datapackage.zip").streaming_content)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        table = archive.read("sources.csv").decode()
    (packed,) = [r for r in csv.DictReader(io.StringIO(table)) if r["id"] == str(telling_source.pk)]
    assert packed["title"] == "[withheld]"
    assert (packed["published_on_earliest"], packed["published_on_latest"]) == (
        "2021-01-01",
        "2021-12-31",
    )


def test_the_site_shows_the_source_withheld_whole(client, telling_source):
    person = PersonFactory(name="Ales Public")
    CitationFactory(record=person, source=telling_source, quote="detained at his flat")
    for url in (f"/en/sources/{telling_source.pk}/", "/en/sources/", f"/en/prisoners/{person.pk}/"):
        body = client.get(url).content.decode()
        for word in ("Programmer", "Kvyatkovsky", "news.example.org", "his flat", "Monday"):
            assert word not in body, (url, word)
    assert "[withheld]" in client.get(f"/en/sources/{telling_source.pk}/").content.decode()


def test_a_title_search_does_not_find_a_source_withheld_whole(client, telling_source):
    assert client.get("/api/v1/sources/?q=Programmer").json()["count"] == 0
    assert client.get("/api/v1/sources/?q=Hrodna News").json()["count"] == 1  # the publisher


def test_the_edition_can_ask_the_same_of_plain_values(withheld):
    """What the edition's writer calls: a pure function of values and withheld people."""
    redactor = Redactor([["Aliaksei Kvyatkovsky"]])
    values = {"title": TITLE, "url": "https://x.example.org/a", "published_on": "2021-05-03"}
    assert telling.tells(redactor, Source, values)
    assert telling.shown(redactor, Source, values) == {
        "title": "[withheld]",
        "url": "",
        "published_on": "2021",
    }
    plain = {"title": "Trials in Hrodna", "url": "https://x.example.org/b"}
    assert telling.shown(redactor, Source, plain) is plain
    event = {"title_en": "Trial of K v y a t k o v s k y", "happened_on": "2021-09-14"}
    assert telling.shown(redactor, Event, event) == {
        "title_en": "[withheld]",
        "happened_on": "2021",
    }
    assert telling.shown(Redactor(), ReportedFigure, {"counted": TITLE}) == {"counted": TITLE}
