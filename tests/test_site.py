"""
The public website (``website/``): what a reader sees on each page, in each language,
the list's filters (the API's own), what a bad address answers, what is never shown
(unpublished records, withheld names), the feed, the sitemaps, robots.txt, the headers
that let a cache serve it, and a fixed number of queries per page. What every non-public
situation does to every page is in ``tests/test_public_rule.py``.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from prisoners import publishing, stats
from prisoners.models import Facility, Person, Release
from website import formatting

from .factories import (
    ChargeFactory,
    CitationFactory,
    CourtDecisionFactory,
    CriminalArticleFactory,
    DetentionFactory,
    FacilityFactory,
    FacilityNameFactory,
    FacilityStayFactory,
    OrganisationFactory,
    PersonFactory,
    PersonNameFactory,
    RecognitionFactory,
    ReleaseFactory,
    ReportedFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "be", "ru")
BABARIKO, VLASOVA, LOSIK = 2, 3, 1
KGB_JAIL = 1


def text(response) -> str:
    return response.content.decode()


def links(response, pattern: str) -> list[str]:
    """The hrefs of the page (unescaped) that match a regular expression."""
    hrefs = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', text(response))]
    return [href for href in hrefs if re.search(pattern, href)]


def edit_published(model, pk: int, **values) -> None:
    """Change a published record as an editor does: saving it published publishes it (a
    queryset's ``update`` would leave the edition, which the site reads, as it was)."""
    record = model.objects.get(pk=pk)
    for name, value in values.items():
        setattr(record, name, value)
    record.save()


def people_listed(response) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'class="name" href="/\w\w/prisoners/(\d+)/"', text(response))
    ]


# Languages and the web ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"), [("be", "/be/"), ("ru-RU,ru;q=0.9", "/ru/"), ("", "/en/")]
)
def test_the_root_sends_the_reader_to_their_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_site_address_without_a_language_gets_one(client, seed):
    response = client.get("/prisoners/", HTTP_ACCEPT_LANGUAGE="be")
    assert (response.status_code, response["Location"]) == (302, "/be/prisoners/")


PAGES = [
    "/{lang}/",
    "/{lang}/prisoners/",
    "/{lang}/prisoners/3/",
    "/{lang}/facilities/",
    "/{lang}/facilities/1/",
    "/{lang}/letters/",
    "/{lang}/sources/",
    "/{lang}/sources/1/",
    "/{lang}/about/",
    "/{lang}/downloads/",
]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_in_the_language_of_its_address_with_its_alternates(seed, lang):
    client = Client()
    for template in PAGES:
        url = template.format(lang=lang)
        response = client.get(url)
        assert response.status_code == 200, url
        body = text(response)
        assert f'<html lang="{lang}">' in body
        for other in LANGUAGES:
            alternate = f'<link rel="alternate" hreflang="{other}" href="http://testserver{template.format(lang=other)}">'
            assert alternate in body, (url, other)
        assert f'hreflang="x-default" href="http://testserver{template.format(lang="en")}"' in body
        assert f'<link rel="canonical" href="http://testserver{url}">' in body
        assert re.search(r"<title>[^<]+ · [^<]+</title>", body)
        assert '<meta property="og:title"' in body and f'content="http://testserver{url}"' in body
        # Landmarks, a skip link, and a language switcher in the page's own words.
        assert '<a class="skip-link" href="#main">' in body and '<main id="main"' in body
        assert body.count("<nav ") >= 2
        # Nothing a shared cache could not keep, and nothing from another server.
        assert not response.cookies
        assert response["Cache-Control"] == "public, max-age=300"
        assert "<script" not in body
        assert not re.search(r'(src|href)="(https?:)?//(?!testserver)[^"]*\.(css|js|woff2?)', body)


def test_the_switcher_keeps_the_filters_of_the_list(client, seed):
    response = client.get("/en/prisoners/?status=in_custody&q=Babariko")
    switch = links(response, r"^/be/prisoners/")
    assert switch == ["/be/prisoners/?q=Babariko&status=in_custody"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/be/", ["Месцы ўтрымання", "Напісаць ліст", "Колькасць людзей пад вартай з часам"]),
        ("/ru/", ["Места содержания", "Написать письмо", "Число людей под стражей со временем"]),
        ("/be/prisoners/3/", ["Гісторыя ўтрымання пад вартай", "Крыніцы разыходзяцца"]),
        ("/ru/prisoners/1/", ["Приговор: 14 декабря 2021", "15 лет", "с 11 сентября 2025"]),
        ("/be/prisoners/2/", ["з чэрвеня 2020"]),
    ],
)
def test_pages_are_in_the_readers_language(client, seed, url, words):
    body = text(client.get(url))
    for word in words:
        assert word in body


