"""
The full data package: every public table as CSV, plus ``datapackage.json`` in the
Frictionless Data Package format (a Table Schema per file: types, required fields,
primary keys and foreign keys between the files), with a licence and a creation time.

It is what a mirror needs: the public records only, as the API shows them. Every spelling
of a withheld name is redacted; that person's spellings, identifiers and citations are
left out and the fields that could identify them are masked. A row whose parent is not
public is left out too, and a link to a record that is not public is empty, so every
foreign key resolves. The CSV files are raw data for machines (no spreadsheet formula
guard; use the /exports/*.csv files in a spreadsheet).
"""

from __future__ import annotations

import json
import zipfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tracker.lib.csv_streams import stream_csv

from ..redaction import Redactor
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


def descriptor(created) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "political-prisoners",
        "title": "Political-prisoner tracker: published records",
        "description": __doc__.strip(),
        "created": created.isoformat().replace("+00:00", "Z"),
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


def write_datapackage(target) -> dict:
    """Write the package as a zip to ``target`` (a path or a binary file); return counts."""
    created = timezone.now().replace(microsecond=0)
    counts = {}
    with transaction.atomic(), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        redactor = Redactor.from_database()
        for table in TABLES:
            counted = _Counter()
            rows = table.rows(table.queryset(), redactor=redactor)
            with archive.open(f"{table.name}.csv", "w", force_zip64=True) as member:
                for line in stream_csv(table.header, counted(rows), safe=False):
                    member.write(line.encode("utf-8"))
            counts[table.name] = counted.n
        archive.writestr(
            "datapackage.json", json.dumps(descriptor(created), ensure_ascii=False, indent=1)
        )
    return counts


class _Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, rows):
        for row in rows:
            self.n += 1
            yield row
