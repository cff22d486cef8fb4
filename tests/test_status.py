"""A person's stored status always follows their published detentions, decisions and releases."""

import pytest
from django.core.management import CommandError, call_command

from prisoners.choices import Status
from prisoners.models import Person
from prisoners.services import refresh_statuses

from .factories import CourtDecisionFactory, DetentionFactory, PersonFactory, ReleaseFactory


def status_of(person):
    person.refresh_from_db()
    return person.current_status, person.status_since


def test_a_person_with_no_detention_has_unknown_status(db):
    assert status_of(PersonFactory()) == (Status.UNKNOWN, "")


def test_a_detained_person_is_in_custody_from_the_detention_date(db):
    detention = DetentionFactory(started_on="2020-06-25")
    assert status_of(detention.person) == (Status.IN_CUSTODY, "2020-06-25")


def test_house_arrest_is_restriction_not_freedom(db):
    release = ReleaseFactory(
        detention__started_on="2020-09", released_on="2020-10-11", kind="house_arrest"
    )
    assert status_of(release.detention.person) == (Status.RESTRICTED, "2020-10-11")


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("end_of_term", Status.RELEASED),
        ("pardon", Status.RELEASED),
        ("amnesty", Status.RELEASED),
        ("acquittal", Status.RELEASED),
        ("restraint_lifted", Status.RELEASED),
        ("death", Status.DECEASED),
    ],
)
def test_each_kind_of_release_gives_its_status(db, kind, status):
    release = ReleaseFactory(kind=kind, released_on="2022")
    assert status_of(release.detention.person) == (status, "2022")


def test_forced_exile_gives_in_exile(db):
    release = ReleaseFactory(kind="exile", destination_country="LT", released_on="2025-09-11")
    assert status_of(release.detention.person) == (Status.EXILE, "2025-09-11")


def test_a_person_detained_twice_follows_the_latest_detention(db):
    person = PersonFactory()
    first = DetentionFactory(person=person, started_on="2020-08")
    ReleaseFactory(detention=first, released_on="2020-08-14", kind="end_of_term")
    assert status_of(person) == (Status.RELEASED, "2020-08-14")

    second = DetentionFactory(person=person, started_on="2021-05-23")
    assert status_of(person) == (Status.IN_CUSTODY, "2021-05-23")

    ReleaseFactory(detention=second, released_on="2024-07-03", kind="pardon")
    assert status_of(person) == (Status.RELEASED, "2024-07-03")


def test_vlasova_like_sequence_house_arrest_then_freed(db):
    detention = DetentionFactory(started_on="2020-08-31")
    ReleaseFactory(detention=detention, released_on="2020-10", kind="house_arrest")
    assert status_of(detention.person)[0] == Status.RESTRICTED
    ReleaseFactory(detention=detention, released_on="2020-10", kind="restraint_lifted")
    assert status_of(detention.person) == (Status.RELEASED, "2020-10")


def test_death_in_an_earlier_detention_is_final(db):
    person = PersonFactory()
    ReleaseFactory(
        detention__person=person, detention__started_on="2021", kind="death", released_on="2021-05"
    )
    assert status_of(person) == (Status.DECEASED, "2021-05")


def test_unpublished_records_do_not_change_the_public_status(db):
    detention = DetentionFactory(started_on="2021-01")
    release = ReleaseFactory(detention=detention, state="draft", released_on="2023-01-02")
    assert status_of(detention.person)[0] == Status.IN_CUSTODY

    release.state = "published"
    release.save()
    assert status_of(detention.person) == (Status.RELEASED, "2023-01-02")

    draft_detention = DetentionFactory(state="in_review", started_on="2024-03")
    assert status_of(draft_detention.person)[0] == Status.UNKNOWN


def test_deleting_a_release_puts_the_person_back_in_custody(db):
    release = ReleaseFactory(released_on="2023-01-02")
    person = release.detention.person
    release.delete()
    assert status_of(person)[0] == Status.IN_CUSTODY


def test_a_non_custodial_sentence_without_release_is_restriction(db):
    decision = CourtDecisionFactory(penalty_kind="restricted_freedom_home", decided_on="2021-03")
    assert status_of(decision.detention.person) == (Status.RESTRICTED, "2021-03")
    fine = CourtDecisionFactory(penalty_kind="fine", decided_on="2021-04-01")
    assert status_of(fine.detention.person) == (Status.RELEASED, "2021-04-01")


def test_a_changed_status_marks_the_person_as_updated_for_incremental_readers(db):
    detention = DetentionFactory()
    person = detention.person
    person.refresh_from_db()
    before = person.updated_at
    ReleaseFactory(detention=detention)
    person.refresh_from_db()
    assert person.updated_at > before


def test_refresh_statuses_repairs_a_bulk_update_and_check_reports_staleness(db):
    detention = DetentionFactory()
    ReleaseFactory(detention=detention, state="draft")
    # QuerySet.update() bypasses the signals: the stored status is now stale.
    detention.releases.update(state="published")
    with pytest.raises(CommandError, match="1 stored statuses or custody periods are stale"):
        call_command("refresh_statuses", "--check")
    assert status_of(detention.person)[0] == Status.IN_CUSTODY  # --check changed nothing

    call_command("refresh_statuses")
    assert status_of(detention.person)[0] == Status.RELEASED
    call_command("refresh_statuses", "--check")


def test_refresh_of_many_people_works_in_chunks(db):
    for _ in range(5):
        DetentionFactory()
    Person.objects.update(current_status=Status.UNKNOWN)
    assert refresh_statuses(chunk_size=2) == 5
    assert set(Person.objects.values_list("current_status", flat=True)) == {Status.IN_CUSTODY}
