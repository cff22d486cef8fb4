"""
Statistics over public records only (``prisoners.public``).

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

from django.db.models import Count, Min, Q

from tracker.lib import languages
from tracker.lib.languages import variants

from . import public
from .models import (
    Charge,
    CriminalArticle,
    Detention,
    FacilityStay,
    Person,
    Release,
    ReportedFigure,
)

INTERVALS = ("day", "week", "month", "year")


def _labels(row, field: str, language: str | None) -> dict:
    values = languages.labels(row, field)
    return {"label": languages.pick(values, language), "label_i18n": values}


MAX_INTERVALS = 1000


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


def counts(language: str | None = None) -> dict:
    """
    The counts; an article's or a facility's row carries its ``label`` in ``language``
    (with the fallback of ``tracker.lib.languages``) and ``label_i18n`` in each language.
    """
    people = public.rows(Person)

    def by_person(queryset, key, label=None):
        rows = (
            queryset.values(key, *(variants(label) if label else ()))
            .annotate(people=Count("detention__person", distinct=True))
            .order_by("-people", key)
        )
        return [
            {
                "value": r[key],
                **(_labels(r, label, language) if label else {}),
                "people": r["people"],
            }
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

    detentions = public.rows(Detention).annotate(
        custody_ends=Min(
            "releases__released_on_latest", filter=public.condition(Release, "releases")
        )
    )
    undated = detentions.filter(started_on_earliest__isnull=True).count()
    rows = (
        detentions.filter(started_on_earliest__lte=ends[-1])
        .filter(Q(custody_ends__isnull=True) | Q(custody_ends__gte=starts[0]))
        .values_list("person_id", "started_on_earliest", "custody_ends")
    )
    # Each person counts once per interval, however many detentions fall in it.
    spans: dict[int, list] = defaultdict(list)
    for person_id, began, ended in rows:
        first = max(bisect.bisect_right(starts, began) - 1, 0)
        last = bisect.bisect_right(starts, min(ended or ends[-1], ends[-1])) - 1
        spans[person_id].append((first, last))
    diff = [0] * (len(starts) + 1)
    for ranges in spans.values():
        ranges.sort()
        merged = [list(ranges[0])]
        for first, last in ranges[1:]:
            if first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        for first, last in merged:
            diff[first] += 1
            diff[last + 1] -= 1

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
