"""
A search costs at most in proportion to the query: each word keeps its own one or two keys
(a Latin "ch" read as ч and as х) instead of the product of every word's readings, and the
API's ``q`` is bounded, with a 400 naming the limit. Behaviour only, nothing timed.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners import names
from prisoners.models import Person
from prisoners.search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, search_people

from .factories import PersonFactory, PersonNameFactory

API, CSV = "/api/v1/prisoners/", "/exports/prisoners.csv"
WORDS_MESSAGE = f"Enter at most {MAX_QUERY_WORDS} words (a name, in one or two scripts)."


def ch_words(count: int, length: int = 8) -> list[str]:
    """
    Distinct words of ``length`` letters, each starting and ending with a Latin "ch" (two
    readings): "chbaboch", "chdaboch", …, keys "cbbc" or "gbbg", "cdbc" or "gdbg", …
    """
    letters = "bdfklmnprstvz"
    return [
        f"ch{letters[i % 13]}a{letters[i // 13 % 13]}o{'a' * (length - 8)}ch" for i in range(count)
    ]


def test_the_limits_suit_a_full_name_in_two_scripts():
    name = "Ціханоўскі Сяргей Леанідавіч Tsikhanouski Siarhei Leanidavich"
    assert len(names.search_words(name)) <= MAX_QUERY_WORDS
    assert len(name) <= MAX_QUERY_LENGTH


class TestKeysGrowWithTheWords:
    @pytest.mark.parametrize("count", [1, 8, 20, 60])
    def test_one_entry_of_at_most_two_keys_per_word(self, count):
        keys = names.query_keys(" ".join(ch_words(count)))
        assert len(keys) == count
        assert all(len(alternatives) == 2 for alternatives in keys)

    def test_a_word_given_twice_counts_once(self):
        assert names.query_keys("ach " * 40) == [("c", "g")]

    def test_whole_name_readings_are_bounded(self):
        # 2**20 readings if multiplied out: only the all-ч and all-х readings are kept.
        readings = names.keys(" ".join(ch_words(20)))
        assert len(readings) <= names.MAX_READINGS
        assert len(names.keys(" ".join(ch_words(3)))) == 8  # few words: every reading

    def test_search_sql_grows_linearly(self, db):
        def main_query_size(count):
            with CaptureQueriesContext(connection) as queries:
                list(search_people(Person.objects.all(), " ".join(ch_words(count))))
            return max(len(query["sql"]) for query in queries.captured_queries)

        one, four, eight = main_query_size(1), main_query_size(4), main_query_size(8)
        assert eight - four <= 2 * (four - one)  # linear, not 2**n
        assert eight < 5_000  # 2**8 readings multiplied out made 100 KB and more


class TestLimits:
    @pytest.mark.parametrize("path", [API, CSV])
    def test_too_many_words_is_a_400_naming_the_limit(self, client, db, path):
        response = client.get(path, {"q": " ".join(["ach"] * (MAX_QUERY_WORDS + 1))})
        assert response.status_code == 400
        assert response.json() == {"q": [WORDS_MESSAGE]}

    @pytest.mark.parametrize("path", [API, CSV])
    def test_too_long_is_a_400_naming_the_limit(self, client, db, path):
        response = client.get(path, {"q": "Tsikhanouski" * 20})
        assert response.status_code == 400
        assert response.json() == {
            "q": [f"Ensure this value has at most {MAX_QUERY_LENGTH} characters (it has 240)."]
        }

    @pytest.mark.parametrize("path", [API, CSV])
    def test_twelve_hundred_words_is_a_400(self, client, db, path):
        response = client.get(path, {"q": "ab " * 1200})
        assert response.status_code == 400
        assert WORDS_MESSAGE in response.json()["q"]

    def test_words_are_counted_as_the_search_reads_them(self, client, db):
        # Eight words as typed, nine once hyphens and transliteration split them.
        query = "Anna-Maria " + " ".join(ch_words(7))
        assert client.get(API, {"q": query}).status_code == 400

    @pytest.mark.parametrize("path", [API, CSV])
    @pytest.mark.parametrize("value", ["Lo\x01sik", "Los\tik", "Lo\x7fsik", "Lo\x85sik"])
    def test_control_characters_are_a_400(self, client, db, path, value):
        response = client.get(path, {"q": value})
        assert response.status_code == 400
        assert response.json() == {"q": ["Enter text without control characters."]}

    @pytest.mark.parametrize("path", [API, CSV])
    def test_a_nul_byte_is_a_400(self, client, db, path):
        response = client.get(path, {"q": "Losik\x00"})
        assert response.status_code == 400
        assert response.json() == {"q": ["Null characters are not allowed."]}

    def test_the_schema_states_the_limits(self, client, db):
        schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
        (q,) = [p for p in schema["paths"][API]["get"]["parameters"] if p["name"] == "q"]
        assert q["schema"]["maxLength"] == MAX_QUERY_LENGTH
        assert q["schema"]["pattern"] == "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
        assert f"{MAX_QUERY_WORDS} words" in q["description"]


class TestTheWorstAllowedQuery:
    @pytest.fixture
    def chach(self, db):
        """Someone whose name has the words of the query (so every step has work)."""
        person = PersonFactory(name="Chbaboch Chdaboch")
        PersonNameFactory(
            person=person, name=" ".join(ch_words(8)), language="", script="Latn", kind="alias"
        )
        return person

    def test_it_answers_on_sqlite(self, client, chach):
        query = " ".join(ch_words(MAX_QUERY_WORDS, length=24))
        assert len(query) <= MAX_QUERY_LENGTH and len(names.query_keys(query)) == 8
        response = client.get(API, {"q": query})
        assert response.status_code == 200
        assert client.get(CSV, {"q": query}).status_code == 200

    def test_the_longest_words_with_ch_find_the_person(self, client, chach):
        response = client.get(API, {"q": " ".join(ch_words(8))})
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [chach.pk]
        # One edit off in a word: the fuzzy step, also word by word.
        typo = " ".join(["chbapoch", *ch_words(8)[1:]])
        assert [row["id"] for row in client.get(API, {"q": typo}).json()["results"]] == [chach.pk]

    def test_the_admin_search_reads_at_most_the_word_limit(self, chach):
        # The admin calls search_people directly, unbounded by the API's validation: the
        # words past the limit are not read (here, 150 words of which the first 8 match).
        people = Person.objects.all()
        assert list(search_people(people, " ".join(ch_words(150)), public=False)) == [chach]
        assert list(search_people(people, "ab " * 1200, public=False)) == []
        assert list(search_people(people, "Chbaboch\x00", public=False)) == [chach]
