"""
Statistics over the published edition only (``prisoners.public``).

The series reads the edition's custody periods (``edition.CustodyPeriod``, derived from the
public detentions and releases at every publication), counted per day by the database.
Those day counts and the counts of people are computed once per publication step and
cached (``cached``): a request then costs a few small queries however many records
there are.

"In custody" over time: a person counts in an interval when one of their published
detentions *may* cover part of it: it may have started by the interval's last day
(earliest possible start ≤ end) and its first published release, of any kind (a move to
house arrest ends custody), may have come on or after the interval's first day (latest
possible release ≥ start), or it has none. Detentions with an unknown start date cannot be
placed in time; they are counted apart, as ``undated_detentions``.

A series has at most 1,000 intervals (``MAX_INTERVALS``): a longer interval covers a longer
period (1,000 days, weeks, months or years). ``window_end`` is the last day such a series
from a given day can reach; the API answers a longer period in parts.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import hashlib
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DateField, ExpressionWrapper, F

from edition.models import (
    Charge,
    CriminalArticle,
    CustodyPeriod,
    Detention,
    FacilityStay,
    Person,
    Release,
    ReportedFigure,
)
from tracker.lib import languages
from tracker.lib.languages import variants

from . import public

INTERVALS = ("day", "week", "month", "year")


def _labels(row, field: str, language: str | None) -> dict:
    values = languages.labels(row, field)
    return {"label": languages.pick(values, language), "label_i18n": values}


MAX_INTERVALS = 1000
CACHE_SECONDS = 24 * 3600
GENERATION = "prisoners.stats.generation"
# Where the code that makes cached results lives (``code_version``).
CODE = ("prisoners", "edition", "website", "tracker", "sources", "locale")


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
    The counts of public people, by status, gender, region, article, facility and release
    kind; an article's or a facility's row carries its ``label`` in ``language`` (with the
    fallback of ``tracker.lib.languages``) and ``label_i18n`` in each language. Computed
    once per change of public data (``cached``).
    """
    return cached(f"counts:{language}", lambda: _counts(language))


def cached(name: str, compute):
    """
    ``compute()``, once per change of the edition: the result is kept in the shared cache
    with the number of the edition's last publication step (``public.last_step``: every
    publication, unpublication, withhold and deletion of a public record is one) and the
    generation that ``forget`` moves on, and computed again when either is newer. What is
    cached here must depend on the edition alone (and on what ``name`` says: a language,
    a day), never on the request.
    """
    step = public.last_step()
    key = f"prisoners.stats.{name}"
    found = cache.get_many([key, GENERATION])
    generation = found.get(GENERATION) or _new_generation()
    at = f"{step.pk}@{step.at.isoformat()}" if step is not None else "-"
    version = f"{at}#{generation}#{code_version()}"
    cached = found.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    result = compute()
    cache.set(key, (version, result), CACHE_SECONDS)
    return result


@functools.cache
def code_version() -> str:
    """
    What the cached results are made by: a digest of this code's Python files, templates
    and compiled translations, so that a deployed fix (a template, a translation, a
    presenter) is not hidden behind what the code before it cached, and the processes of
    a rolling deploy do not take each other's results. Read once per process.
    """
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(
        path
        for app in CODE
        for suffix in ("*.py", "*.html", "*.mo")
        for path in (settings.BASE_DIR / app).rglob(suffix)
    ):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def forget() -> None:
    """Drop what is cached: after a write to the edition that added no step (a full
    ``refresh_statuses``)."""
    cache.set(GENERATION, uuid.uuid4().hex, None)


def _new_generation() -> str:
    """
    The generation, where the cache has lost it (emptied, or evicted): a new one, so that
    nothing cached before can match it, however old.
    """
    cache.add(GENERATION, uuid.uuid4().hex, None)
    return cache.get(GENERATION) or uuid.uuid4().hex  # evicted at once: matches nothing


def _counts(language: str | None) -> dict:
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


def _first_start(start: datetime.date, interval: str) -> datetime.date:
    """The first day of the interval that holds ``start``."""
    if interval == "day":
        return start
    if interval == "week":
        return start - datetime.timedelta(days=start.weekday())
    if interval == "month":
        return start.replace(day=1)
    return start.replace(month=1, day=1)


