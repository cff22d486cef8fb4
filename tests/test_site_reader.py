"""
The public website as a reader of Belarusian or Russian meets it, on a phone: languages
named in themselves, reported figures in the page's language, titles, Open Graph and
error pages (404, 429, 500, 503) in the language of the address, the filters folded
behind one button, dates typed and shown as the reader writes them, a rate limit on
pages, and no page heavier than 100 KB compressed with its style sheet.
"""

from __future__ import annotations

import gzip
import html
import random
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.utils import timezone

from prisoners.models import Person
from website import views

from .factories import (
    CitationFactory,
    DetentionFactory,
    FacilityFactory,
    FacilityStayFactory,
    PersonFactory,
    PersonNameFactory,
    ReportedFigureFactory,
    SourceFactory,
)

LANGUAGES = ("be", "ru", "en")
VLASOVA = 3
# Each language as it names itself, and as Open Graph names it.
OWN_NAMES = {"be": "Беларуская", "ru": "Русский", "en": "English"}
OG_LOCALES = {"be": "be_BY", "ru": "ru_RU", "en": "en_GB"}


def text(response) -> str:
    return response.content.decode()


def heading(response) -> str:
    return html.unescape(re.search(r"<h1>(.*?)</h1>", text(response)).group(1))


def title(response) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", text(response)).group(1))


# Languages, figures, titles -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_switcher_names_each_language_in_itself(client, seed, lang):
    body = text(client.get(f"/{lang}/prisoners/?status=in_custody"))
    switcher = re.search(r'<nav class="languages".*?</nav>', body, re.S).group(0)
    for code, name in OWN_NAMES.items():
        if code == lang:
            assert f'<span lang="{code}" aria-current="true">{name}</span>' in switcher
        else:
            link = (
                f'<a href="/{code}/prisoners/?status=in_custody" hreflang="{code}" '
                f'lang="{code}">{name}</a>'
            )
            assert link in switcher


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "shown", "not_shown"),
    [
        ("be", ["палітвязні", "(Вясна)", "з іх асуджаныя"], ["political prisoners", "Vyasna"]),
        ("ru", ["политзаключённые", "(Весна)", "из них осуждены"], ["political prisoners"]),
        ("en", ["political prisoners", "(Vyasna)", "of them sentenced"], ["палітвязні"]),
    ],
)
def test_reported_figures_are_in_the_pages_language(client, seed, lang, shown, not_shown):
    body = text(client.get(f"/{lang}/"))
    for words in shown:
        assert words in body
    for words in not_shown:
        assert words not in body


@pytest.mark.django_db
def test_a_figure_without_a_translation_shows_its_english(client):
    figure = ReportedFigureFactory(
        counted="political prisoners", counted_ru="политзаключённые", counted_by="Viasna"
    )
    source = SourceFactory(title="Viasna's count")
    CitationFactory(record=figure, source=source)
    assert "политзаключённые" in text(client.get("/ru/"))
    assert "political prisoners" in text(client.get("/be/"))
    # A source's page names the figures it supports in the page's language too.
    assert "политзаключённые" in text(client.get(f"/ru/sources/{source.pk}/"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("be", "Месцы ўтрымання · База палітвязняў"),
        ("ru", "Места содержания · База политзаключённых"),
        ("en", "Places of detention · Political-prisoner tracker"),
    ],
)
def test_titles_and_open_graph_are_in_the_pages_language(client, seed, lang, expected):
    response = client.get(f"/{lang}/facilities/")
    body = text(response)
    assert title(response) == expected
    assert f'<meta property="og:title" content="{expected.split(" · ")[0]}">' in body
    assert f'<meta property="og:locale" content="{OG_LOCALES[lang]}">' in body
    others = [OG_LOCALES[code] for code in LANGUAGES if code != lang]
    assert re.findall(r'property="og:locale:alternate" content="(\w+)"', body) == others


# Error pages ------------------------------------------------------------------------------------

ERRORS = {
    404: {"be": "Старонка не знойдзена", "ru": "Страница не найдена", "en": "Page not found"},
    429: {"be": "Занадта шмат запытаў", "ru": "Слишком много запросов", "en": "Too many requests"},
    500: {"be": "Нешта пайшло не так", "ru": "Что-то пошло не так", "en": "Something went wrong"},
    503: {
        "be": "Сайт часова не адказвае",
        "ru": "Сайт временно не отвечает",
        "en": "The site is not answering for a moment",
    },
}


