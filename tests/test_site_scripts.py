"""
Every page of the site in Belarusian and Russian, read as its reader reads it: no person
is named in Latin letters where their name has a spelling in the page's script, and no
reported figure's text is in English where it has a Belarusian or Russian one.

The pages are crawled from the home page (every link of the page's language: lists,
their pages, letters and filters, people, facilities, sources, the feeds), with what a
reader types or chooses added: a search for every spelling of every name, each choice of
the list's and the letters' forms, a page that does not exist and a filter that cannot be
used. The names to look for come from the published edition: each person's Latin
spellings and Latin name, where their name in the page's script (``display_name_be`` or
``_ru``) is in Cyrillic.

What the page itself marks as not its own words is not read: what sources say (a title
or a publisher in ``<cite>``, a quote in ``<blockquote>``, a stated value in ``<q>``,
and a page title or description that repeats one of them) and a spelling marked as
written in another language or script (``lang``), such as the other spellings beside a
name and on a person's page.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest

from edition.models import Person, PersonName, ReportedFigure
from prisoners.choices import Script

from .factories import (
    CitationFactory,
    PersonFactory,
    PersonNameFactory,
    ReportedFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN = re.compile("[A-Za-z]")
# Elements whose text the page gives as what sources say, not in its own words.
QUOTED = {"cite", "blockquote", "q"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Attributes a reader meets as text (read aloud, shown on hover, shared).
READ_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
HEAD_META = {"description", "og:title", "og:description"}


class PageText(HTMLParser):
    """
    A page's text as the page's own words (``own``) and the text it marks as another's
    (``quoted``): inside ``QUOTED`` elements or an element whose ``lang`` is not the page's.
    The head's title and descriptions go to ``head``.
    """

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.own: list[str] = []
        self.quoted: list[str] = []
        self.head: list[str] = []
        self.in_title = False

    def other(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")) in HEAD_META:
            self.head.append(attrs.get("content") or "")
        lang = attrs.get("lang") or attrs.get("xml:lang")
        other = (
            self.other()
            or tag in QUOTED
            or (lang is not None and tag != "html" and lang != self.language)
        )
        for name in READ_ATTRIBUTES & attrs.keys():
            (self.quoted if other else self.own).append(attrs[name] or "")
        if tag == "title":
            self.in_title = True
        if tag not in VOID:
            self.stack.append((tag, other))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.in_title and "head" in [tag for tag, _ in self.stack]:
            self.head.append(data)
        elif self.other():
            self.quoted.append(data)
        else:
            self.own.append(data)


def read(body: str, language: str) -> PageText:
    parser = PageText(language)
    parser.feed(body)
    parser.close()
    return parser


def own_words(page: PageText) -> str:
    """The page's own words: its body's, and its head's less what it repeats of a quote."""
    head = "\n".join(page.head)
    for quoted in sorted({q.strip() for q in page.quoted if q.strip()}, key=len, reverse=True):
        head = head.replace(quoted, "")
    return "\n".join([*page.own, head])


def found(phrases, text: str) -> list[str]:
    return [
        phrase
        for phrase in phrases
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)
    ]


def latin_names(language: str) -> set[str]:
    """The Latin names of the people whose name has a spelling in the page's script."""
    names = set()
    spellings: dict[int, set[str]] = {}
    for person_id, name in PersonName.objects.filter(script=Script.LATIN).values_list(
        "person_id", "name"
    ):
        spellings.setdefault(person_id, set()).add(name)
    for person in Person.objects.filter(name_withheld=False):
        if not CYRILLIC.search(getattr(person, f"display_name_{language}")):
            continue
        latin = spellings.get(person.pk, set()) | {person.public_name, person.display_name_en}
        names |= {name for name in latin if LATIN.search(name)}
    return names


def english_figure_texts(language: str) -> set[str]:
    """Figures' English texts where the figure has one in ``language``."""
    texts = set()
    for figure in ReportedFigure.objects.all():
        for field in ("counted", "counted_by"):
            if getattr(figure, f"{field}_{language}"):
                texts.add(getattr(figure, field))
    return texts


