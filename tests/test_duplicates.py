"""
Possible duplicates are kept as pairs as names change (``prisoners.duplicates``): found the
moment a spelling is saved, dismissed for good, gone when the two records are merged; the
recomputation of everyone finds the same pairs.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners import duplicates
from prisoners.models import DuplicatePair, NameKey, Person
from prisoners.services import merge_people

from .admin_client import member
from .factories import PersonFactory, PersonNameFactory


def pair_of(first, second):
    a, b = sorted((first.pk, second.pk))
    return DuplicatePair.objects.filter(person_a_id=a, person_b_id=b).first()


@pytest.fixture
def two_babarykas(db):
    viktar = PersonFactory(name="Viktar Babaryka", birth_date="1963-11-09")
    other = PersonFactory(name="V. B.", birth_date="1963")
    return viktar, other


def test_a_new_name_variant_creates_the_candidate_pair_at_once(two_babarykas):
    viktar, other = two_babarykas
    assert pair_of(viktar, other) is None
    PersonNameFactory(person=other, name="Виктор Бабарико", language="ru", script="Cyrl")
    pair = pair_of(viktar, other)
    assert pair is not None and pair.status == "open"
    assert pair.score == 0.8 and pair.reason == "same_name"
    assert pair.spellings in {
        "Viktar Babaryka ~ Виктор Бабарико",
        "Виктор Бабарико ~ Viktar Babaryka",
    }


def test_the_same_full_birth_date_scores_higher_and_a_different_one_rules_the_pair_out(db):
    maria = PersonFactory(name="Maria Kolesnikova", birth_date="1982-04-24")
    twin = PersonFactory(name="Марыя Калеснікава", birth_date="1982-04-24")
    stranger = PersonFactory(name="Мария Колесникова", birth_date="1990-01-01")
    assert pair_of(maria, twin).score == 0.95
    assert pair_of(maria, twin).reason == "same_name_birth_date"
    assert pair_of(maria, stranger) is None
    # A corrected birth date makes them a possible pair after all.
    stranger.birth_date = "1982"
    stranger.save()
    assert pair_of(maria, stranger).score == 0.8


def test_a_changed_spelling_removes_a_pair_no_longer_found(two_babarykas):
    viktar, other = two_babarykas
    variant = PersonNameFactory(person=other, name="Viktor Babariko")
    assert pair_of(viktar, other) is not None
    variant.name = "Volha Bialiatskaya"
    variant.save()
    assert pair_of(viktar, other) is None
    PersonNameFactory(person=other, name="Віктар Бабарыка", language="be", script="Cyrl")
    assert pair_of(viktar, other) is not None
    other.names.get(name="Віктар Бабарыка").delete()
    assert pair_of(viktar, other) is None


def test_a_dismissed_pair_does_not_come_back_after_either_record_changes(two_babarykas):
    viktar, other = two_babarykas
    PersonNameFactory(person=other, name="Viktor Babariko")
    pair = pair_of(viktar, other)
    duplicates.dismiss(DuplicatePair.objects.filter(pk=pair.pk), user=None)
    # Both records change: new spellings, a birth date; then everything is recomputed.
    PersonNameFactory(person=viktar, name="Віктар Бабарыка", language="be", script="Cyrl")
    PersonNameFactory(person=other, name="Виктор Бабарико", language="ru", script="Cyrl")
    other.birth_date = "1963-11-09"
    other.save()
    viktar.occupation = "banker"
    viktar.save()
    call_command("find_duplicates", stdout=io.StringIO(), stderr=io.StringIO())
    pair = pair_of(viktar, other)
    assert pair.status == "dismissed"
    assert list(duplicates.open_pairs()) == []
    # Even when they no longer match, the decision is kept (and not reopened later).
    other.names.all().delete()
    other.name = "Someone Else"
    other.save()
    assert pair_of(viktar, other).status == "dismissed"


def test_merging_removes_the_pair_and_keeps_the_merged_records_dismissals(db):
    keep = PersonFactory(name="Ihar Losik")
    twin = PersonFactory(name="Igor Losik")
    namesake = PersonFactory(name="Ігар Лосік", birth_date="1992")
    PersonNameFactory(person=twin, name="Игорь Лосик", language="ru", script="Cyrl")
    duplicates.dismiss(DuplicatePair.objects.filter(pk=pair_of(twin, namesake).pk), user=None)
    assert pair_of(keep, twin).status == "open"
    merge_people(keep=keep, other=twin)
    assert not DuplicatePair.objects.filter(person_b_id=twin.pk).exists()
    assert not DuplicatePair.objects.filter(person_a_id=twin.pk).exists()
    assert pair_of(keep, namesake).status == "dismissed"
    assert not NameKey.objects.filter(person_id=twin.pk).exists()


def test_rebuilding_finds_what_the_saves_found(db):
    people = [
        PersonFactory(name=name, birth_date=birth)
        for name, birth in [
            ("Viktar Babaryka", "1963-11-09"),
            ("Виктор Бабарико", "1963-11-09"),
            ("Viktor Babariko", ""),
            ("Eduard Babaryka", ""),
            ("Tatsiana Shchurok", "1970"),
        ]
    ]
    PersonNameFactory(person=people[3], name="Эдуард Бабарико", language="ru", script="Cyrl")
    PersonNameFactory(person=people[4], name="Tatjana Schtschurok", language="de")
    saved = set(DuplicatePair.objects.values_list("person_a", "person_b", "score", "spellings"))
    assert len(saved) == 3  # the three Viktors
    NameKey.objects.all().delete()
    DuplicatePair.objects.all().delete()
    errors = io.StringIO()
    call_command("find_duplicates", stdout=io.StringIO(), stderr=errors)
    assert set(DuplicatePair.objects.values_list("person_a", "person_b", "score", "spellings")) == (
        saved
    )
    assert "keys: 5 of 5 people" in errors.getvalue()


def test_a_new_name_costs_the_same_queries_whatever_the_number_of_namesakes(db):
    def saving_a_name(n):
        person = PersonFactory(name=f"Someone {n}")
        with CaptureQueriesContext(connection) as captured:
            PersonNameFactory(person=person, name="Ales Bialiatski")
        return len(captured), len(duplicates.pairs_of(person))

    PersonFactory(name="Алесь Бяляцкі")
    small, one = saving_a_name(0)
    for _ in range(40):
        PersonFactory(name="Алесь Бяляцкі")
    large, many = saving_a_name(1)
    assert (one, many) == (1, 42)
    assert large == small


class TestInTheAdmin:
    @pytest.fixture
    def pair(self, two_babarykas):
        viktar, other = two_babarykas
        PersonNameFactory(person=other, name="Viktor Babariko")
        return pair_of(viktar, other)

    def test_an_editor_sees_the_pair_and_dismisses_it(self, client, pair):
        client.force_login(member("Editor", "olga"))
        page = client.get("/admin/prisoners/duplicatepair/?status__exact=open")
        assert page.status_code == 200
        assert list(page.context["cl"].result_list) == [pair]
        assert f"/admin/prisoners/person/{pair.person_a_id}/change/" in page.content.decode()
        response = client.post(
            "/admin/prisoners/duplicatepair/",
            {"action": "dismiss", "_selected_action": [pair.pk]},
        )
        assert response.status_code == 302
        pair.refresh_from_db()
        assert pair.status == "dismissed" and pair.decided_by.username == "olga"

    def test_an_editor_may_not_merge_but_a_reviewer_may(self, client, pair):
        client.force_login(member("Editor", "olga"))
        client.post(
            "/admin/prisoners/duplicatepair/", {"action": "merge", "_selected_action": [pair.pk]}
        )
        assert Person.objects.filter(pk=pair.person_b_id).exists()
        client.force_login(member("Reviewer", "vera"))
        client.post(
            "/admin/prisoners/duplicatepair/", {"action": "merge", "_selected_action": [pair.pk]}
        )
        assert not Person.objects.filter(pk=pair.person_b_id).exists()
        assert not DuplicatePair.objects.filter(pk=pair.pk).exists()
        assert "Viktor Babariko" in set(
            Person.objects.get(pk=pair.person_a_id).names.values_list("name", flat=True)
        )

    def test_the_search_finds_pairs_by_any_spelling_of_either_name(self, client, pair):
        client.force_login(member("Editor", "olga"))
        page = client.get("/admin/prisoners/duplicatepair/", {"q": "Бабарыка"})
        assert list(page.context["cl"].result_list) == [pair]
        page = client.get("/admin/prisoners/duplicatepair/", {"q": "Losik"})
        assert list(page.context["cl"].result_list) == []

    def test_the_people_list_filters_to_people_in_an_open_pair(self, client, pair):
        client.force_login(member("Editor", "olga"))
        page = client.get("/admin/prisoners/person/", {"duplicates": "probable"})
        assert {p.pk for p in page.context["cl"].result_list} == {
            pair.person_a_id,
            pair.person_b_id,
        }