def test_an_anonymous_page_is_cacheable_and_revalidates(client):
    person = PersonFactory()
    first = client.get(f"/en/prisoners/{person.pk}/")
    assert first["Cache-Control"] == "public, max-age=300"
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert "Content-Security-Policy" in first
    again = client.get(f"/en/prisoners/{person.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_admin_view_site_link_leads_to_the_site():
    from django.contrib import admin

    assert admin.site.site_url == "/"


# The home page -----------------------------------------------------------------------------


def test_home_counts_people_by_status_with_the_last_change(client, seed):
    body = text(client.get("/en/"))
    counts = {
        label: int(number)
        for number, label in re.findall(
            r'<span class="number">(\d+)</span> <span class="what">([^<]+)</span>', body
        )
    }
    assert counts == {
        "in custody": 1,
        "house arrest / restricted freedom": 2,
        "released": 1,
        "in exile": 1,
    }
    assert re.search(r"Last change: \d+ \w+ 20\d\d\.", body)


def test_home_draws_the_series_and_gives_it_as_a_table(client, seed):
    body = text(client.get("/en/"))
    assert '<svg viewBox="0 0 720 260" role="img" aria-labelledby="chart-title chart-desc"' in body
    assert re.search(r'<path class="line" d="M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+"/>', body)
    table = body.split('<caption id="series-caption">')[1].split("</table>")[0]
    rows = re.findall(
        r'<tr><th scope="row">(\d{4}-\d\d)</th><td>(\d+)</td><td>(.*?)</td></tr>', table
    )
    by_month = {month: (int(count), figures) for month, count, figures in rows}
    assert by_month["2020-06"][0] == 2  # Losik and Babariko, both detained in June 2020
    # and Vlasova (31 August) and Rabtsevich (September); Voskresensky's date is unknown
    assert by_month["2020-09"][0] == 4
    assert "1 detention with no known start date is not shown." in body
    assert "1,197 — political prisoners (Vyasna)" in by_month["2025-09"][1]


def test_home_lists_the_latest_records_and_searches(client, seed):
    body = text(client.get("/en/"))
    assert '<form class="search" role="search" action="/en/prisoners/" method="get">' in body
    assert 'href="/en/prisoners/2/">Viktor Babariko</a>' in body


def test_the_home_page_is_rendered_again_after_each_publication_and_not_before(client, seed):
    before = text(client.get("/en/"))
    assert "Ihar Losik" in before
    # Counts by status; first detention; the series (the last step, for the detentions'
    # spans kept until the next publication; figures); latest figures and their
    # citations; latest people; the latest publication: once per step, not per request.
    assert len(queries_of(client, "/en/")) == 2  # the HTTP cache's and the content's last step
    assert text(client.get("/en/")) == before

    # An Editor's withhold: a step of the edition, at once.
    publishing.withhold(person=Person.objects.get(name="Ihar Losik"), descriptor="a blogger")
    after = text(client.get("/en/"))
    assert "Ihar Losik" not in after
    assert "a blogger" in after


def test_a_page_rendered_by_other_code_is_rendered_again(client, seed, monkeypatch):
    text(client.get("/en/"))
    assert len(queries_of(client, "/en/")) == 2
    # A deploy: other templates, translations or presenters.
    monkeypatch.setattr(stats, "code_version", lambda: "a later release")
    assert len(queries_of(client, "/en/")) > 2
    assert len(queries_of(client, "/en/")) == 2


# What a page renders once per publication step costs, when it must: the home page its
# counts, series, figures and latest people (and the series' counts of days, forgotten
# with them); the letters page its count, page, birthdays and their facilities.
@pytest.mark.parametrize(("url", "cached", "rendered"), [("/en/", 2, 14), ("/en/letters/", 3, 7)])
def test_a_page_renders_in_a_fixed_number_of_queries_when_it_must(
    client, world, url, cached, rendered
):
    for size in ("small", "grown"):
        if size == "grown":
            _grow(world)
        client.get(url)
        assert len(queries_of(client, url)) == cached
        stats.forget()  # a write to the edition without a step (refresh_statuses of everyone)
        assert len(queries_of(client, url)) == rendered
        assert len(queries_of(client, url)) == cached


# The list ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "spelling"),
    [("en", "Бабарыка"), ("be", "Babariko"), ("ru", "Бабарыка"), ("en", "babaryka")],
)
def test_a_reader_finds_a_person_by_a_spelling_in_another_script(client, seed, lang, spelling):
    response = client.get(f"/{lang}/prisoners/", {"q": spelling})
    assert response.status_code == 200
    assert people_listed(response) == [BABARIKO]
    assert f'value="{spelling}"' in text(response)