def window_end(start: datetime.date, interval: str, count: int = MAX_INTERVALS) -> datetime.date:
    """The last day of the ``count``-th interval from the one that holds ``start``: the
    furthest a series from ``start`` can go."""
    first = _first_start(start, interval)
    steps = count - 1
    if interval == "day":
        last_start = first + datetime.timedelta(days=steps)
    elif interval == "week":
        last_start = first + datetime.timedelta(weeks=steps)
    elif interval == "month":
        months = first.month - 1 + steps
        last_start = first.replace(year=first.year + months // 12, month=months % 12 + 1)
    else:
        last_start = first.replace(year=first.year + steps)
    return _interval_end(last_start, interval)


def interval_starts(start: datetime.date, end: datetime.date, interval: str) -> list:
    """The first day of every interval that meets [start, end]; TooManyIntervals beyond
    MAX_INTERVALS."""
    count = interval_count(start, end, interval)
    if count > MAX_INTERVALS:
        raise TooManyIntervals(f"At most {MAX_INTERVALS} intervals.")
    if count == 0:
        return []
    starts = []
    current = _first_start(start, interval)
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

    began, ended, gaps, undated = cached("days", _days)
    in_custody = _in_custody(starts, ends, began, ended, gaps)

    figures = defaultdict(list)
    for figure in (
        public.rows(ReportedFigure)
        .filter(as_of_earliest__lte=ends[-1], as_of_latest__gte=starts[0])
        .order_by("as_of_earliest", "pk")
    ):
        index = max(bisect.bisect_right(starts, figure.as_of_earliest) - 1, 0)
        figures[index].append(figure)

    series = []
    for index, (first_day, last_day) in enumerate(zip(starts, ends, strict=True)):
        series.append(
            {
                "start": first_day,
                "end": last_day,
                "in_custody": in_custody[index],
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


def _in_custody(starts: list, ends: list, began: list, ended: list, gaps: list) -> list[int]:
    """
    How many people were in custody in each interval [start, end]: the periods that began
    by its end, less those that ended before its start, less the people counted twice
    because a period of theirs ended in the interval and the next began in it.
    """
    began_days, began_total = _running_totals(began)
    ended_days, ended_total = _running_totals(ended)

    def total(days, totals, index):
        return totals[index - 1] if index else 0

    counts = [
        total(began_days, began_total, bisect.bisect_right(began_days, last))
        - total(ended_days, ended_total, bisect.bisect_left(ended_days, first))
        for first, last in zip(starts, ends, strict=True)
    ]
    for gap_since, started_on, count in gaps:
        index = bisect.bisect_right(starts, started_on) - 1
        if index >= 0 and starts[index] <= gap_since and started_on <= ends[index]:
            counts[index] -= count
    return counts


def _running_totals(rows: list) -> tuple[list, list]:
    days, totals, running = [], [], 0
    for day, count in rows:
        running += count
        days.append(day)
        totals.append(running)
    return days, totals


def _days() -> tuple[list, list, list, int]:
    """
    From the stored periods, in a few thousand rows however many people there are: how
    many periods began on each day, how many ended on each day, and each (end of a
    period, start of the same person's next) less than a year apart, the longest interval,
    with how many people; and how many public detentions have no start date.
    """
    periods = CustodyPeriod.objects.order_by()

    def per_day(queryset, *fields):
        return [
            tuple(row)
            for row in queryset.values(*fields)
            .annotate(n=Count("*"))
            .order_by(*fields)
            .values_list(*fields, "n")
        ]

    year_after_gap = ExpressionWrapper(
        F("gap_since") + datetime.timedelta(days=366), output_field=DateField()
    )
    return (
        per_day(periods, "started_on"),
        per_day(periods.filter(ended_on__isnull=False), "ended_on"),
        per_day(
            periods.filter(gap_since__isnull=False, started_on__lt=year_after_gap),
            "gap_since",
            "started_on",
        ),
        public.rows(Detention).filter(started_on_earliest__isnull=True).values("pk").count(),
    )
