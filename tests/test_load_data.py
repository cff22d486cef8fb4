"""
The generator of data at scale (scripts/load_data.py, used by `make bench` and the load
tests) makes published, searchable people with real, correctly gendered names.
"""

import importlib.util
from pathlib import Path

import pytest

from prisoners import public
from prisoners.models import Detention, Person, PersonName
from prisoners.search import search_people
from prisoners.services import refresh_statuses
from sources.models import Citation

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "load_data.py"


@pytest.fixture(scope="module")
def load_data():
    spec = importlib.util.spec_from_file_location("load_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_spells_names_as_passports_lacinka_and_russian_do(load_data):
    assert load_data.feminine_be("Калеснікаў") == "Калеснікава"
    assert load_data.feminine_be("Ціханоўскі") == "Ціханоўская"
    assert load_data.feminine_be("Жук") == "Жук"
    assert load_data.feminine_ru("Колесников") == "Колесникова"
    assert load_data.feminine_ru("Тихановский") == "Тихановская"
    assert load_data.passport_latin("Марыя Калеснікава") == "Maryia Kalesnikava"
    assert load_data.passport_latin("Сяргей Ціханоўскі") == "Siarhei Tsikhanouski"
    assert load_data.passport_latin("Дзмітрый Калеснікаў") == "Dzmitry Kalesnikau"
    assert load_data.lacinka("Ціханоўскі") == "Cichanoŭski"
    assert load_data.lacinka("Лосік") == "Łosik"
    assert load_data.russian_latin("Тихановский") == "Tikhanovsky"
    assert load_data.female_patronymic("Игоревич") == "Игоревна"


@pytest.mark.django_db
def test_it_generates_published_searchable_people_whose_status_follows_the_rule(load_data):
    load_data.generate(50, withheld_every=25, log=lambda text: None)

    people = public.rows(Person)
    assert people.count() == 50
    assert Detention.objects.count() >= 50
    assert Citation.objects.count() >= 50 * 6
    assert people.filter(name_withheld=True).count() == 2
    scripts = set(PersonName.objects.values_list("script", flat=True))
    assert scripts == {"Latn", "Cyrl"}
    # Every person is found by each public spelling of their surname.
    person = people.filter(name_withheld=False).first()
    for name in PersonName.objects.filter(person_id=person.pk).values_list("name", flat=True):
        assert person in search_people(people, name)
    assert refresh_statuses() == 0
