"""
Tables as CSV: each column described once, rows merged from sorted streams, cells made safe.

A ``Column`` says everything about one column of a file: its header, its Frictionless type
and meaning, how its value is read from a row (rows are mappings, read by name), and the
model field it holds, which is where a file's value goes back when it is read in again
(the data-package loader, the admin's spreadsheet import). A partial date is one column
that files show with companions: its precision in the CSV downloads, its earliest and
latest day in the data package (``with_precision``, ``with_bounds``).

An export is one primary query ordered by id, plus one query per multi-valued column
ordered by the same id ("related streams"). The rows are merge-joined in Python as they
stream, every query read through a server-side cursor a chunk at a time, so a file of any
size costs a fixed number of queries and constant memory: no per-chunk prefetches, no
list of all ids in memory.

The per-cell work is kept small, since a file of everyone has millions of cells: a cell's
text is found by the type of its value (``cell_text``), the formula guard looks past the
first character only when that character could start a formula, and lines are sent a
few hundred at a time.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any

from . import keepalive
from .partial_dates import parse_partial_date, precision_of

# A spreadsheet runs a cell that starts with one of these as a formula: the four signs,
# also in their fullwidth and small forms (which some spreadsheets and input methods turn
# into the ASCII ones), and tab or carriage return.
FORMULA_START = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",  # fullwidth = + - @
    "\uff0b",
    "\uff0d",
    "\uff20",
    "\ufe66",  # small = + - @
    "\ufe62",
    "\ufe63",
    "\ufe6b",
)
_SIGNS = frozenset(FORMULA_START)
# Quote marks that may stand before a formula sign without being seen as text.
QUOTE_MARKS = frozenset("\"'`\u00b4\u201a\u201e\uff02\uff07")
# Characters that look like nothing: Hangul fillers, the blank Braille pattern.
BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
MULTI_SEPARATOR = "; "
CHUNK = 2000
PARTIAL_DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """
    One column: its header, Frictionless type, meaning, and how to get its value.

    ``read`` is the name of the query field that holds the value (by default the column's
    own name) or a function of the row, which then lists the query fields it uses in
    ``needs``. ``load`` is the model field the column holds ("" for a derived column):
    what a file's value is read back into.
    """

    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, date, datetime, boolean
    description: str
    read: str | Callable[[Row], Any] = ""
    load: str = ""
    needs: tuple[str, ...] = ()
    multi: bool = False  # several values joined with "; "
    required: bool = False
    constraints: dict = field(default_factory=dict)
    partial_date: bool = False  # shown with its precision or its bounds (see with_*)

    def value(self, row: Row) -> Any:
        if callable(self.read):
            return self.read(row)
        return row[self.read or self.name]

    def reader(self) -> Callable[[Row], Any]:
        """``value`` as one function of the row (for reading many rows)."""
        return self.read if callable(self.read) else itemgetter(self.read or self.name)

    @property
    def query_fields(self) -> tuple[str, ...]:
        """The fields of the table's query that the value is read from."""
        return self.needs if callable(self.read) else (self.read or self.name,)


def field_column(
    name: str,
    type_: str,
    description: str,
    *,
    read: str | Callable[[Row], Any] = "",
    needs: tuple[str, ...] = (),
    load: str | None = None,
    required: bool = False,
    **constraints,
) -> Column:
    """A field of the record, read back into the model field ``load`` (by default ``name``)."""
    return Column(
        name,
        type_,
        description,
        read=read,
        needs=needs,
        load=name if load is None else load,
        required=required,
        constraints=constraints,
    )


def derived(
    name: str,
    type_: str,
    description: str,
    read: Callable[[Row], Any],
    *,
    needs: tuple[str, ...] = (),
    multi: bool = False,
    **constraints,
) -> Column:
    """A value computed from the row (and its related streams): never read back."""
    return Column(
        name, type_, description, read=read, needs=needs, multi=multi, constraints=constraints
    )


def partial_date(
    name: str,
    label: str,
    note: str = "",
    *,
    read: str = "",
    load: str | None = None,
    companions: bool = True,
) -> Column:
    """A partial date; ``companions=False`` for one shown without precision or bounds."""
    return Column(
        name,
        "string",
        f"{label}: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources; empty when unknown."
        + (f" {note}" if note else ""),
        read=read,
        load=name if load is None else load,
        constraints={"pattern": PARTIAL_DATE_PATTERN},
        partial_date=companions,
    )


