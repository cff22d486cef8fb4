"""
Labels of the data in Belarusian, Russian and English (``tracker.lib.languages``): filled
for the seed, editable side by side in the admin, chosen by ``?lang=`` or
``Accept-Language`` in the API (with the fallback), one column per language in the files.
"""

import csv
import io
import re
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from prisoners import models as pm
from sources.models import Organisation
from tracker.lib.languages import language_of

from .admin_client import admin_url, form_data, signed_in
from .factories import FacilityFactory

KGB = {
    "be": "Следчы ізалятар КДБ",
    "ru": "Следственный изолятор КГБ",
    "en": "KGB pre-trial detention centre",
}
LABELS = [
    (pm.CriminalArticle, ("title",)),
    (pm.Facility, ("name", "city")),
    (pm.Event, ("title",)),
    (Organisation, ("name", "short_name")),
]
LIST_ENDPOINTS = [
    "prisoners",
    "detentions",
    "decisions",
    "releases",
    "facilities",
    "articles",
    "sources",
    "events",
    "figures",
    "stats",
    "stats/in-custody",
]


def api(client, path, **params):
    headers = params.pop("headers", {})
    response = client.get(f"/api/v1/{path}/", params, headers=headers)
    assert response.status_code == 200, response.content[:300]
    return response


def kgb(body):
    return next(row for row in body["results"] if row["name_i18n"]["en"] == KGB["en"])


# The seed ------------------------------------------------------------------------------------


def test_the_seed_gives_every_label_in_three_languages(seed):
    for model, fields in LABELS:
        assert model.objects.exists()
        for record in model.objects.all():
            for field in fields:
                for language in ("be", "ru", "en"):
                    text = getattr(record, f"{field}_{language}")
                    assert text, (model.__name__, record.pk, field, language)
                    assert not set(text) & set(NOT_IN[language]), text


# Letters a label in the language cannot have.
NOT_IN = {"be": "иъщИЪЩ", "ru": "іўІЎ", "en": "іўиыэ"}


def test_a_label_is_moved_to_the_language_its_letters_say():
    assert [language_of(t) for t in ("Мінск", "Минск", "Minsk", "Вясна")] == [
        "be",
        "ru",
        "en",
        "ru",  # no і or ў: Russian, which an editor corrects
    ]


# The API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "headers", "language"),
    [
        ({}, {}, "en"),
        ({"lang": "be"}, {}, "be"),
        ({}, {"accept-language": "ru-RU,ru;q=0.9,en;q=0.5"}, "ru"),
        ({}, {"accept-language": "de-DE,be;q=0.5"}, "be"),
        ({}, {"accept-language": "de-DE"}, "en"),
        ({"lang": "en"}, {"accept-language": "be"}, "en"),
    ],
)
def test_a_label_comes_in_the_requested_language(client, seed, params, headers, language):
    response = api(client, "facilities", headers=headers, **params)
    assert response["Content-Language"] == language
    row = kgb(response.json())
    assert row["name"] == KGB[language]
    assert row["name_i18n"] == KGB
    assert row["city_i18n"] == {"be": "Мінск", "ru": "Минск", "en": "Minsk"}


def test_a_missing_label_falls_back_to_english_then_to_any_language(client, db):
    english_only = FacilityFactory(name="Valadarka prison")
    russian_only = FacilityFactory(name="", name_ru="Жодинская тюрьма", city="")
    rows = {row["id"]: row for row in api(client, "facilities", lang="be").json()["results"]}
    assert rows[english_only.pk]["name"] == "Valadarka prison"
    assert rows[russian_only.pk]["name"] == "Жодинская тюрьма"
    assert rows[russian_only.pk]["name_i18n"] == {"be": "", "ru": "Жодинская тюрьма", "en": ""}