@pytest.fixture
def two_scripts(db):
    """Two people whose names sort one way in Latin letters and the other in Cyrillic."""
    yauhen = PersonFactory(name="Yauhen Afnagel")
    PersonNameFactory(person=yauhen, name="Яўген Афнагель", language="be", script="Cyrl")
    PersonNameFactory(person=yauhen, name="Евгений Афнагель", language="ru", script="Cyrl")
    zmitser = PersonFactory(name="Zmitser Dashkevich")
    PersonNameFactory(person=zmitser, name="Зміцер Дашкевіч", language="be", script="Cyrl")
    PersonNameFactory(person=zmitser, name="Дмитрий Дашкевич", language="ru", script="Cyrl")
    for person in (yauhen, zmitser):
        DetentionFactory(person=person)  # in custody: on the letters page
    return yauhen, zmitser


@pytest.mark.parametrize(
    ("lang", "shown", "first"),
    [
        ("en", "Yauhen Afnagel", "Yauhen Afnagel"),
        ("be", "Яўген Афнагель", "Зміцер Дашкевіч"),
        ("ru", "Евгений Афнагель", "Дмитрий Дашкевич"),
    ],
)
def test_people_are_named_and_sorted_in_the_readers_script(client, two_scripts, lang, shown, first):
    yauhen, _zmitser = two_scripts
    listing = text(client.get(f"/{lang}/prisoners/"))
    names = re.findall(r'class="name" href="/\w\w/prisoners/\d+/">([^<]+)</a>', listing)
    assert names[0] == first and shown in names
    assert "Yauhen Afnagel" in listing  # the other spellings beside the name
    for url in (f"/{lang}/letters/", f"/{lang}/", f"/{lang}/feed/"):
        assert shown in text(client.get(url)), url
    found = text(client.get(f"/{lang}/prisoners/", {"q": "Afnagel"}))
    assert f'href="/{lang}/prisoners/{yauhen.pk}/">{shown}</a>' in found
    page = text(client.get(f"/{lang}/prisoners/{yauhen.pk}/"))
    assert f"<h1>{shown}</h1>" in page and f"<title>{shown} ·" in page
    for spelling in ("Yauhen Afnagel", "Яўген Афнагель", "Евгений Афнагель"):
        assert f">{spelling}</td>" in page  # every spelling on the person's page


@pytest.mark.parametrize("lang", ["en", "be"])
def test_the_list_filters_exactly_as_the_api_and_links_its_csv_and_api(client, seed, lang):
    response = client.get(f"/{lang}/prisoners/?status=released&status=restricted")
    listed = people_listed(response)
    assert sorted(listed) == [3, 4, 5]
    (api,) = links(response, r"^/api/v1/prisoners/")
    (csv_url,) = [
        href for href in links(response, r"^/exports/prisoners\.csv") if "excel" not in href
    ]
    # In the list's order: by the name in the page's script (the API's display_name).
    assert dict(parse_qsl(urlsplit(api).query)) | {"status": None} == {
        "ordering": "display_name",
        "limit": "50",
        "lang": lang,
        "status": None,
    }
    assert parse_qsl(urlsplit(api).query)[:2] == [("status", "released"), ("status", "restricted")]
    assert parse_qsl(urlsplit(csv_url).query) == [
        ("status", "released"),
        ("status", "restricted"),
        ("lang", lang),
    ]
    from_api = json.loads(client.get(api).content)
    assert [row["id"] for row in from_api["results"]] == listed
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get(csv_url).streaming_content).decode()))
    )
    assert sorted(int(row["id"]) for row in rows) == sorted(listed)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("facility=1", [BABARIKO, VLASOVA, 4, 5]),
        ("article=243", [VLASOVA]),
        ("recognized_by=belarusian-human-rights-organisations", [VLASOVA, 4]),
        ("detained_after=2020-08-01&detained_before=2020-08-31", [VLASOVA]),
        ("release_kind=exile", [LOSIK]),
        ("sentenced=true", [LOSIK, BABARIKO]),
        ("term_min_months=170", [LOSIK]),
    ],
)
def test_each_filter_of_the_list(client, seed, query, expected):
    response = client.get(f"/en/prisoners/?{query}")
    assert response.status_code == 200
    assert sorted(people_listed(response)) == sorted(expected)


