"""
Statistics over public records only (``prisoners.public``).

The counts are cached until the next change of public data (``counts``). The series reads
the stored custody periods (``CustodyPeriod``, derived from the public
detentions and releases by ``prisoners.services`` on every change), so that it is one
aggregation however many records there are.

"In custody" over time: a person counts in an interval when one of their published
detentions *may* cover part of it: it may have started by the interval's last day
(earliest possible start ≤ end) and its first published release, of any kind (a move to
house arrest ends custody), may have come on or after the interval's first day (latest
possible release ≥ start), or it has none. Detentions with an unknown start date cannot be
placed in time; they are counted apart, as ``undated_detentions``.

A series has at most 1,000 intervals (``MAX_INTERVALS``): a longer interval covers a longer
period (1,000 days, weeks, months or years).
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.utils.translation import get_language

from . import public
from .models import (
    Charge,
    CriminalArticle,
    CustodyPeriod,
    Detention,
    FacilityStay,
    Person,
    Release,
    ReportedFigure,
)

INTERVALS = ("day", "week", "month", "year")
MAX_INTERVALS = 1000
COUNTS_CACHE_SECONDS = 24 * 3600


class TooManyIntervals(ValueError):
    pass


def _rows(queryset, key: str, label: str | None = None) -> list[dict]:
    fields = [key] + ([label] if label else [])
    return [
        {"value": row[key], **({"label": row[label]} if label else {}), "people": row["people"]}
        for row in queryset.values(*fields)
        .annotate(people=Count("pk", distinct=True))
        .order_by("-people", key)
    ]


def counts() -> dict:
    """
    The counts, computed once per change of what the public may see: they are cached
    under the moment of the last change (``public.last_change``; publication,
    unpublication, edits and deletions each write one) and the language.
    """
    changed = public.last_change()
    version = changed.isoformat() if changed else "-"
    key = _counts_key(get_language())
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    result = _counts()
    cache.set(key, (version, result), COUNTS_CACHE_SECONDS)
    return result


def forget_counts() -> None:
    """Drop the cached counts: after a write that left no history (``bulk_create``,
    ``QuerySet.update``), ``refresh_statuses`` calls this."""
    languages = {code for code, _ in settings.LANGUAGES} | {settings.LANGUAGE_CODE, None}
    cache.delete_many([_counts_key(code) for code in languages])


def _counts_key(language: str | None) -> str:
    return f"prisoners.stats.counts:{language}"


def _counts() -> dict:
    people = public.rows(Person)

    def by_person(queryset, key, label=None):
        rows = (
            queryset.values(key, *([label] if label else []))
            .annotate(people=Count("detention__person", distinct=True))
            .order_by("-people", key)
        )
        return [
            {"value": r[key], **({"label": r[label]} if label else {}), "people": r["people"]}
            for r in rows
        ]

    return {
        "people": people.count(),
        "by_status": _rows(people, "current_status"),
        "by_gender": _rows(people, "gender"),
        "by_region": _rows(people, "region"),
        "by_article": by_person(
            public.rows(Charge).filter(article__in=public.ids(CriminalArticle)),
            "article__number",
            "article__title",
        ),
        "by_facility": by_person(
            public.rows(FacilityStay),
            "facility_id",
            "facility__name",
        ),
        "by_release_kind": by_person(public.rows(Release), "kind"),
    }


def interval_count(start: datetime.date, end: datetime.date, interval: str) -> int:
    """How many intervals meet [start, end] (as ``interval_starts`` would list), computed."""
    if end < start:
        return 0
    if interval == "day":
        return (end - start).days + 1
    if interval == "week":
        first = start - datetime.timedelta(days=start.weekday())
        return (end - first).days // 7 + 1
    if interval == "month":
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return end.year - start.year + 1


def interval_starts(start: datetime.date, end: datetime.date, interval: str) -> list:
    """The first day of every interval that meets [start, end]; TooManyIntervals beyond
    MAX_INTERVALS."""
    count = interval_count(start, end, interval)
    if count > MAX_INTERVALS:
        raise TooManyIntervals(f"At most {MAX_INTERVALS} intervals.")
    if count == 0:
        return []
    if interval == "day":
        first = start
    elif interval == "week":
        first = start - datetime.timedelta(days=start.weekday())
    elif interval == "month":
        first = start.replace(day=1)
    else:
        first = start.replace(month=1, day=1)
    starts = []
    current = first
    while current <= end:
        starts.append(current)
        if interval == "day":
            current += datetime.timedelta(days=1)
        elif interval == "week":
            current += datetime.timedelta(days=7)
        elif interval == "month":
            current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            current = current.replace(year=current.year + 1)
    return starts


def in_custody_series(start: datetime.date, end: datetime.date, interval: str) -> dict:
    """The series; empty when ``end`` is before ``start``."""
    starts = interval_starts(start, end, interval)
    if not starts:
        return {
            "from": start,
            "to": end,
            "interval": interval,
            "series": [],
            "undated_detentions": 0,
        }
    ends = [following - datetime.timedelta(days=1) for following in starts[1:]]
    ends.append(_interval_end(starts[-1], interval))

    undated = public.rows(Detention).filter(started_on_earliest__isnull=True).values("pk").count()
    diff = [0] * (len(starts) + 1)
    changes = _changes_in_sql if connection.vendor == "postgresql" else _changes_in_python
    for index, delta in changes(starts, ends[-1]):
        diff[index] += delta

    figures = defaultdict(list)
    for figure in (
        public.rows(ReportedFigure)
        .filter(as_of_earliest__lte=ends[-1], as_of_latest__gte=starts[0])
        .order_by("as_of_earliest", "pk")
    ):
        index = max(bisect.bisect_right(starts, figure.as_of_earliest) - 1, 0)
        figures[index].append(figure)

    series, running = [], 0
    for index, (first_day, last_day) in enumerate(zip(starts, ends, strict=True)):
        running += diff[index]
        series.append(
            {
                "start": first_day,
                "end": last_day,
                "in_custody": running,
                "reported_figures": figures.get(index, []),
            }
        )
    return {
        "from": start,
        "to": end,
        "interval": interval,
        "series": series,
        "undated_detentions": undated,
    }


def _interval_end(first_day: datetime.date, interval: str) -> datetime.date:
    if interval == "day":
        return first_day
    if interval == "week":
        return first_day + datetime.timedelta(days=6)
    if interval == "month":
        following = (first_day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)
    return first_day.replace(month=12, day=31)


# How many people are in custody in each interval, as changes to a running count: each
# period adds one from the interval it starts in (the first, if earlier) to the one it
# ends in; where a person's previous period ends in the same interval as the next one
# starts, the person counts once there. Both functions give (interval index, change).

_PERIODS = CustodyPeriod._meta.db_table
_CHANGES_SQL = f"""
    SELECT 'start', GREATEST(width_bucket(started_on, %(starts)s), 1) - 1, COUNT(*)
    FROM {_PERIODS} WHERE started_on <= %(last)s AND (ended_on IS NULL OR ended_on >= %(first)s)
    GROUP BY 2
    UNION ALL
    SELECT 'end', width_bucket(ended_on, %(starts)s), COUNT(*)
    FROM {_PERIODS} WHERE ended_on >= %(first)s AND ended_on <= %(last)s
    GROUP BY 2
    UNION ALL
    SELECT 'gap', width_bucket(started_on, %(starts)s) - 1, COUNT(*)
    FROM {_PERIODS}
    WHERE gap_since >= %(first)s AND started_on <= %(last)s
    AND width_bucket(gap_since, %(starts)s) = width_bucket(started_on, %(starts)s)
    GROUP BY 2
