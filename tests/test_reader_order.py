"""
People in the order a reader of the page's language expects, and found by their first
letter: the site's lists (people, letters, a facility's people held now) and the API's
``ordering=display_name`` sort by the name in the reader's script in that language's
collation (ICU on PostgreSQL; SQLite keeps the plain code-point order, so the order tests
run on PostgreSQL only), on an index of the edition; ``letter`` (the API's, the CSV's and
the site's alphabet) finds the people whose shown name begins with a letter.
"""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from edition.models import Person as EditionPerson
from prisoners import public
from website import selectors

from .factories import (
    DetentionFactory,
    FacilityFactory,
    FacilityStayFactory,
    PersonFactory,
    PersonNameFactory,
)
from .plans import plan_of, the_statement

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no language collations: it sorts by code points (CI runs PostgreSQL)",
)

# (Latin, Belarusian, Russian) spellings. In code-point order Ё, І and Ў come before А,
# ё, і and ў after я, and the Russian ё after е..я: every pair below that a reader orders
# one way the code points order the other way.
PEOPLE = [
    ("Aliaksei Babchonak", "Аляксей Бабчонак", "Алексей Бабчёнок"),
    ("Yosif Kuryla", "Ёсіф Курыла", "Иосиф Курило"),
    ("Ivan Krauchuk", "Іван Краўчук", "Иван Кравчук"),
    ("Siarhei Krautsou", "Сяргей Краўцоў", "Сергей Кравцов"),
    ("Siarhei Kraft", "Сяргей Крафт", "Сергей Крафт"),
    ("Alena Zhuk", "Алёна Жук", "Алёна Жукова"),
    ("Alena Ilyina", "Алена Ільіна", "Алена Ильина"),
]
# Belarusian: Ё is a letter after Е, І comes where И would, Ў right after У.
BELARUSIAN_ORDER = [
    "Алена Ільіна",
    "Алёна Жук",
    "Аляксей Бабчонак",
    "Ёсіф Курыла",
    "Іван Краўчук",
    "Сяргей Краўцоў",
    "Сяргей Крафт",
]
# Russian: Ё is filed with Е (Алёна Жукова before Алена Ильина: Ж before И).
RUSSIAN_ORDER = [
    "Алексей Бабчёнок",
    "Алёна Жукова",
    "Алена Ильина",
    "Иван Кравчук",
    "Иосиф Курило",
    "Сергей Кравцов",
    "Сергей Крафт",
]
ORDERS = {"be": BELARUSIAN_ORDER, "ru": RUSSIAN_ORDER}


@pytest.fixture
def people(db):
    """The people above, all in custody in one facility."""
    facility = FacilityFactory(name="Pre-trial detention centre No. 1")
    for latin, belarusian, russian in PEOPLE:
        person = PersonFactory(name=latin)
        PersonNameFactory(person=person, name=belarusian, language="be", script="Cyrl")
        PersonNameFactory(person=person, name=russian, language="ru", script="Cyrl")
        FacilityStayFactory(detention=DetentionFactory(person=person), facility=facility)
    return facility


def shown_names(body: str) -> list[str]:
    """The names the page links to people's pages, in its order."""
    pattern = r'<a [^>]*href="/\w\w/prisoners/\d+/"[^>]*>([^<]+)</a>'
    return [html.unescape(name) for name in re.findall(pattern, body)]


def test_the_order_tests_would_fail_in_code_point_order():
    assert sorted(BELARUSIAN_ORDER) != BELARUSIAN_ORDER
    assert sorted(RUSSIAN_ORDER) != RUSSIAN_ORDER


@on_postgresql
@pytest.mark.parametrize("lang", ["be", "ru"])
def test_lists_of_people_are_in_the_order_of_the_readers_alphabet(client, people, lang):
    expected = ORDERS[lang]
    listing = client.get(f"/{lang}/prisoners/").content.decode()
    assert shown_names(listing) == expected
    by_name = client.get(f"/{lang}/prisoners/?ordering=-name").content.decode()
    assert shown_names(by_name) == expected[::-1]
    letters = client.get(f"/{lang}/letters/").content.decode()
    assert [name for name in shown_names(letters) if name in expected] == expected
    held = client.get(f"/{lang}/facilities/{people.pk}/").content.decode()
    assert [name for name in shown_names(held) if name in expected] == expected


@on_postgresql
@pytest.mark.parametrize("lang", ["be", "ru"])
def test_the_api_sorts_by_display_name_in_the_order_of_the_language_asked_for(client, people, lang):
    def names(ordering):
        body = client.get("/api/v1/prisoners/", {"ordering": ordering, "lang": lang}).json()
        return [row["display_name"] for row in body["results"]]

    assert names("display_name") == ORDERS[lang]
    assert names("-display_name") == ORDERS[lang][::-1]


@on_postgresql
@pytest.mark.parametrize("lang", ["be", "ru", "en"])
def test_a_page_of_people_sorted_by_name_reads_the_editions_index(people, lang):
    """The first page's ORDER BY is the expression of the language's index (edition.schema),
    so PostgreSQL reads 50 entries of it instead of sorting every person (here with
    sequential scans off: a few rows would be read without any index)."""
    with translation.override(lang), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        page = public.rows(EditionPerson).order_by(selectors.by_shown_name(), "pk")[:50]
        plan = page.explain()
    assert f"edition_person_display_name_{lang}_order" in plan
    assert "Sort" not in plan