def test_labels_inside_other_records_follow_the_language(client, seed):
    babariko = pm.Person.objects.get(name="Viktor Babariko")
    body = api(client, f"prisoners/{babariko.pk}", lang="be").json()
    stay = body["detentions"][0]["facility_stays"][0]
    assert stay["facility"]["name"] == KGB["be"]
    assert body["events"][0]["event"]["title"].startswith("Сустрэча Лукашэнкі")
    assert body["events"][0]["event"]["title_i18n"]["ru"].startswith("Встреча Лукашенко")

    vlasova = pm.Person.objects.get(name="Lilia Vlasova")
    body = api(client, f"prisoners/{vlasova.pk}", lang="ru").json()
    organisation = body["recognitions"][0]["organisation"]
    assert organisation["short_name"] == "11 белорусских правозащитных организаций"
    charge = body["detentions"][0]["charges"][0]
    assert charge["article"]["title"] == "Уклонение от уплаты сумм налогов, сборов"
    assert charge["article"]["title_i18n"]["be"] == "Ухіленне ад выплаты сум падаткаў, збораў"


def test_stats_label_articles_and_facilities_in_the_language(client, seed):
    body = api(client, "stats", lang="ru").json()
    facilities = {row["label"] for row in body["by_facility"]}
    assert KGB["ru"] in facilities
    article = next(row for row in body["by_article"] if row["value"] == "243")
    assert article["label"] == "Уклонение от уплаты сумм налогов, сборов"
    assert article["label_i18n"]["en"] == "Evasion of taxes and fees"


def test_every_endpoint_takes_lang_and_says_its_language(client, seed):
    for path in LIST_ENDPOINTS:
        response = api(client, path, lang="ru")
        assert response["Content-Language"] == "ru", path


def test_ordering_by_a_label_follows_the_language(client, db):
    FacilityFactory(name="B colony", name_be="А калонія")
    FacilityFactory(name="A colony", name_be="Б калонія")
    english = api(client, "facilities", ordering="name").json()["results"]
    belarusian = api(client, "facilities", ordering="name", lang="be").json()["results"]
    assert [row["name"] for row in english] == ["A colony", "B colony"]
    assert [row["name"] for row in belarusian] == ["А калонія", "Б калонія"]


def test_a_search_or_filter_finds_a_label_in_any_language(client, seed):
    assert kgb(api(client, "facilities", q="КГБ").json())
    cities = api(client, "facilities", city="Наваполацк").json()["results"]
    assert [row["name"] for row in cities] == ["Penal colony, Navapolatsk"]
    articles = api(client, "articles", q="падаткаў").json()["results"]
    assert [row["number"] for row in articles] == ["243"]


@pytest.mark.parametrize("query", ["lang=de", "lang=", "lang=BE", "lang=be&lang=ru", "lang=%20be"])
def test_a_bad_lang_is_a_400_in_json_that_quotes_nothing(client, db, query):
    for path in ("facilities", "stats", "stats/in-custody"):
        response = client.get(f"/api/v1/{path}/?{query}")
        assert response.status_code == 400, (path, query)
        assert list(response.json()) == ["lang"]
        assert "de" not in response.json()["lang"][0]


def test_the_next_page_keeps_the_language(client, db):
    FacilityFactory.create_batch(3)
    body = api(client, "facilities", lang="be", limit=2).json()
    assert "lang=be" in body["next"]