def failing_home(monkeypatch, error: Exception) -> Client:
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(views.selectors, "status_counts", fail)
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_page_that_does_not_exist_answers_in_the_language_of_its_address(client, lang):
    response = client.get(f"/{lang}/prisoners/987654321/")
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in text(response)
    assert heading(response) == ERRORS[404][lang]
    assert title(response).startswith(ERRORS[404][lang])


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bug_answers_a_500_page_in_the_language_of_its_address(monkeypatch, lang):
    response = failing_home(monkeypatch, RuntimeError("a bug")).get(f"/{lang}/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{lang}">' in text(response)
    assert heading(response) == ERRORS[500][lang]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_database_away_answers_a_503_page_with_retry_after(monkeypatch, lang):
    response = failing_home(monkeypatch, OperationalError("gone")).get(f"/{lang}/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert f'<html lang="{lang}">' in text(response)
    assert heading(response) == ERRORS[503][lang]


@pytest.mark.parametrize(("status", "lang"), [(500, "be"), (503, "ru")])
def test_the_500_and_503_pages_need_no_database(rf, status, lang):
    # No django_db mark: any query here would fail the test.
    error = OperationalError("gone") if status == 503 else RuntimeError("a bug")
    try:
        raise error
    except type(error):
        response = views.server_error(rf.get(f"/{lang}/prisoners/"))
    assert response.status_code == status
    assert response["Content-Language"] == lang
    assert heading(response) == ERRORS[status][lang]


@pytest.mark.django_db
@override_settings(SITE_RATE="2/minute")
def test_pages_have_a_rate_limit_answered_in_the_readers_language(client, seed):
    cache.clear()
    assert [client.get(url).status_code for url in ("/be/", "/ru/facilities/")] == [200, 200]
    for lang in LANGUAGES:
        limited = client.get(f"/{lang}/prisoners/")
        assert limited.status_code == 429
        assert 0 < int(limited["Retry-After"]) <= 60
        assert limited["Content-Type"].startswith("text/html")
        assert limited["Content-Language"] == lang
        assert heading(limited) == ERRORS[429][lang]
        assert f'<html lang="{lang}">' in text(limited)
    # The API and the files keep their own limits.
    assert client.get("/api/v1/facilities/").status_code == 200
    assert client.get("/en/prisoners/", REMOTE_ADDR="192.0.2.77").status_code == 200


def test_the_429_page_says_how_long_to_wait_with_plural_forms(rf):
    response = views.too_many_requests(rf.get("/be/letters/"), 22)
    assert response.status_code == 429 and response["Retry-After"] == "22"
    assert "Пачакайце 22 секунды і абнавіце старонку." in text(response)
    response = views.too_many_requests(rf.get("/ru/letters/"), 45)
    assert "Подождите 45 секунд и обновите страницу." in text(response)


# The list on a phone: filters folded, dates as the reader writes them ---------------------------


@pytest.mark.django_db
def test_the_filters_stay_folded_with_a_count_of_those_chosen(client, seed):
    body = text(client.get("/be/prisoners/?status=released&status=restricted&article=243"))
    assert "<details>" in body and "<details open>" not in body
    assert "<summary>Фільтры (выбрана: 2)</summary>" in body
    # Results first: the first name comes before the links to download the list.
    assert body.index('class="name"') < body.index("/exports/prisoners.csv")
    # Where a field is marked, the filters are open to show it.
    assert "<details open>" in text(client.get("/be/prisoners/?facility=987654321"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "after", "before", "shown_after", "shown_before"),
    [
        ("be", "08.2020", "31.08.2020", "1 жніўня 2020", "31 жніўня 2020"),
        ("ru", "август 2020", "31 августа 2020", "1 августа 2020", "31 августа 2020"),
        ("en", "Aug 2020", "2020-08-31", "1 August 2020", "31 August 2020"),
    ],
)
def test_dates_are_typed_and_shown_as_the_reader_writes_them(
    client, seed, lang, after, before, shown_after, shown_before
):
    # The form sends every field; its address keeps the days the API reads.
    response = client.get(
        f"/{lang}/prisoners/",
        {"q": "", "detained_after": after, "detained_before": before, "released_after": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/{lang}/prisoners/?detained_after=2020-08-01&detained_before=2020-08-31"
    )
    page = client.get(response["Location"])
    body = text(page)
    assert re.findall(r'class="name" href="/\w\w/prisoners/(\d+)/"', body) == [str(VLASOVA)]
    assert f'value="{shown_after}"' in body and f'value="{shown_before}"' in body
    assert 'type="date"' not in body
    assert "/api/v1/prisoners/?detained_after=2020-08-01&amp;detained_before=2020-08-31" in body


@pytest.mark.django_db
def test_a_month_or_a_year_means_its_last_day_in_an_on_or_before_filter(client, seed):
    response = client.get("/be/prisoners/?released_before=2020&q=")
    assert response["Location"] == "/be/prisoners/?released_before=2020-12-31"
    response = client.get("/be/prisoners/?detained_before=02.2024&q=")
    assert response["Location"] == "/be/prisoners/?detained_before=2024-02-29"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["31.02.2020", "25/10/2020", "учора", "2020-13"])
def test_a_date_the_list_cannot_read_is_marked_next_to_its_field(client, seed, value):
    response = client.get("/be/prisoners/", {"detained_after": value})
    assert response.status_code == 400
    body = text(response)
    field = re.search(r'<div class="field has-error">.*?</div>', body, re.S).group(0)
    assert 'name="detained_after"' in field
    assert "Напішыце дату як 25.06.2020, 06.2020 або 2020." in field


# Weight -----------------------------------------------------------------------------------------

LIMIT = 100_000  # bytes of HTML and CSS, compressed as a server sends them
# Words for quotes that compress like prose rather than like one phrase repeated.
WORDS = [
    "суд",
    "прысуд",
    "затрыманне",
    "вызваленне",
    "калонія",
    "адвакат",
    "пратэст",
    "артыкул",
    "крыніца",
    "журналіст",
    "court",
    "verdict",
    "detention",
    "release",
    "colony",
    "lawyer",
    "protest",
    "article",
    "source",
    "journalist",
    "суд",
    "приговор",
    "задержание",
    "освобождение",
    "колония",
    "адвокат",
    "протест",
    "статья",
    "источник",
]


def prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


@pytest.fixture
def full_pages(seed):
    """Pages as full as they get: a page of 50 people with three spellings each, letters
    with 100 people and their birthdays, a place holding them all, a source that supports
    every one of their records, a person with a long custody record."""
    month = timezone.localdate().month
    rng = random.Random(21)
    facility = FacilityFactory(
        name="Penal colony No. 4", address="ul. Kalinina 2, 246035 Gomel, Belarus"
    )
    source = SourceFactory(title="A long list of people held in Penal colony No. 4")
    for n in range(120):
        person = PersonFactory(
            name=f"Aliaksandra Kavalenka-Ramanouskaya {n}",
            current_status="in_custody",
            birth_date=f"1985-{month:02d}-{n % 28 + 1:02d}",
        )
        PersonNameFactory(person=person, name=f"Аляксандра Каваленка-Раманоўская {n}")
        PersonNameFactory(person=person, name=f"Александра Коваленко-Романовская {n}")
        detention = DetentionFactory(person=person, started_on="2021-03")
        FacilityStayFactory(detention=detention, facility=facility)
        CitationFactory(record=person, source=source, quote=prose(rng, 25))
    person = Person.objects.get(pk=VLASOVA)
    for n in range(12):
        detention = DetentionFactory(person=person, started_on=f"20{10 + n}-05")
        FacilityStayFactory(detention=detention, facility=facility)
        CitationFactory(record=detention, source=source, quote=prose(rng, 25))
    return {"facility": facility.pk, "source": source.pk}


@pytest.mark.django_db
def test_every_page_with_its_style_sheet_is_under_100_kb_compressed(client, full_pages):
    style = gzip.compress(open(finders.find("website/site.css"), "rb").read())  # noqa: SIM115
    pages = [
        "/{lang}/",
        "/{lang}/prisoners/",
        "/{lang}/prisoners/?q=Kavalenka",
        f"/{{lang}}/prisoners/{VLASOVA}/",
        "/{lang}/facilities/",
        f"/{{lang}}/facilities/{full_pages['facility']}/",
        "/{lang}/letters/",
        "/{lang}/sources/",
        f"/{{lang}}/sources/{full_pages['source']}/",
        "/{lang}/about/",
        "/{lang}/downloads/",
        "/{lang}/prisoners/987654321/",
    ]
    weights = {}
    for lang in LANGUAGES:
        for template in pages:
            url = template.format(lang=lang)
            response = client.get(url)
            assert response.status_code in (200, 404), url
            weights[url] = len(gzip.compress(response.content)) + len(style)
    assert "Aliaksandra Kavalenka-Ramanouskaya 99" in text(client.get("/en/letters/"))
    heavy = {url: weight for url, weight in weights.items() if weight >= LIMIT}
    assert not heavy, heavy