# Dates repeat a lot in a file (a few thousand days): each is parsed once.
_parsed_date = lru_cache(maxsize=100_000)(parse_partial_date)


@lru_cache(maxsize=100_000)
def _precision(value: str) -> str:
    return str(precision_of(value) or "")


def _precision_reader(column: Column) -> Callable[[Row], str]:
    read = column.reader()
    return lambda row: _precision(read(row))


def with_precision(columns: Iterable[Column]) -> list[Column]:
    """The columns of a CSV download: each partial date followed by its precision."""
    expanded = []
    for column in columns:
        expanded.append(column)
        if column.partial_date:
            expanded.append(
                derived(
                    f"{column.name}_precision",
                    "string",
                    f"Precision of {column.name}: year, month or day.",
                    _precision_reader(column),
                    needs=column.query_fields,
                    enum=["", "year", "month", "day"],
                )
            )
    return expanded


def _bound(column: Column, which: str) -> Column:
    read = column.reader()
    bound = attrgetter(which)

    def value(row):
        parsed = _parsed_date(read(row))
        return bound(parsed) if parsed else None

    return derived(
        f"{column.name}_{which}",
        "date",
        f"{which.capitalize()} day {column.name} can mean.",
        value,
        needs=column.query_fields,
    )


def with_bounds(columns: Iterable[Column]) -> list[Column]:
    """
    The columns of a data-package table: each partial date followed by the earliest and
    latest day it can mean, computed from the value the file shows (a masked date's
    bounds are those of the mask, never of the stored date).
    """
    expanded = []
    for column in columns:
        expanded.append(replace(column, partial_date=False))
        if column.partial_date:
            expanded += [_bound(column, "earliest"), _bound(column, "latest")]
    return expanded


def query_fields(columns: Iterable[Column], exclude: Iterable[str] = ()) -> list[str]:
    """The query fields these columns read, in order, each once, with the primary key first."""
    skip = set(exclude)
    names = ["pk"]
    for column in columns:
        names += [name for name in column.query_fields if name not in skip]
    return list(dict.fromkeys(names))


# Columns most files share.
ID = field_column(
    "id", "integer", "Record id; the API uses the same ids.", read="pk", required=True
)
UPDATED = field_column("updated_at", "datetime", "When the record last changed (UTC).")
API_URL = derived("api_url", "string", "This record in the public API.", lambda row: row["api_url"])


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


