"""
The full data package: every public table as CSV, plus ``datapackage.json`` in the
Frictionless Data Package format (a Table Schema per file: types, required fields,
primary keys and foreign keys between the files), with a licence and a creation time.

It is what a mirror needs: the published edition, as the API shows it. Every spelling
of a withheld name is redacted; that person's spellings, identifiers and citations are
left out and the fields that could identify them are masked. A row whose parent is not
public is left out too, and a link to a record that is not public is empty, so every
foreign key resolves. ``edition`` says which edition the package holds: the number and
time of its latest publication step. The CSV files are raw data for machines (no
spreadsheet formula guard; use the /exports/*.csv files in a spreadsheet).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tracker.lib.csv_streams import stream_csv

from .. import public
from .base import PackageTable
from .custody import CHARGES, DECISIONS, DETENTIONS, FACILITY_STAYS, RELEASES
from .events import EVENTS, FIGURES, PARTICIPANTS
from .facilities import ARTICLES, FACILITIES, FACILITY_NAMES
from .people import IDENTIFIERS, NAMES, PEOPLE, RECOGNITIONS
from .sources import CITATIONS, ORGANISATIONS, SOURCES

# In this order in datapackage.json, and loaded in this order: a table after those its
# foreign keys point to.
TABLES: list[PackageTable] = [
    PEOPLE,
    NAMES,
    IDENTIFIERS,
    ORGANISATIONS,
    RECOGNITIONS,
    FACILITIES,
    FACILITY_NAMES,
    ARTICLES,
    DETENTIONS,
    CHARGES,
    FACILITY_STAYS,
    DECISIONS,
    RELEASES,
    EVENTS,
    PARTICIPANTS,
    FIGURES,
    SOURCES,
    CITATIONS,
]


def _time(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def descriptor(created, step=None) -> dict:
    """``datapackage.json``, for a package written at ``created`` from the edition as of
    publication ``step`` (``edition.Step``; None for an empty edition)."""
    return {
        "profile": "tabular-data-package",
        "name": "political-prisoners",
        "title": "Political-prisoner tracker: published records",
        "description": __doc__.strip(),
        "created": _time(created),
        "edition": {
            "step": step.pk if step is not None else None,
            "published": _time(step.at) if step is not None else None,
        },
        "licenses": [settings.DATA_LICENSE],
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table.schema(),
            }
            for table in TABLES
        ],
    }


def _write(archive: zipfile.ZipFile, counts: dict) -> Iterator[None]:
    """
    Write every table and ``datapackage.json`` into ``archive`` (in one transaction, a
    consistent read), counting the rows of each table into ``counts``; yield after each
    piece written, so that a caller can send what the archive holds so far.
    """
    created = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        step = public.last_step()
        for table in TABLES:
            counted = _Counter()
            rows = counted(table.rows(table.queryset()))
            with archive.open(f"{table.name}.csv", "w", force_zip64=True) as member:
                for piece in stream_csv(table.header, rows, safe=False):
                    member.write(piece.encode("utf-8"))
                    yield
            counts[table.name] = counted.n
    archive.writestr(
        "datapackage.json", json.dumps(descriptor(created, step), ensure_ascii=False, indent=1)
    )


def write_datapackage(target) -> dict:
    """Write the package as a zip to ``target`` (a path or a binary file); return counts."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for _ in _write(archive, counts):
            pass
    return counts


class _Pieces(io.RawIOBase):
    """
    A file that a zip archive writes into and a response reads from, piece by piece. It
    cannot seek, so the archive writes each file's sizes after its data (a data
    descriptor) instead of going back to its header.
    """

    def __init__(self):
        super().__init__()
        self._pieces: list[bytes] = []
        self._position = 0
        self.pending = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        self._position += len(data)
        self.pending += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        """What was written since the last ``take``."""
        piece = b"".join(self._pieces)
        self._pieces.clear()
        self.pending = 0
        return piece


# Bytes sent at a time, compressed.
PIECE = 256 * 1024


def stream_datapackage() -> Iterator[bytes]:
    """
    The package as a zip, in pieces, written as the rows are read: the download starts
    at once, and memory stays small whatever the size of the tables.
    """
    sink = _Pieces()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        started = False
        for _ in _write(archive, counts):
            if sink.pending >= PIECE or not started:  # the first bytes at once
                started = True
                yield sink.take()
    yield sink.take()


class _Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, rows):
        for row in rows:
            self.n += 1
            yield row