def test_the_list_is_paginated_with_shareable_links(client):
    for n in range(55):
        DetentionFactory(person=PersonFactory(name=f"Person {n:02d}"))  # in custody
    first = client.get("/en/prisoners/?status=in_custody")
    assert len(people_listed(first)) == 50
    (following,) = re.findall(r'href="([^"]+)" rel="next"', text(first))
    assert html.unescape(following) == "/en/prisoners/?status=in_custody&page=2"
    second = client.get("/en/prisoners/?status=in_custody&page=2")
    assert len(people_listed(second)) == 5
    api = "/api/v1/prisoners/?status=in_custody&ordering=display_name&limit=50&offset=50&lang=en"
    assert api.replace("&", "&amp;") in text(second)
    from_api = [row["id"] for row in client.get(api).json()["results"]]
    assert from_api == people_listed(second)
    assert client.get("/en/prisoners/?status=in_custody&page=3").status_code == 404


def test_empty_fields_of_the_form_are_left_out_of_the_address(client, seed):
    response = client.get("/en/prisoners/?q=losik&facility=&article=&status=in_custody")
    assert response.status_code == 302
    assert response["Location"] == "/en/prisoners/?q=losik&status=in_custody"


def test_parameters_the_list_does_not_take_are_ignored_with_a_notice(client, seed):
    response = client.get("/en/prisoners/?q=Losik&fbclid=abc&utm_source=x")
    assert response.status_code == 200
    assert people_listed(response) == [LOSIK]
    assert "Parameters in the address that this list does not take were left out." in text(response)
    assert "fbclid" not in text(response) and "utm_source" not in text(response)