def typed_and_chosen(client, language: str) -> list[str]:
    """What a reader types or chooses: a search for every spelling, each choice of the
    list's and the letters' forms, the sources' search; a page that does not exist, a
    filter that cannot be used."""
    people = f"/{language}/prisoners/"
    urls = [
        f"{people}?{urlencode({'q': name})}"
        for name in PersonName.objects.values_list("name", flat=True)
    ]
    urls += [
        f"{people}?{urlencode({'q': name})}"
        for name in Person.objects.values_list("public_name", flat=True)
    ]
    for page in (people, f"/{language}/letters/"):
        body = client.get(page).content.decode()
        for select in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', body, re.S):
            name, options = select
            for value in re.findall(r'<option value="([^"]+)"', options):
                urls.append(f"{page}?{urlencode({name: html.unescape(value)})}")
        for name, value in re.findall(r'type="checkbox" name="(\w+)" value="([^"]+)"', body):
            urls.append(f"{page}?{urlencode({name: value})}")
    urls += [
        f"/{language}/sources/?q=Losik",
        f"{people}?facility=987654321",
        f"{people}987654321/",
        f"{people}?q=Losik&ordering=-updated_at",
    ]
    return urls


def crawl(client, language: str) -> dict[str, str]:
    """Every page of the site in ``language`` that a reader can reach (see the module's
    docstring), by URL. Links to a letter of the alphabet are followed from the whole
    list only (with the other filters they are the same pages again)."""
    todo = [f"/{language}/", *typed_and_chosen(client, language)]
    pages: dict[str, str] = {}
    while todo:
        url = todo.pop()
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        pages[url] = response.content.decode()
        for href in re.findall(r'href="([^"]+)"', pages[url]):
            href = html.unescape(href)
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith(f"/{language}/"):
                continue
            if "letter=" in parts.query and "&" in parts.query:
                continue
            todo.append(href.split("#")[0])
    return pages


@pytest.fixture
def site(seed):
    """The seed, with a figure whose texts are in English only (shown in English, rightly)
    and a person whose only spelling is Latin (named in Latin, rightly)."""
    figure = ReportedFigureFactory(counted="detained journalists", counted_by="BAJ")
    CitationFactory(record=figure, source=SourceFactory(title="BAJ's count"))
    latin_only = PersonFactory(name="Andrzej Poczobut")
    PersonNameFactory(person=latin_only, name="Andrzej Poczobut", language="pl", script="Latn")


@pytest.mark.parametrize("language", ["be", "ru"])
def test_no_page_names_a_person_in_latin_or_a_figure_in_english_where_the_page_has_its_own(
    client, site, language
):
    names = latin_names(language)
    figures = english_figure_texts(language)
    assert {"Ihar Losik", "Viktor Babariko", "Viktar Babaryka", "Lilia Vlasova"} <= names
    assert "Andrzej Poczobut" not in names and "detained journalists" not in figures
    assert {"political prisoners", "Vyasna"} <= figures
    pages = crawl(client, language)
    kinds = {re.sub(r"\d+", "N", urlsplit(url).path) for url in pages}
    assert {
        f"/{language}/{path}"
        for path in (
            "",
            "prisoners/",
            "prisoners/N/",
            "prisoners/N/feed/",
            "facilities/",
            "facilities/N/",
            "facilities/N/feed/",
            "letters/",
            "sources/",
            "sources/N/",
            "about/",
            "downloads/",
            "feed/",
        )
    } <= kinds
    assert len(pages) > 100
    problems = []
    for url, body in sorted(pages.items()):
        words = own_words(read(body, language))
        problems += [f"{url}: {name}" for name in found(names, words)]
        problems += [f"{url}: figure text {text!r}" for text in found(figures, words)]
    assert not problems, "\n".join(problems)
    # The crawl sees the names it looks for where they are rightly shown, so it can find them.
    home = own_words(read(pages[f"/{language}/"], language))
    assert "Andrzej Poczobut" in home and "detained journalists" in home