@on_postgresql
@pytest.mark.parametrize("query", ["", "status=in_custody"])
def test_a_page_of_the_apis_people_reads_the_editions_index_of_names(client, people, query):
    """
    The API's default order (the public name, then id) is an index of the edition, alone
    and within a status, so a page is read in that order instead of sorting every person.
    The plan is of the very statement the API ran, with sequential scans off as above.

    With a filter on related rows (an article, detained between) the same index lets the
    planner check people one by one in that order until the page is full; whether it does
    depends on how many match, so that is measured at scale, not here (at 121,002 people,
    ``EXPLAIN ANALYZE``: the first page 106 → 0.1 ms, ``status=in_custody&article=342``
    270 → 22 ms, detained in the first half of 2022 197 → 2 ms).
    """
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/prisoners/?limit=50&{query}").status_code == 200
    plan = plan_of(the_statement(queries, 'SELECT "edition_person"."id"', "LIMIT 50"))
    assert "edition_person_name_idx" in plan or "edition_person_status_idx" in plan, plan
    assert "Sort" not in plan, plan


# By first letter ----------------------------------------------------------------------------


def test_the_alphabet_is_the_pages_and_keeps_the_filters(client, people):
    listing = client.get("/be/prisoners/?status=in_custody").content.decode()
    alphabet = re.search(r'<nav class="alphabet".*?</nav>', listing, re.S).group(0)
    letters = re.findall(r">(\w)</a>", alphabet)
    assert "".join(letters) == "АБВГДЕЁЖЗІЙКЛМНОПРСТУФХЦЧШЭЮЯ"
    assert 'href="/be/prisoners/?status=in_custody&amp;letter=%D0%81"' in alphabet  # Ё
    chosen = client.get("/be/prisoners/?status=in_custody&letter=Ё").content.decode()
    assert shown_names(chosen) == ["Ёсіф Курыла"]
    alphabet = re.search(r'<nav class="alphabet".*?</nav>', chosen, re.S).group(0)
    assert 'aria-current="page">Ё</a>' in alphabet
    assert '<a class="every" href="/be/prisoners/?status=in_custody">усе</a>' in alphabet
    # The list of the API and the CSV file is the same list.
    (api,) = re.findall(r'href="(/api/v1/prisoners/[^"]+)"', chosen)
    body = client.get(html.unescape(api)).json()
    assert [row["display_name"] for row in body["results"]] == ["Ёсіф Курыла"]
    ru = client.get("/ru/prisoners/").content.decode()
    alphabet = re.search(r'<nav class="alphabet".*?</nav>', ru, re.S).group(0)
    assert "".join(re.findall(r">(\w)</a>", alphabet)) == "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"
    # Searching, the list is the search's: no alphabet.
    assert 'class="alphabet"' not in client.get("/be/prisoners/?q=Kraft").content.decode()


@pytest.mark.parametrize(
    ("lang", "letter", "expected"),
    [
        ("be", "Ё", ["Ёсіф Курыла"]),
        ("be", "е", []),  # in Belarusian Ё is a letter of its own
        ("be", "І", ["Іван Краўчук"]),
        ("ru", "Е", []),
        ("ru", "И", ["Иван Кравчук", "Иосиф Курило"]),
        ("en", "s", ["Siarhei Kraft", "Siarhei Krautsou"]),
    ],
)
def test_the_api_finds_people_by_the_first_letter_of_their_display_name(
    client, people, lang, letter, expected
):
    body = client.get(
        "/api/v1/prisoners/", {"letter": letter, "lang": lang, "ordering": "display_name"}
    ).json()
    assert sorted(row["display_name"] for row in body["results"]) == sorted(expected)


def test_in_russian_e_includes_yo(client, people):
    yolkin = PersonFactory(name="Yolkin")
    PersonNameFactory(person=yolkin, name="Ёлкин Пётр", language="ru", script="Cyrl")
    egorov = PersonFactory(name="Yegorov")
    PersonNameFactory(person=egorov, name="Егоров Пётр", language="ru", script="Cyrl")
    body = client.get("/api/v1/prisoners/", {"letter": "Е", "lang": "ru"}).json()
    assert {row["display_name"] for row in body["results"]} == {"Егоров Пётр", "Ёлкин Пётр"}
    body = client.get("/api/v1/prisoners/", {"letter": "Е", "lang": "be"}).json()
    assert [row["display_name"] for row in body["results"]] == ["Егоров Пётр"]


@pytest.mark.parametrize("value", ["", "АБ", "1", "_", "-"])
def test_a_letter_is_one_letter(client, people, value):
    response = client.get("/api/v1/prisoners/", {"letter": value, "lang": "be"})
    assert response.status_code == 400
    assert list(response.json()) == ["letter"]
    assert client.get("/be/prisoners/", {"letter": value}).status_code in (302, 400)


def test_the_csv_file_takes_the_letter_in_its_language(client, people):
    response = client.get("/exports/prisoners.csv", {"letter": "І", "lang": "be"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 2 and "Ivan Krauchuk" in rows[1]


def test_the_list_costs_the_same_queries_with_a_letter(client, people, django_assert_num_queries):
    with CaptureQueriesContext(connection) as plain:
        client.get("/be/prisoners/")
    with django_assert_num_queries(len(plain)):
        client.get("/be/prisoners/?letter=С")