def test_the_schema_documents_lang_and_the_labels(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        parameters = {p["name"]: p for p in operations["get"].get("parameters", [])}
        assert parameters["lang"]["schema"]["enum"] == ["be", "ru", "en"], path
        assert "Accept-Language" in parameters["lang"]["description"]
        assert "Content-Language" in operations["get"]["responses"]["200"]["headers"], path
    components = schema["components"]["schemas"]
    facility = components["Facility"]["properties"]
    assert facility["name"]["type"] == "string"
    assert set(facility["name_i18n"]["properties"]) == {"be", "ru", "en"}
    assert "title_i18n" in components["Article"]["properties"]
    assert "title_i18n" in components["Event"]["properties"]


# Files --------------------------------------------------------------------------------------


def test_the_csv_has_one_column_per_language(client, seed):
    response = client.get("/exports/facilities.csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["name_en"] == KGB["en"])
    assert (row["name_be"], row["name_ru"]) == (KGB["be"], KGB["ru"])
    assert (row["city_be"], row["city_ru"], row["city_en"]) == ("Мінск", "Минск", "Minsk")
    assert "name" not in row


def test_the_data_package_carries_every_language_and_loads_it_back(seed, tmp_path):
    path = tmp_path / "package.zip"
    call_command("export_datapackage", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        tables = {
            name: list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))
            for name in ("facilities", "articles", "events", "organisations")
        }
    for name, field in [
        ("facilities", "name"),
        ("facilities", "city"),
        ("articles", "title"),
        ("events", "title"),
        ("organisations", "name"),
        ("organisations", "short_name"),
    ]:
        for row in tables[name]:
            assert all(row[f"{field}_{language}"] for language in ("be", "ru", "en")), name

    # The edition's foreign keys are checked at commit on PostgreSQL: run those pending
    # checks first, or the flush's TRUNCATE is refused.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    call_command("import_datapackage", str(path), stdout=io.StringIO())
    ContentType.objects.clear_cache()
    facility = pm.Facility.objects.get(name_en=KGB["en"])
    assert (facility.name_be, facility.name_ru) == (KGB["be"], KGB["ru"])
    article = pm.CriminalArticle.objects.get(number="210")
    assert article.title_ru == "Хищение путем злоупотребления служебными полномочиями"


# The admin ----------------------------------------------------------------------------------


def test_the_change_form_shows_the_three_languages_side_by_side(seed):
    client = signed_in("Reviewer", "rita")
    facility = pm.Facility.objects.get(name_en=KGB["en"])
    page = client.get(admin_url(pm.Facility, "change", facility.pk)).content.decode()
    assert 'class="form-row field-name_be field-name_ru field-name_en"' in page
    assert 'class="form-row field-city_be field-city_ru field-city_en"' in page
    for language, text in KGB.items():
        assert f'name="name_{language}"' in page and text in page


def test_an_edit_in_one_language_is_saved_and_kept_in_history(seed):
    client = signed_in("Reviewer", "rita")
    facility = pm.Facility.objects.get(name_en=KGB["en"])
    url = admin_url(pm.Facility, "change", facility.pk)
    data = {**form_data(client.get(url)), "name_be": "СІЗА КДБ"}
    assert client.post(url, data).status_code == 302
    facility.refresh_from_db()
    assert (facility.name_be, facility.name_en) == ("СІЗА КДБ", KGB["en"])
    latest = facility.history.first()
    assert (latest.history_type, latest.name_be, latest.name_ru) == ("~", "СІЗА КДБ", KGB["ru"])
    assert latest.history_user.username == "rita"


def test_a_facility_needs_a_name_in_some_language(db):
    client = signed_in("Reviewer", "rita")
    response = client.post(
        admin_url(pm.Facility, "add"),
        {
            "kind": "prison",
            "country": "BY",
            "state": "draft",
            "other_names-TOTAL_FORMS": "0",
            "other_names-INITIAL_FORMS": "0",
            "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
            "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    assert not pm.Facility.objects.exists()


def test_the_list_shows_the_editors_language_with_the_fallback_and_searches_all(seed):
    only_english = FacilityFactory(name="Valadarka prison", city="Minsk")
    client = signed_in("Reviewer", "rita")
    url = admin_url(pm.Facility, "changelist")
    page = client.get(url, {"o": "1"}, headers={"accept-language": "be"}).content.decode()
    shown = re.findall(r'<th class="field-name_label_column"><a [^>]*>([^<]*)</a>', page)
    assert KGB["be"] in shown and KGB["en"] not in shown
    assert only_english.name_en in shown
    found = client.get(url, {"q": "Акрэсціна"}).context["cl"].result_list
    assert [f.name_en for f in found] == ["Okrestina detention centre"]
