"""
The API and the files answer in the reader's language: every message (400, 404, 405, 429)
in Belarusian, Russian or English, as ``?lang=`` or else ``Accept-Language`` asks, REST
framework's and Django's own messages included; ``lang``, when a request gives it, is
kept on every link the API answers with, as the website keeps the page's language on its
links to the API and the files; and every person the API names has a ``display_name`` in
the script of that language, with the documented fallback.
"""

import html
import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from .factories import (
    DetentionFactory,
    EventFactory,
    EventParticipantFactory,
    FacilityFactory,
    PersonFactory,
    PersonNameFactory,
    ReleaseFactory,
)

LANGUAGES = ("en", "be", "ru")
CYRILLIC = re.compile("[А-Яа-яІіЎўЁё]")


def get(client, url, language, how):
    """The answer to ``url`` in ``language``, asked by ``?lang=`` or by Accept-Language."""
    if how == "lang":
        url = f"{url}{'&' if '?' in url else '?'}lang={language}"
        return client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    return client.get(url, HTTP_ACCEPT_LANGUAGE=f"{language}, en;q=0.5")


def messages(body) -> list[str]:
    """Every message of an error answer, whatever its shape."""
    if isinstance(body, dict):
        return [text for value in body.values() for text in messages(value)]
    if isinstance(body, list):
        return [text for value in body for text in messages(value)]
    return [body]


# One of each: ours, Django's forms', REST framework's --------------------------------------

BAD_DATE = {
    "en": "Enter a valid date.",
    "be": "Увядзіце правільную дату.",
    "ru": "Введите правильную дату.",
}
TOO_SMALL = {
    "en": "Must be at least 1.",
    "be": "Павінна быць не менш за 1.",
    "ru": "Должно быть не меньше 1.",
}
NOT_FOUND = {"en": "Not found.", "be": "Не знойдзена.", "ru": "Не найдено."}
THROTTLED = {
    "en": r"Request was throttled\. Expected available in \d+ seconds?\.",
    "be": r"Занадта шмат запытаў\. Паўтарыце праз \d+ секунд[уы]?\.",
    "ru": r"Слишком много запросов\. Повторите через \d+ секунд[уы]?\.",
}


