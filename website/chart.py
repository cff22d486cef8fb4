"""
The home page's chart of people in custody over time, drawn on the server as SVG: no
script, no third-party server, styled by the site's style sheet. The same numbers are
on the page as a table, and the chart's text alternative says what it shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.formats import number_format

from prisoners import stats

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 32
# How far back the chart goes, at most (its intervals stay well under stats.MAX_INTERVALS).
MAX_YEARS = 30


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    line: str  # the SVG path of the series
    area: str  # the same, closed to the axis
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    axis_y: float
    rows: list[dict]  # the series, for the table
    peak: int
    current: int
    start: datetime.date | None
    end: datetime.date | None
    interval: str
    undated: int  # detentions with no known start, which no interval can hold


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _tick_step(top: int) -> int:
    """Steps that divide a 1, 2, 5 × 10ⁿ ceiling into at most six lines: 5 → 1, 20 → 4."""
    for parts in (5, 4, 2, 1):
        if top % parts == 0 and top // parts >= 1:
            return top // parts
    return top


def interval_for(start: datetime.date, end: datetime.date) -> str:
    """Months for up to 20 years, years beyond."""
    return "month" if stats.interval_count(start, end, "month") <= 240 else "year"


def series(first_detained: datetime.date | None, today: datetime.date) -> dict:
    """The in-custody series from the first public detention (month by month) to today."""
    if first_detained is None:
        return {"series": [], "interval": "month", "undated_detentions": 0}
    start = max(first_detained, today.replace(year=today.year - MAX_YEARS))
    start = start.replace(day=1)
    return stats.in_custody_series(start, today, interval_for(start, today))


def draw(data: dict) -> Chart:
    rows = data["series"]
    count = len(rows)
    peak = max((row["in_custody"] for row in rows), default=0)
    top = _nice_ceiling(peak)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    axis_y = TOP + plot_h

    def x(index: int) -> float:
        return LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    points = [(x(i), y(row["in_custody"])) for i, row in enumerate(rows)]
    line = " ".join(
        f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(points)
    )
    area = ""
    if points:
        area = f"{line} L{points[-1][0]:.1f},{axis_y:.1f} L{points[0][0]:.1f},{axis_y:.1f} Z"
    y_ticks = [
        Tick(LEFT, round(y(value), 1), number_format(value, force_grouping=True))
        for value in range(0, top + 1, _tick_step(top))
    ]
    x_ticks = []
    seen_years = set()
    years = sorted({row["start"].year for row in rows})
    step = max(1, len(years) // 8 + (1 if len(years) % 8 else 0)) if len(years) > 8 else 1
    for i, row in enumerate(rows):
        year = row["start"].year
        if year in seen_years:
            continue
        seen_years.add(year)
        if (year - years[0]) % step == 0:
            x_ticks.append(Tick(round(x(i), 1), axis_y + 20, str(year)))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        line=line,
        area=area,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        axis_y=axis_y,
        rows=rows,
        peak=peak,
        current=rows[-1]["in_custody"] if rows else 0,
        start=rows[0]["start"] if rows else None,
        end=rows[-1]["end"] if rows else None,
        interval=data.get("interval", "month"),
        undated=data.get("undated_detentions", 0),
    )