"""  # noqa: S608  (the table name comes from the model)


def _apply(kind: str, index: int, count: int):
    if kind == "start":
        yield index, count
    elif kind == "end":
        yield index, -count
    else:
        yield index, -count
        yield index + 1, count


def _changes_in_sql(starts: list, last: datetime.date):
    """PostgreSQL: width_bucket finds each date's interval, in one aggregation."""
    with connection.cursor() as cursor:
        cursor.execute(_CHANGES_SQL, {"starts": starts, "first": starts[0], "last": last})
        rows = cursor.fetchall()
    for kind, index, count in rows:
        yield from _apply(kind, index, count)


def _changes_in_python(starts: list, last: datetime.date):
    """Any database: the same changes, computed here from the periods that meet the series."""
    first = starts[0]
    periods = (
        CustodyPeriod.objects.filter(started_on__lte=last)
        .exclude(ended_on__lt=first)
        .values_list("started_on", "ended_on", "gap_since")
    )
    for began, ended, gap_since in periods:
        yield from _apply("start", max(bisect.bisect_right(starts, began) - 1, 0), 1)
        if ended is not None and ended <= last:
            yield from _apply("end", bisect.bisect_right(starts, ended), 1)
        if gap_since is not None and gap_since >= first:
            index = bisect.bisect_right(starts, began) - 1
            if bisect.bisect_right(starts, gap_since) - 1 == index:
                yield from _apply("gap", index, 1)