@pytest.mark.parametrize("how", ["lang", "header"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_400_is_in_the_requested_language(client, db, language, how):
    response = get(client, "/api/v1/prisoners/?detained_after=2020-13-01", language, how)
    assert response.status_code == 400
    assert response.json() == {"detained_after": [BAD_DATE[language]]}
    assert response["Content-Language"] == language
    response = get(client, "/api/v1/facilities/?limit=0", language, how)
    assert response.json() == {"limit": [TOO_SMALL[language]]}


@pytest.mark.parametrize("how", ["lang", "header"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_404_is_in_the_requested_language_and_names_nothing(client, db, language, how):
    hidden = FacilityFactory(state="draft")
    for url in (
        f"/api/v1/facilities/{hidden.pk}/",  # not public: the same answer as none
        "/api/v1/facilities/987654/",
        "/api/v1/nowhere/",
        "/exports/nowhere.csv",
    ):
        response = get(client, url, language, how)
        assert response.status_code == 404, url
        # Django's get_object_or_404 said "No Facility matches the given query."
        assert response.json() == {"detail": NOT_FOUND[language]}, url


@pytest.mark.parametrize("how", ["lang", "header"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_429_is_in_the_requested_language(client, db, language, how):
    cache.clear()
    with override_settings(API_ANON_RATE="1/minute"):
        assert get(client, "/api/v1/facilities/", language, how).status_code == 200
        limited = get(client, "/api/v1/facilities/", language, how)
    cache.clear()
    assert limited.status_code == 429
    assert re.fullmatch(THROTTLED[language], limited.json()["detail"])
    assert limited["Content-Language"] == language
    assert int(limited["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Bad request."), ("be", "Няправільны запыт."), ("ru", "Неверный запрос.")],
)
@pytest.mark.parametrize("url", ["/api/v1/prisoners/", "/api/v1/stats/", "/exports/sources.csv"])
def test_a_request_django_refuses_is_a_400_in_the_requested_language(
    client, db, url, language, expected
):
    too_many = "&".join(f"p{n}=1" for n in range(1100))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.get(f"{url}?{too_many}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json() == {"detail": expected}


def test_a_method_not_allowed_is_in_the_requested_language(client, db):
    answers = {
        language: client.post("/api/v1/facilities/", HTTP_ACCEPT_LANGUAGE=language)
        for language in LANGUAGES
    }
    assert {response.status_code for response in answers.values()} == {405}
    assert answers["en"].json() == {"detail": 'Method "POST" not allowed.'}
    assert answers["be"].json() == {"detail": "Метад «POST» не дазволены."}
    assert CYRILLIC.search(answers["ru"].json()["detail"])


def test_a_lang_the_api_does_not_know_is_refused_in_the_accept_language(client, db):
    response = client.get("/api/v1/facilities/?lang=de", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json() == {
        "lang": ["Выберите be (белорусский), ru (русский) или en (английский)."]
    }


BAD_REQUESTS = [
    "/api/v1/prisoners/?status=free",
    "/api/v1/prisoners/?status=in_custody&zzz=1",
    "/api/v1/prisoners/?q=a&q=b",
    "/api/v1/prisoners/?detained_after=",
    "/api/v1/prisoners/?detained_after=2020-1-1",
    "/api/v1/prisoners/?facility=１",
    "/api/v1/prisoners/?facility=x",
    "/api/v1/prisoners/?sentenced=maybe",
    "/api/v1/prisoners/?article=x",
    "/api/v1/prisoners/?q=%01",
    "/api/v1/prisoners/?q=%00",
    "/api/v1/prisoners/?q=a+b+c+d+e+f+g+h+i",
    "/api/v1/prisoners/?updated_since=2020-01-01T25:00",
    "/api/v1/prisoners/?updated_since=9999-12-31T23:59:59-23:59",
    "/api/v1/prisoners/?ordering=secret",
    "/api/v1/prisoners/?letter=",
    "/api/v1/prisoners/?letter=%D0%90%D0%91",
    "/api/v1/prisoners/?limit=501",
    "/api/v1/prisoners/?offset=-1",
    "/api/v1/stats/in-custody/?interval=fortnight",
    "/api/v1/stats/in-custody/?from=2020-02-30",
    "/api/v1/stats/in-custody/?from=1850-01-01",
    "/api/v1/stats/in-custody/?to=",
    "/api/v1/stats/?zzz=1",
    "/exports/prisoners.csv?ordering=id",
    "/exports/prisoners.csv?excel=maybe",
    "/exports/prisoners.csv?lang=de",
]


@pytest.mark.parametrize("url", BAD_REQUESTS)
def test_every_message_of_a_bad_request_is_translated(client, db, url):
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400, url
    for language in ("be", "ru"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        assert response.json().keys() == english.json().keys()
        for text, original in zip(messages(response.json()), messages(english.json()), strict=True):
            assert text != original and CYRILLIC.search(text), (language, text)


# lang on links ------------------------------------------------------------------------------


def urls(body) -> list[str]:
    """Every link in an answer (``url`` fields, ``next``, ``previous``), at any depth."""
    if isinstance(body, dict):
        found = [v for k, v in body.items() if k in ("url", "next", "previous") and v]
        return found + [u for v in body.values() for u in urls(v)]
    if isinstance(body, list):
        return [u for v in body for u in urls(v)]
    return []


def test_the_api_keeps_lang_on_every_link_when_it_is_given(client, seed):
    listing = client.get("/api/v1/prisoners/?limit=2&offset=2&lang=be").json()
    sources = client.get("/api/v1/sources/?limit=2&lang=be").json()
    detail = client.get("/api/v1/prisoners/2/?format=json&lang=ru").json()
    in_listing, in_detail = urls(listing) + urls(sources), urls(detail)
    assert listing["next"] and listing["previous"] and len(urls(sources)) == 3
    assert all(re.search(r"[?&]lang=be(&|$)", url) for url in in_listing), in_listing
    # Records, their sources and their events, each with the format that was asked too.
    assert any("/sources/" in url for url in in_detail)
    assert all(url.endswith("/?format=json&lang=ru") for url in in_detail), in_detail
    # Following one answers in that language, whatever the browser says.
    followed = client.get(in_detail[0], HTTP_ACCEPT_LANGUAGE="en")
    assert followed["Content-Language"] == "ru"


def test_without_lang_the_links_leave_the_language_to_their_reader(client, seed):
    body = client.get("/api/v1/prisoners/?limit=2", HTTP_ACCEPT_LANGUAGE="be").json()
    assert urls(body) and not any("lang=" in url for url in urls(body))


def test_a_csv_file_takes_lang(client, seed):
    response = client.get("/exports/prisoners.csv?status=in_custody&lang=be")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().startswith("id,name,")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sites_links_to_the_api_and_the_files_keep_the_readers_language(client, seed, language):
    def hrefs(path):
        page = client.get(f"/{language}/{path}").content.decode()
        found = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]
        return [href for href in found if href.startswith(("/api/v1/prisoners/", "/exports/"))]

    kept = f"lang={language}"
    listed = hrefs("prisoners/?status=in_custody")
    assert len(listed) == 3  # the CSV, the CSV for Excel, the same in the API
    assert all(kept in href and "status=in_custody" in href for href in listed)
    assert hrefs("prisoners/2/") == [f"/api/v1/prisoners/2/?{kept}"]
    downloads = [href for href in hrefs("downloads/") if not href.endswith((".zip", ".md"))]
    assert downloads and all(href.endswith(f"?{kept}") for href in downloads)
    api = next(href for href in listed if href.startswith("/api/"))
    assert client.get(api, HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == language


# Names in the script of the language asked for -----------------------------------------------

# The seed's people by id, as each language's reader sees them: Losik and Babariko have
# both Cyrillic spellings; Rabtsevich only a Russian one (which Belarusian falls back to);
# Shkliarov none (Latin everywhere).
SHOWN = {
    1: {"be": "Ігар Лосік", "ru": "Игорь Лосик", "en": "Ihar Losik"},
    2: {"be": "Віктар Бабарыка", "ru": "Виктор Бабарико", "en": "Viktor Babariko"},
    4: {"be": "Дмитрий Рабцевич", "ru": "Дмитрий Рабцевич", "en": "Dzmitry Rabtsevich"},
    6: {"be": "Vitali Shkliarov", "ru": "Vitali Shkliarov", "en": "Vitali Shkliarov"},
}


def people_named(body) -> dict[int, tuple[str, str]]:
    """(name, display_name) of every person in an answer, at any depth, by id."""
    found = {}
    if isinstance(body, dict):
        if "display_name" in body:
            found[body["id"]] = (body["name"], body["display_name"])
        for value in body.values():
            found.update(people_named(value))
    elif isinstance(body, list):
        for value in body:
            found.update(people_named(value))
    return found


@pytest.mark.parametrize("how", ["lang", "header"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_people_have_a_display_name_in_the_script_of_the_language_asked_for(
    client, seed, language, how
):
    listed = people_named(get(client, "/api/v1/prisoners/", language, how).json())
    for pk, names in SHOWN.items():
        assert listed[pk][1] == names[language], pk
    # ``name`` stays the record's own name, whatever the language.
    assert listed[2][0] == "Viktor Babariko"
    detail = get(client, "/api/v1/prisoners/2/", language, how).json()
    assert detail["display_name"] == SHOWN[2][language]
    # Wherever a person is named: a detention, a verdict, an event's participants.
    for url in ("/api/v1/detentions/", "/api/v1/decisions/", "/api/v1/events/"):
        named = people_named(get(client, url, language, how).json())
        assert named[2] == ("Viktor Babariko", SHOWN[2][language]), url


def test_display_name_falls_back_as_documented(client, db):
    """Russian falls back to the Belarusian spelling; English to the first Latin spelling
    when the record's own name has no Latin letter; a withheld person is their descriptor
    in every language, wherever they are named."""
    only_be = PersonFactory(name="Зміцер Дашкевіч")
    PersonNameFactory(person=only_be, name="Зміцер Дашкевіч", language="be", script="Cyrl")
    PersonNameFactory(person=only_be, name="Zmitser Dashkevich", language="be", script="Latn")
    withheld = PersonFactory(
        name="Hanna Zaslauskaya", name_withheld=True, public_descriptor="a nurse from Hrodna"
    )
    PersonNameFactory(person=withheld, name="Ганна Заслаўская", language="be", script="Cyrl")
    ReleaseFactory(detention=DetentionFactory(person=withheld))
    EventParticipantFactory(event=EventFactory(), person=withheld)
    expected = {
        only_be.pk: {"be": "Зміцер Дашкевіч", "ru": "Зміцер Дашкевіч", "en": "Zmitser Dashkevich"},
        withheld.pk: dict.fromkeys(LANGUAGES, "a nurse from Hrodna"),
    }
    for language in LANGUAGES:
        for url in (
            "/api/v1/prisoners/",
            f"/api/v1/prisoners/{only_be.pk}/",
            f"/api/v1/prisoners/{withheld.pk}/",
            "/api/v1/detentions/",
            "/api/v1/releases/",
            "/api/v1/events/",
        ):
            named = people_named(client.get(url, {"lang": language}).json())
            for pk, (_name, shown) in named.items():
                assert shown == expected[pk][language], (url, language)
        assert len(people_named(client.get("/api/v1/events/", {"lang": language}).json())) == 1


def test_the_schema_documents_display_name_and_its_fallback(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    for component in ("PersonList", "PersonDetail", "PersonRef"):
        field = schema[component]["properties"]["display_name"]
        assert field["type"] == "string" and "display_name" in schema[component]["required"]
        assert "else the Russian Cyrillic one, else `name`" in field["description"], component
