"""
Custody records: ``/exports/detentions.csv``, ``decisions.csv`` and ``releases.csv``, and
the data package's ``detentions``, ``charges``, ``facility_stays``, ``decisions`` and
``releases`` tables.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from edition.models import Charge, CourtDecision, CriminalArticle, Detention, FacilityStay, Release
from tracker.lib.csv_streams import (
    API_URL,
    ID,
    UPDATED,
    derived,
    field_column,
    partial_date,
)
from tracker.lib.languages import label, variants

from .. import filtersets as fs
from .. import public
from .base import CsvDownload, PackageTable, nulls_first, person_name, person_name_needs
from .people import PERSON, article_codes

# Columns of both the downloads and the package ---------------------------------------------

DETENTION = field_column(
    "detention_id", "integer", "The detention (detentions.csv id).", required=True
)
STARTED_ON = partial_date("started_on", "Date of detention")
PLACE = field_column("place", "string", "Where the person was detained.")
AUTHORITY = field_column("authority", "string", "Detaining authority.")
CIRCUMSTANCES = field_column("circumstances", "string", "Public account.")

DECISION = [
    partial_date("decided_on", "Date of the verdict"),
    field_column("court", "string", "Court."),
    field_column("judge", "string", "Judge."),
    field_column("penalty_kind", "string", "Kind of penalty."),
    field_column("term_months", "integer", "Term in months (4½ years is 54)."),
    field_column("term_days", "integer", "Days beyond the months."),
    field_column("term_text", "string", "The sentence as the source words it."),
    field_column("fine_amount", "number", "Fine."),
    field_column("fine_unit", "string", "Unit of the fine (base rates, BYN, …)."),
    partial_date("appeal_decided_on", "Date of the appeal decision"),
    field_column("appeal_outcome", "string", "upheld, changed, overturned or unknown."),
]

RELEASE = [
    partial_date("released_on", "Date of release"),
    field_column(
        "kind",
        "string",
        "house_arrest (still restricted), restraint_lifted, end_of_term, pardon, amnesty, "
        "acquittal, exile, death or other.",
        required=True,
    ),
    field_column("destination_country", "string", "For a forced exile: ISO country code."),
]


# The downloads ---------------------------------------------------------------------------------

# The person a record belongs to, in the downloads (prisoners.csv ids).
CSV_PERSON = field_column("person_id", "integer", "The person (prisoners.csv id).", required=True)
CSV_PERSON_NAME = derived(
    "person_name",
    "string",
    "The person's display name or descriptor.",
    person_name("person__"),
    needs=person_name_needs("person__"),
)
# … and of a decision or release, through its detention.
OWNER = [
    DETENTION,
    derived(
        "person_id",
        "integer",
        "The person (prisoners.csv id).",
        lambda row: row["detention__person_id"],
        needs=("detention__person_id",),
    ),
    derived(
        "person_name",
        "string",
        "The person's display name or descriptor.",
        person_name("detention__person__"),
        needs=person_name_needs("detention__person__"),
    ),
]


def _detention_streams(ids: QuerySet, scope=public) -> dict:
    return {
        "articles": scope.rows(Charge)
        .filter(detention__in=ids, article__in=scope.ids(CriminalArticle))
        .order_by("detention_id", "pk")
        .values("article__number", "part", key=F("detention_id")),
        "facilities": scope.rows(FacilityStay)
        .filter(detention__in=ids)
        .order_by("detention_id", nulls_first("started_on_earliest"), "pk")
        .values(*variants("facility__name"), key=F("detention_id")),
    }


DETENTIONS_CSV = CsvDownload(
    slug="detentions",
    file_stem="detentions",
    title="Detentions",
    filterset_class=fs.DetentionFilterSet,
    api_view="detentions",
    model=Detention,
    streams=_detention_streams,
    columns=[
        ID,
        CSV_PERSON,
        CSV_PERSON_NAME,
        STARTED_ON,
        PLACE,
        AUTHORITY,
        derived(
            "articles",
            "string",
            "Articles charged, as 342 or 293-2.",
            lambda row: article_codes(row["articles"]),
            multi=True,
        ),
        derived(
            "facilities",
            "string",
            "Facilities the person was held in, in order (names in English where given).",
            lambda row: [label(f, "name", "en", "facility__") for f in row["facilities"]],
            multi=True,
        ),
        UPDATED,
        API_URL,
    ],
)

DECISIONS_CSV = CsvDownload(
    slug="decisions",
    file_stem="court-decisions",
    title="Court decisions",
    filterset_class=fs.DecisionFilterSet,
    api_view="decisions",
    model=CourtDecision,
    columns=[ID, *OWNER, *DECISION, UPDATED, API_URL],
)

RELEASES_CSV = CsvDownload(
    slug="releases",
    file_stem="releases",
    title="Releases",
    filterset_class=fs.ReleaseFilterSet,
    api_view="releases",
    model=Release,
    columns=[ID, *OWNER, *RELEASE, UPDATED, API_URL],
)


# The data package ----------------------------------------------------------------------------

DETENTIONS = PackageTable(
    name="detentions",
    title="Detentions",
    model=Detention,
    columns=[
        ID,
        PERSON,
        STARTED_ON,
        PLACE,
        AUTHORITY,
        CIRCUMSTANCES,
        field_column("defence_counsel", "string", "Defence counsel."),
    ],
    foreign_keys=[("person_id", "people")],
)

CHARGES = PackageTable(
    name="charges",
    title="Charges",
    model=Charge,
    columns=[
        ID,
        DETENTION,
        field_column("article_id", "integer", "articles.id (empty where only the text is known)."),
        field_column("part", "string", "Part of the article."),
        field_column("title", "string", "Title as charged."),
        field_column("text", "string", "The charge as the source words it."),
    ],
    foreign_keys=[("detention_id", "detentions"), ("article_id", "articles")],
)

FACILITY_STAYS = PackageTable(
    name="facility_stays",
    title="Facility stays",
    model=FacilityStay,
    columns=[
        ID,
        DETENTION,
        field_column("facility_id", "integer", "facilities.id", required=True),
        partial_date("started_on", "From"),
        partial_date("ended_on", "Until"),
    ],
    foreign_keys=[("detention_id", "detentions"), ("facility_id", "facilities")],
)

DECISIONS = PackageTable(
    name="decisions",
    title="Court decisions",
    model=CourtDecision,
    columns=[ID, DETENTION, *DECISION],
    foreign_keys=[("detention_id", "detentions")],
)

RELEASES = PackageTable(
    name="releases",
    title="Releases",
    model=Release,
    columns=[ID, DETENTION, *RELEASE, CIRCUMSTANCES],
    foreign_keys=[("detention_id", "detentions")],
)