HOSTILE = [
    "page=x",
    "page=0",
    "page=１",
    "page=1&page=2",
    "status=bogus",
    "detained_after=2020-13-45",
    "detained_after=25/10/2020",
    "facility=abc",
    "facility=987654321",
    "facility=99999999999999999999999999",
    "article=9999",
    "recognized_by=nobody",
    "q=a&q=b",
    "q=" + "x" * 201,
    "q=one+two+three+four+five+six+seven+eight+nine",
    "q=%01bell",
    "term_min_months=-1",
    "term_min_months=1.5",
    "sentenced=maybe",
    "updated_since=9999-12-31T23:59:59-23:59",
    "ordering=secret_field",
    "status=%00",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_a_bad_parameter_answers_a_400_page_that_quotes_nothing(client, seed, query):
    response = client.get(f"/en/prisoners/?{query}")
    assert response.status_code == 400
    body = text(response)
    assert "This list cannot be shown" in body
    assert '<html lang="en">' in body and "<form" in body
    assert response["Cache-Control"] == "private, no-store"
    # The form shows the reader's input back in its field; nothing else repeats it.
    outside_fields = re.sub(r' value="[^"]*"', "", body)
    for _name, value in parse_qsl(query):
        if len(value) > 3:
            assert html.escape(value) not in outside_fields


def test_a_bad_choice_is_marked_next_to_its_field(client, seed):
    body = text(client.get("/en/prisoners/?facility=987654321"))
    assert '<div class="field has-error">' in body
    assert "Choose one of the listed values." in body


def test_huge_record_ids_are_not_found_rather_than_errors(client, seed):
    assert client.get("/en/prisoners/99999999999999999999999/").status_code == 404
    assert client.get("/en/sources/123456789012345678/").status_code == 404


# A person's page ---------------------------------------------------------------------------


def test_a_persons_page_shows_the_sourced_custody_record(client, seed):
    body = text(client.get("/en/prisoners/1/"))
    assert "<h1>Ihar Losik</h1>" in body
    assert re.search(r"in exile</span>, since 11 September 2025", body)
    assert "<strong>15 years</strong>" in body
    assert "forced exile abroad" in body
    assert 'href="/en/facilities/4/">Penal colony, Navapolatsk</a>' in body
    assert 'href="/api/v1/prisoners/1/?lang=en"' in body
    assert re.search(r"Record last updated</dt><dd>\d+ \w+ 20\d\d</dd>", body)
    # Each fact's sources beside it: title (linked), publisher, date, original, quote.
    assert 'href="/en/sources/' in body and 'class="external" href="https://' in body
    assert "<blockquote>" in body


def test_a_persons_page_gives_the_name_in_each_script(client, seed):
    body = text(client.get("/be/prisoners/2/"))
    assert '<td lang="be">Віктар Бабарыка</td>' in body
    assert '<td lang="ru">Виктор Бабарико</td>' in body


def test_where_sources_disagree_the_page_says_so_with_each_value(client, seed):
    body = text(client.get("/en/prisoners/3/"))
    note = body.split('<div class="disagreement" role="note">')[1].split("</div>")[0]
    assert re.search(
        r"16 October 2020 according to .+ and .+; 19 October 2020 according to .+\.", note
    )


def test_the_term_is_in_words_in_each_language():
    with translation.override("ru"):
        assert formatting.term_in_words(54) == "4 года и 6 месяцев"
        assert formatting.term_in_words(180) == "15 лет"
    with translation.override("be"):
        assert formatting.term_in_words(13) == "1 год і 1 месяц"
    with translation.override("en"):
        assert formatting.term_in_words(168) == "14 years"
        assert formatting.term_in_words(0, 10) == "10 days"


def test_partial_dates_keep_their_precision_in_each_language():
    with translation.override("be"):
        assert formatting.partial_date("2020-06") == "чэрвень 2020"
        assert formatting.partial_date("2020-06", genitive=True) == "чэрвеня 2020"
        assert formatting.partial_date("2020-06-25") == "25 чэрвеня 2020"
    with translation.override("ru"):
        assert formatting.partial_date("2020-06") == "июнь 2020"
    with translation.override("en"):
        assert formatting.partial_date("2020") == "2020"
        assert formatting.partial_date({"value": "2020-10-16"}) == "16 October 2020"


def test_an_unpublished_record_answers_the_same_404_as_a_missing_one(client):
    draft = PersonFactory(state="draft", name="Unpublished Person")
    shown = client.get(f"/en/prisoners/{draft.pk}/")
    missing = client.get("/en/prisoners/987654321/")
    assert shown.status_code == missing.status_code == 404
    assert shown.content == missing.content
    assert "Unpublished Person" not in text(shown)
    hidden_facility = FacilityFactory(state="in_review")
    assert (
        client.get(f"/en/facilities/{hidden_facility.pk}/").content
        == client.get("/en/facilities/987654321/").content
    )


# A withheld name ---------------------------------------------------------------------------


@pytest.fixture
def withheld(db):
    person = PersonFactory(
        name="Zmitser Kavalenka",
        name_withheld=True,
        public_descriptor="a teacher from Hrodna",
        current_status="in_custody",
        birth_date=f"1980-{timezone.localdate().month:02d}-05",
    )
    PersonNameFactory(person=person, name="Змітэр Каваленка", language="be", script="Cyrl")
    detention = DetentionFactory(
        person=person, started_on="2021-03", circumstances="Kavalenka was detained at home."
    )
    facility = FacilityFactory(name="Valadarka jail", address="Valadarskaha 2, Minsk")
    FacilityStayFactory(detention=detention, facility=facility)
    SourceFactory(title="Trial of Zmitser Kavalenka begins")
    return person


WITHHELD_PAGES = [
    "/en/",
    "/en/prisoners/",
    "/en/prisoners/?q=a+teacher",
    "/en/facilities/",
    "/en/letters/",
    "/en/sources/",
    "/en/feed/",
    "/sitemap-people.xml",
]


def test_a_withheld_persons_name_is_on_no_page(client, withheld):
    page = client.get(f"/en/prisoners/{withheld.pk}/")
    assert page.status_code == 200
    body = text(page)
    assert "<h1>a teacher from Hrodna</h1>" in body
    assert "<title>a teacher from Hrodna ·" in body
    assert 'property="og:title" content="a teacher from Hrodna"' in body
    assert "[name withheld] was detained at home." in body
    assert "1980" in body and f"1980-{timezone.localdate().month:02d}" not in body
    facility = client.get(f"/en/facilities/{Facility.objects.get(name_en='Valadarka jail').pk}/")
    assert "a teacher from Hrodna" in text(facility)
    facility_page = facility.request["PATH_INFO"]
    feeds = [f"/en/prisoners/{withheld.pk}/feed/", f"{facility_page}feed/"]
    assert "<title>Changes to the record of a teacher from Hrodna</title>" in text(
        client.get(feeds[0])
    )
    for url in [*WITHHELD_PAGES, f"/en/prisoners/{withheld.pk}/", facility_page, *feeds]:
        body = text(client.get(url))
        for word in ("Kavalenka", "Каваленка", "Zmitser"):
            assert word not in body, (url, word)
    # The source's title named them: it is listed, withheld whole, by publisher and year.
    listing = text(client.get("/en/sources/"))
    assert "[withheld]" in listing and "begins" not in listing


def test_searching_a_withheld_name_finds_what_a_name_nobody_has_finds(client, withheld):
    found = client.get("/en/prisoners/?q=Kavalenka")
    nobody = client.get("/en/prisoners/?q=Zzyzxwq")
    assert people_listed(found) == people_listed(nobody) == []
    assert 'value="Kavalenka"' in text(found)  # the reader's own words, not redacted


def test_a_withheld_person_is_not_offered_for_letters(client, withheld):
    assert "a teacher from Hrodna" not in text(client.get("/en/letters/"))


def test_a_name_withheld_leaves_the_letters_page_at_once(client, seed):
    assert "Viktor Babariko" in text(client.get("/en/letters/"))  # rendered, and kept
    babariko = Person.objects.get(name="Viktor Babariko")
    publishing.withhold(person=babariko, descriptor="a banker")
    body = text(client.get("/en/letters/"))
    assert "Viktor Babariko" not in body
    assert "a banker" not in body  # a withheld person is not offered for letters


# Facilities and letters --------------------------------------------------------------------


def test_a_facility_page_gives_its_names_address_and_who_is_held_there(client, seed):
    edit_published(Facility, KGB_JAIL, address="ul. Valadarskaha 2, 220030 Minsk")
    body = text(client.get("/en/facilities/1/"))
    assert "“Amerykanka”" in body
    assert '<address class="letter-address">ul. Valadarskaha 2, 220030 Minsk</address>' in body
    held = body.split('id="held-heading"')[1].split("</section>")[0]
    assert re.findall(r"/en/prisoners/(\d+)/", held) == [str(BABARIKO)]
    listing = text(client.get("/en/facilities/"))
    assert "ul. Valadarskaha 2, 220030 Minsk" in listing


def test_facility_names_and_article_titles_are_in_the_pages_language(client, seed):
    edit_published(Facility, KGB_JAIL, name_ru="")  # no Russian name: English
    be = text(client.get(f"/be/prisoners/{VLASOVA}/"))
    assert "Следчы ізалятар КДБ" in be
    assert "Ухіленне ад выплаты сум падаткаў, збораў" in be
    ru = text(client.get(f"/ru/prisoners/{VLASOVA}/"))
    assert "KGB pre-trial detention centre" in ru
    assert "Уклонение от уплаты сумм налогов, сборов" in ru
    assert "Следчы ізалятар КДБ" in text(client.get("/be/facilities/1/"))
    listing = text(client.get("/be/facilities/"))
    assert listing.index("Папраўчая калонія") < listing.index("Следчы ізалятар КДБ")
    assert "Следчы ізалятар № 1, Мінск" in text(client.get("/be/prisoners/"))
    assert "KGB pre-trial detention centre, Минск" in text(client.get("/ru/letters/"))


def test_the_letters_page_lists_people_in_custody_with_addresses_and_birthdays(client, seed):
    edit_published(Facility, KGB_JAIL, address="ul. Valadarskaha 2, Minsk")
    month = timezone.localdate().month
    edit_published(Person, BABARIKO, birth_date=f"1963-{month:02d}-09")
    body = text(client.get("/ru/letters/"))
    assert re.findall(r'class="name" href="/ru/prisoners/(\d+)/"', body) == ["2", "2"]
    assert body.count("ul. Valadarskaha 2, Minsk") == 2
    assert 'id="birthdays-heading"' in body
    elsewhere = text(client.get("/ru/letters/?facility=2"))
    assert 'id="birthdays-heading"' in elsewhere  # birthdays stay whatever the facility
    assert elsewhere.count('class="name" href="/ru/prisoners/2/"') == 1
    assert client.get("/ru/letters/?facility=999999").status_code == 400


# Sources -----------------------------------------------------------------------------------


def test_a_source_page_lists_the_records_it_supports(client, seed):
    body = text(client.get("/en/sources/1/"))
    supports = body.split('id="supports-heading"')[1]
    assert 'href="/en/prisoners/2/">Viktor Babariko</a>' in supports
    assert 'class="external source-link" href="https://ph-tribune.com/' in body
    listing = client.get("/en/sources/?q=Chief+Policeman")
    assert listing.status_code == 200
    assert re.findall(r'href="/en/sources/(\d+)/"', text(listing)) == ["1"]
    assert client.get("/en/sources/?kind=bogus").status_code == 400


# Feed, sitemaps, robots.txt ----------------------------------------------------------------


def test_the_feed_lists_new_and_updated_records_in_atom(client, seed):
    response = client.get("/be/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = text(response)
    assert body.count("<entry>") == 7
    assert '<link href="http://testserver/be/prisoners/2/" rel="alternate"' in body


def test_the_feed_and_the_sitemap_give_the_first_and_the_last_publication(client):
    first, later = (
        datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC),
        datetime.datetime(2025, 4, 2, 10, 30, tzinfo=datetime.UTC),
    )
    with mock.patch("django.utils.timezone.now", return_value=first):
        person = PersonFactory(name="Ales Bialiatski", current_status="in_custody")
    with mock.patch("django.utils.timezone.now", return_value=later):
        edit_published(Person, person.pk, occupation="human rights defender")
    entry = text(client.get("/en/feed/")).split("<entry>")[1]
    assert "<published>2025-03-01T09:00:00+00:00</published>" in entry
    assert "<updated>2025-04-02T10:30:00+00:00</updated>" in entry
    assert "<lastmod>2025-04-02</lastmod>" in text(client.get("/sitemap-people.xml"))


def entries(body: str) -> list[tuple[str, str, str]]:
    """(title, summary, id) of each entry of an Atom feed, in its order."""
    return [
        (html.unescape(title), html.unescape(summary), entry_id)
        for title, entry_id, summary in re.findall(
            r"<entry><title>(.*?)</title>.*?<id>(.*?)</id><summary[^>]*>(.*?)</summary>", body
        )
    ]


def test_a_persons_feed_follows_each_part_of_their_record(client, seed):
    page = text(client.get("/be/prisoners/1/"))
    assert '<a href="/be/prisoners/1/feed/">' in page
    assert (
        'type="application/atom+xml" title="Змены ў гэтым запісе" href="/be/prisoners/1/feed/"'
        in page
    )
    response = client.get("/be/prisoners/1/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = text(response)
    assert "<title>Змены ў запісе: Ігар Лосік</title>" in body
    record = "http://testserver/be/prisoners/1/"
    assert entries(body) == [
        ("Ігар Лосік", "Статус: у выгнанні (з 11 верасня 2025).", f"{record}#record"),
        ("Затрыманне: 25 чэрвеня 2020", "at home in Baranavichy", f"{record}#detention-1"),
        ("Прысуд: 14 снежня 2021", "15 гадоў", f"{record}#decision-1"),
        ("Вызваленне: 11 верасня 2025", "прымусовая высылка за мяжу", f"{record}#release-1"),
    ]


def test_a_published_change_to_a_part_puts_it_first_in_the_feed(client, seed):
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        # A change to a published part, published: its last publication is now.
        edit_published(Release, 1, circumstances="Taken to the border.")
    body = text(client.get("/en/prisoners/1/feed/"))
    first = entries(body)[0]
    assert first == ("Released: 11 September 2025", "forced exile abroad", first[2])
    assert first[2].endswith("#release-1")
    assert f"<updated>{later.isoformat()}</updated>" in body.split("<entry>")[0]


def test_a_facilitys_feed_follows_its_address_and_who_is_held_there(client, seed):
    assert '<a href="/ru/facilities/1/feed/">' in text(client.get("/ru/facilities/1/"))
    body = text(client.get("/ru/facilities/1/feed/"))
    assert "<title>Изменения в записи: Следственный изолятор КГБ</title>" in body
    assert [entry[:2] for entry in entries(body)] == [
        ("Следственный изолятор КГБ", "Адрес для писем пока неизвестен."),
        ("Виктор Бабарико", "Сейчас содержится здесь."),
    ]
    assert client.get("/ru/facilities/987654/feed/").status_code == 404
    assert client.get("/ru/prisoners/987654/feed/").status_code == 404


def test_the_sitemap_lists_every_page_in_every_language(client, seed):
    index = text(client.get("/sitemap.xml"))
    for section in ("pages", "people", "facilities", "sources"):
        assert f"http://testserver/sitemap-{section}.xml" in index
    people = text(client.get("/sitemap-people.xml"))
    for lang in LANGUAGES:
        assert f"<loc>http://testserver/{lang}/prisoners/2/</loc>" in people
        assert f'hreflang="{lang}" href="http://testserver/{lang}/prisoners/2/"' in people
    assert people.count("<url>") == 7 * 3
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-people.xml?p=99").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_the_admin(client):
    body = text(client.get("/robots.txt"))
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_the_data_dictionary_is_served(client):
    response = client.get("/exports/data-dictionary.md")
    assert response.status_code == 200
    assert text(response).startswith("# Data dictionary")


# Queries: the same for a few records as for many -------------------------------------------


def _person_with_everything(source, facility, article, organisation, n):
    person = PersonFactory(name=f"Maria Kalesnikava {n}", current_status="in_custody")
    PersonNameFactory(person=person, name=f"Мария Колесникова {n}", language="ru", script="Cyrl")
    RecognitionFactory(person=person, organisation=organisation)
    detention = DetentionFactory(person=person, started_on="2021-02")
    ChargeFactory(detention=detention, article=article, part="1")
    FacilityStayFactory(detention=detention, facility=facility)
    CourtDecisionFactory(detention=detention, term_months=36)
    ReleaseFactory(detention=DetentionFactory(person=person, started_on="2020"))
    for record in (person, detention):
        CitationFactory(record=record, source=source, quote="q")
    return person


@pytest.fixture
def world(db):
    source = SourceFactory()
    facility = FacilityFactory()
    FacilityNameFactory(facility=facility, name="Valadarka")
    article = CriminalArticleFactory(number="342")
    organisation = OrganisationFactory()
    people = [_person_with_everything(source, facility, article, organisation, n) for n in range(3)]
    figure = ReportedFigureFactory(value=1197, as_of="2025-09-06")
    CitationFactory(record=figure, source=source)
    return {
        "source": source,
        "facility": facility,
        "article": article,
        "org": organisation,
        "people": people,
    }


def _grow(world, n=12):
    for i in range(n):
        _person_with_everything(
            world["source"], world["facility"], world["article"], world["org"], 100 + i
        )
        SourceFactory()
        FacilityFactory()
        CitationFactory(
            record=ReportedFigureFactory(value=i, as_of="2021-05"), source=world["source"]
        )


# (page, queries). Every page also runs the HTTP cache's one query for the last change
# (tracker.caching). Nothing is redacted per request any more (the edition's texts are
# redacted when published): the redactor's query for the withheld names is gone.
QUERY_BUDGETS = [
    # the last step, for its content rendered once per step (test_the_home_page_is_...)
    ("/en/", 2),
    # facility, article and organisation choices; count; page; names
    ("/en/prisoners/", 7),
    # the same, and the search's fuzzy step (keys of four letters or more)
    ("/en/prisoners/?q=Kalesnikava", 8),
    # facilities with their counts; other names
    ("/en/facilities/", 3),
    # facility choices; the last step, for its people rendered once per step
    ("/en/letters/", 3),
    # count; page
    ("/en/sources/", 3),
    # latest people
    ("/en/feed/", 2),
    # people
    ("/sitemap-people.xml", 2),
]


def queries_of(client, url) -> list[str]:
    """The SQL statements of one request, less the savepoints of ATOMIC_REQUESTS inside
    the test's transaction (in production the request's BEGIN/COMMIT are not queries)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]


@pytest.mark.parametrize(("url", "queries"), QUERY_BUDGETS)
def test_each_page_costs_a_fixed_number_of_queries(client, world, url, queries):
    client.get(url)  # content types and other per-process caches
    assert len(queries_of(client, url)) == queries
    _grow(world)
    client.get(url)  # the statistics, counted again once after a public change
    assert len(queries_of(client, url)) == queries


def test_a_record_page_costs_a_fixed_number_of_queries(client, world):
    person, facility, source = world["people"][0], world["facility"], world["source"]
    pages = {
        # last change; person; names, identifiers, recognitions, detentions, charges,
        # stays, decisions, releases, participations; citations
        f"/en/prisoners/{person.pk}/": 12,
        # the same (the feed is made from the page's data)
        f"/en/prisoners/{person.pk}/feed/": 12,
        # last change; facility; other names; people held now
        f"/en/facilities/{facility.pk}/": 4,
        # last change; facility; people held now
        f"/en/facilities/{facility.pk}/feed/": 3,
        # last change; source; its citations; one per kind of record cited (people,
        # detentions, figures)
        f"/en/sources/{source.pk}/": 6,
    }
    for url in pages:
        client.get(url)
    _grow(world)
    for url, queries in pages.items():
        assert len(queries_of(client, url)) == queries, url
