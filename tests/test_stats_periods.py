"""
The in-custody series reads stored custody periods (``CustodyPeriod``); it must answer
exactly what a direct count over the public detentions and releases answers, on any data
and after any change, on SQLite and PostgreSQL alike.
"""

import bisect
import datetime
import random
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Min, Q

from edition.models import CustodyPeriod
from prisoners import edition_writer, public, publishing, stats
from prisoners.models import Detention, Person, Release
from tracker.lib.editorial import EditorialState
from tracker.lib.partial_dates import parse_partial_date

from .factories import DetentionFactory, PersonFactory, ReleaseFactory

DRAFT, IN_REVIEW, PUBLISHED = (
    EditorialState.DRAFT,
    EditorialState.IN_REVIEW,
    EditorialState.PUBLISHED,
)

PERIODS = [  # (from, to, interval): around, inside, and across the generated dates
    ("2019-06-01", "2023-12-31", "month"),
    ("2020-07-15", "2020-09-10", "day"),
    ("2020-03-04", "2022-02-20", "week"),
    ("2015-01-01", "2030-12-31", "year"),
    ("2021-05-17", "2021-05-17", "month"),
    ("2022-01-01", "2022-12-31", "month"),
]


def counted_directly(start, end, interval) -> list[int]:
    """The series as it was computed before periods were stored: every public detention
    read with its first public release, people merged per interval in Python."""
    starts = stats.interval_starts(start, end, interval)
    ends = [following - datetime.timedelta(days=1) for following in starts[1:]]
    ends.append(stats._interval_end(starts[-1], interval))
    detentions = public.rows(Detention).annotate(
        custody_ends=Min("releases__released_on_latest")  # the edition's: public ones
    )
    rows = (
        detentions.filter(started_on_earliest__lte=ends[-1])
        .filter(Q(custody_ends__isnull=True) | Q(custody_ends__gte=starts[0]))
        .values_list("person_id", "started_on_earliest", "custody_ends")
    )
    in_interval = defaultdict(set)
    for person_id, began, ended in rows:
        first = max(bisect.bisect_right(starts, began) - 1, 0)
        last = bisect.bisect_right(starts, min(ended or ends[-1], ends[-1])) - 1
        for index in range(first, last + 1):
            in_interval[index].add(person_id)
    return [len(in_interval[index]) for index in range(len(starts))]


def served(start, end, interval) -> list[int]:
    series = stats.in_custody_series(start, end, interval)["series"]
    return [row["in_custody"] for row in series]


def assert_same_everywhere():
    for start, end, interval in PERIODS:
        start, end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
        expected = counted_directly(start, end, interval)
        assert served(start, end, interval) == expected, (start, end, interval)


def random_day(rng, year_from=2019, year_to=2023) -> str:
    day = datetime.date(year_from, 1, 1) + datetime.timedelta(
        days=rng.randrange((datetime.date(year_to, 12, 31) - datetime.date(year_from, 1, 1)).days)
    )
    precision = rng.choice(["day", "day", "day", "month", "year"])
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[
        precision
    ]


def later(rng, value: str) -> str:
    """A partial date that may fall on or after ``value`` (the database requires it)."""
    earlier = parse_partial_date(value)
    while True:
        candidate = random_day(rng, earlier.earliest.year, min(earlier.earliest.year + 2, 2024))
        if parse_partial_date(candidate).could_be_after(earlier):
            return candidate


def varied_people(rng, count: int) -> list[Person]:
    """People with overlapping, back-to-back and separate detentions, releases dated and
    undated, drafts and parts in review, withheld names and unpublished people."""
    people = []
    for n in range(count):
        person = PersonFactory(
            state=DRAFT if n % 9 == 4 else PUBLISHED,
            name_withheld=n % 7 == 3,
            public_descriptor="a teacher" if n % 7 == 3 else "",
        )
        people.append(person)
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            started = random_day(rng) if rng.random() > 0.08 else ""
            detention = DetentionFactory(
                person=person,
                started_on=started,
                state=rng.choice([PUBLISHED] * 8 + [DRAFT, IN_REVIEW]),
            )
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                ReleaseFactory(
                    detention=detention,
                    released_on=later(rng, started) if started and rng.random() > 0.1 else "",
                    state=rng.choice([PUBLISHED] * 5 + [DRAFT]),
                )
        if n % 4 == 1:  # released, and detained again days later: twice in one interval
            day = datetime.date.fromisoformat(random_day(rng, 2020, 2022)[:4] + "-03-02")
            day += datetime.timedelta(days=rng.randrange(200))
            first = DetentionFactory(person=person, started_on=day.isoformat())
            released = day + datetime.timedelta(days=rng.randrange(1, 9))
            ReleaseFactory(detention=first, released_on=released.isoformat())
            again = released + datetime.timedelta(days=rng.randrange(1, 9))
            DetentionFactory(person=person, started_on=again.isoformat())
    return people


@pytest.mark.django_db
def test_the_series_from_stored_periods_equals_a_direct_count_on_varied_data():
    rng = random.Random(12)
    people = varied_people(rng, 40)
    assert_same_everywhere()
    assert CustodyPeriod.objects.filter(gap_since__isnull=False).exists()  # a person counted
    assert CustodyPeriod.objects.filter(ended_on__isnull=True).exists()  # once across a gap

    # Every kind of change a reviewer makes, each followed by the same comparison.
    detentions = list(Detention.objects.filter(person__in=people).order_by("pk"))
    releases = list(Release.objects.filter(detention__in=detentions).order_by("pk"))
    changes = [
        lambda: publishing.unpublish(record=detentions[0]),  # unpublished
        lambda: _save(detentions[1], state=PUBLISHED, started_on="2019-02"),  # date edited
        lambda: publishing.unpublish(record=releases[0]),  # the release unpublished
        lambda: _save(releases[1], released_on="2024"),  # the release moved later
        lambda: releases[2].delete(),
        lambda: publishing.unpublish(record=people[0]),  # the whole person unpublished
        lambda: _save(people[4], state=PUBLISHED),  # a draft person published
        lambda: _save(detentions[3], person=people[5]),  # given to another person
        lambda: _save(releases[3], detention=detentions[6]),  # moved to another detention
        lambda: [r.delete() for r in detentions[7].releases.all()] and None,
        lambda: detentions[7].delete(),
    ]
    for change in changes:
        change()
        assert_same_everywhere()


def _save(record, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    record.refresh_from_db()


@pytest.mark.django_db
def test_stale_periods_are_found_by_check_and_repaired_by_refresh_statuses():
    rng = random.Random(5)
    varied_people(rng, 12)
    assert_same_everywhere()  # and cached
    CustodyPeriod.objects.filter(ended_on__isnull=True).delete()  # a write that skipped them
    with pytest.raises(CommandError, match="stale"):
        call_command("refresh_statuses", "--check", verbosity=0)
    call_command("refresh_statuses", verbosity=0)
    call_command("refresh_statuses", "--check", verbosity=0)
    assert_same_everywhere()


@pytest.mark.django_db
def test_rebuilding_the_edition_derives_the_same_periods():
    rng = random.Random(7)
    varied_people(rng, 10)
    stored = list(CustodyPeriod.objects.values_list("person", "started_on", "ended_on"))
    CustodyPeriod.objects.all().delete()
    edition_writer.rebuild()
    assert list(CustodyPeriod.objects.values_list("person", "started_on", "ended_on")) == stored
    assert stored
