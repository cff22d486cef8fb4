"""
Streaming CSV: columns described once, rows merged from sorted streams, cells made safe.

An export is one primary query ordered by id, plus one query per multi-valued column
ordered by the same id ("related streams"). The rows are merge-joined in Python as they
stream, so a file of any size costs a fixed number of queries and constant memory: no
per-chunk prefetches, no list of all ids in memory.
"""

from __future__ import annotations

import csv
import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MULTI_SEPARATOR = "; "
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """One column: its header, Frictionless type, meaning, and how to get its value."""

    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, date, datetime, boolean
    description: str
    value: Callable[[Any], Any]
    multi: bool = False  # several values joined with "; "
    required: bool = False
    constraints: dict = field(default_factory=dict)
    source: str = ""  # the query field the value comes from, where it is one


def cell(value) -> str:
    """A value as CSV text: empty for None, ISO for dates, true/false for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date | decimal.Decimal | int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return MULTI_SEPARATOR.join(cell(item) for item in value if item not in (None, ""))
    return str(value)


def neutralise(text: str) -> str:
    """Make a cell that a spreadsheet would run as a formula show as text instead."""
    return "'" + text if text.startswith(FORMULA_START) else text


class _Peekable:
    def __init__(self, iterable):
        self._iterator = iter(iterable)
        self._head = next(self._iterator, _END)

    def take_while(self, key_of, key) -> list:
        while self._head is not _END and key_of(self._head) < key:
            self._head = next(self._iterator, _END)  # rows of keys not in the primary
        taken = []
        while self._head is not _END and key_of(self._head) == key:
            taken.append(self._head)
            self._head = next(self._iterator, _END)
        return taken


_END = object()


def merge_by_key(primary: Iterable, key_of, streams: dict[str, Iterable]) -> Iterator:
    """
    Yield (item, {stream name: [rows with the same key]}) for each primary item.

    Every iterable must be sorted by key ascending; stream rows are tuples whose first
    element is the key.
    """
    peekers = {name: _Peekable(rows) for name, rows in streams.items()}
    for item in primary:
        key = key_of(item)
        yield item, {name: p.take_while(lambda row: row[0], key) for name, p in peekers.items()}


class _Echo:
    def write(self, value):
        return value


def stream_csv(
    header: list[str], rows: Iterable[list], *, bom: bool = False, safe: bool = True
) -> Iterator[str]:
    """CSV text, line by line. ``safe`` neutralises formulas; ``bom`` helps Excel see UTF-8."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    if bom:
        yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        texts = [cell(value) for value in row]
        if safe:
            texts = [neutralise(text) for text in texts]
        yield writer.writerow(texts)