def _iso_datetime(value: datetime.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


# ``cell`` by the exact type of the value, for the common types (see ``cell_text``).
_CELL_OF_TYPE: dict[type, Callable[[Any], str]] = {
    type(None): lambda value: "",
    bool: lambda value: "true" if value else "false",
    int: str,
    float: str,
    decimal.Decimal: str,
    datetime.date: str,
    datetime.datetime: _iso_datetime,
}
_MEMO_SIZE = 50_000


def cell_text(
    redact: Callable[[str], str] | None = None, redact_any: Callable[[Any], Any] | None = None
) -> Callable[[Any], str]:
    """
    ``cell(redact_any(value))`` as one fast function of the value: ``redact`` is applied
    to every string (also those in lists), ``redact_any`` to values of other types than
    those ``cell`` knows (strings of a subclass of ``str`` included). Both must return
    their argument for anything they do not change, and ``redact`` must give the same
    answer for the same string: its answers are remembered (repeated values such as a
    status or a region are looked at once).
    """
    memo: dict[str, str] = {}
    formats = _CELL_OF_TYPE

    def text(value) -> str:
        kind = type(value)
        if kind is str:
            if redact is None:
                return value
            shown = memo.get(value)
            if shown is None:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                shown = memo[value] = redact(value)
            return shown
        if kind is list or kind is tuple:
            return MULTI_SEPARATOR.join(
                [text(item) for item in value if item is not None and item != ""]
            )
        format_ = formats.get(kind)
        if format_ is not None:
            return format_(value)
        return cell(redact_any(value) if redact_any is not None else value)

    return text


def _unseen(char: str) -> bool:
    """Whether a character may stand before a formula sign unnoticed: a space of any kind
    (line breaks included), an invisible format or control character (zero-width space,
    byte-order mark, direction marks), a quote mark or a blank-looking letter."""
    category = unicodedata.category(char)
    return (
        char.isspace()
        or category in {"Cc", "Cf", "Zs", "Zl", "Zp", "Pi", "Pf"}
        or char in QUOTE_MARKS
        or char in BLANKS
    )


def needs_guard(text: str) -> bool:
    """
    Whether a spreadsheet could run the cell as a formula: its first character that is not
    ``_unseen`` is a formula sign (tab and carriage return count as signs, wherever they
    come in the unseen run).
    """
    for char in text:
        if char in _SIGNS:
            return True
        if (char.isalnum() and char not in BLANKS) or not _unseen(char):
            return False
    return False


def _decides_safe(char: str) -> bool:
    """Whether a text that starts with ``char`` is safe whatever follows (``needs_guard``
    stops at its first character)."""
    return char not in _SIGNS and ((char.isalnum() and char not in BLANKS) or not _unseen(char))


# First characters seen so far -> whether they make a text safe on their own.
_SAFE_START: dict[str, bool] = {}


def neutralise(text: str) -> str:
    """Make a cell that a spreadsheet would run as a formula show as text instead."""
    if not text:
        return text
    safe = _SAFE_START.get(text[0])
    if safe is None:
        safe = _SAFE_START[text[0]] = _decides_safe(text[0])
    if safe:
        return text
    return "'" + text if needs_guard(text) else text


def remove_guard(text: str) -> str:
    """
    The cell as it was before ``neutralise``: ``remove_guard(neutralise(t)) == t`` for any
    text (a quote mark is unseen, so text that starts with ' is guarded exactly when the
    rest of it is).
    """
    return text[1:] if text[:1] == "'" and needs_guard(text[1:]) else text


_END = object()


class _Groups:
    """The rows of a stream sorted by ``"key"``, handed out one key at a time."""

    __slots__ = ("_groups", "_key", "_rows")

    def __init__(self, rows: Iterable[Row]):
        self._groups = groupby(rows, itemgetter("key"))
        self._key, self._rows = next(self._groups, (_END, ()))

    def take(self, key) -> list:
        """The rows of ``key`` (skipping those of smaller keys, not in the primary)."""
        while self._key is not _END and self._key < key:
            self._key, self._rows = next(self._groups, (_END, ()))
        if self._key is _END or self._key != key:
            return []
        rows = list(self._rows)
        self._key, self._rows = next(self._groups, (_END, ()))
        return rows


def merge_by_key(primary: Iterable, key_of, streams: Mapping[str, Iterable[Row]]) -> Iterator:
    """
    Yield (item, {stream name: [rows with the same key]}) for each primary item.

    Every iterable must be sorted by key ascending; stream rows are mappings that hold
    their key under ``"key"``. Each is read as the primary advances, never ahead.
    """
    groups = [(name, _Groups(rows)) for name, rows in streams.items()]
    for item in primary:
        key = key_of(item)
        yield item, {name: group.take(key) for name, group in groups}


class _Lines(list):
    """Where a csv writer puts its lines."""

    write = list.append


# Lines sent together: fewer, larger pieces cost the server less than a line at a time.
LINES_PER_PIECE = 200


def stream_csv(
    header: list[str], rows: Iterable[list[str]], *, bom: bool = False, safe: bool = True
) -> Iterator[str]:
    """
    CSV text, a few hundred lines at a time (the header at once, so that the download
    starts before the first query). ``rows`` are rows of cell texts (``cell``, or
    ``cell_text``). ``safe`` neutralises formulas; ``bom`` helps Excel see UTF-8.
    """
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" if bom else "") + lines.pop()
    write = writer.writerow
    guard = neutralise
    safe_start = _SAFE_START
    for row in rows:
        if safe:
            # neutralise(text), skipping the call for texts whose first character is safe.
            row = [text if not text or safe_start.get(text[0]) else guard(text) for text in row]
        write(row)
        if len(lines) >= LINES_PER_PIECE:
            keepalive.alive()
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)
