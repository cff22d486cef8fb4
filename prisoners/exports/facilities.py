"""
Facilities and criminal-code articles: ``/exports/facilities.csv``, and the data
package's ``facilities``, ``facility_names`` and ``articles`` tables.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from edition.models import CriminalArticle, Facility, FacilityName
from tracker.lib.csv_streams import API_URL, ID, UPDATED, derived, field_column
from tracker.lib.languages import language_columns

from .. import filtersets as fs
from .. import public
from .base import CsvDownload, PackageTable

NAME = language_columns("name", "Name", "At least one language is given.")
FACILITY = [
    field_column("kind", "string", "Kind of facility."),
    field_column("country", "string", "ISO country code."),
    *language_columns("city", "City"),
    field_column("address", "string", "Address for letters."),
]


def _other_names(ids: QuerySet, scope=public) -> dict:
    return {
        "other_names": scope.rows(FacilityName)
        .filter(facility__in=ids)
        .order_by("facility_id", "pk")
        .values("name", key=F("facility_id"))
    }


FACILITIES_CSV = CsvDownload(
    slug="facilities",
    file_stem="facilities",
    title="Facilities",
    filterset_class=fs.FacilityFilterSet,
    api_view="facilities",
    model=Facility,
    streams=_other_names,
    columns=[
        ID,
        *NAME,
        derived(
            "other_names",
            "string",
            "Other names, e.g. “Amerykanka”.",
            lambda row: [n["name"] for n in row["other_names"]],
            multi=True,
        ),
        *FACILITY,
        UPDATED,
        API_URL,
    ],
)

FACILITIES = PackageTable(
    name="facilities",
    title="Facilities",
    model=Facility,
    columns=[ID, *NAME, *FACILITY],
)

FACILITY_NAMES = PackageTable(
    name="facility_names",
    title="Other facility names",
    model=FacilityName,
    columns=[
        ID,
        field_column("facility_id", "integer", "facilities.id", required=True),
        field_column("name", "string", "Another name.", required=True),
        field_column("language", "string", "BCP 47 code."),
    ],
    foreign_keys=[("facility_id", "facilities")],
)

ARTICLES = PackageTable(
    name="articles",
    title="Criminal-code articles",
    model=CriminalArticle,
    columns=[
        ID,
        field_column(
            "code",
            "string",
            "Which code: BY-CC is the Belarusian Criminal Code.",
            required=True,
        ),
        field_column("number", "string", "Article number, e.g. 293 or 361-3.", required=True),
        *language_columns("title", "Title"),
    ],
)
