"""
People: ``/exports/prisoners.csv``, one row per person with what researchers ask first
(status, detentions, current facility, articles, latest decision and release,
recognitions), and the data package's ``people``, ``names``, ``identifiers`` and
``recognitions`` tables.

A withheld person's identifying fields show their masks (``base.as_public``); their name
variants, identifiers and citations are not public.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, QuerySet

from edition.models import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    FacilityStay,
    Person,
    PersonIdentifier,
    PersonName,
    Recognition,
    Release,
)
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
from ..choices import Status
from .base import (
    CsvDownload,
    PackageTable,
    nulls_first,
    person_name,
    person_name_needs,
    read_sql,
)


def article_code(number: str, part: str) -> str:
    """The article as the API's ``article`` filter takes it: 293, or 293-2 for part 2."""
    return f"{number}-{part}" if part else number


def article_codes(charges: list[dict]) -> list[str]:
    """The distinct articles of these charges (rows with ``article__number`` and ``part``)."""
    return list(dict.fromkeys(article_code(c["article__number"], c["part"]) for c in charges))


# A person's own fields -----------------------------------------------------------------------

NAME = field_column(
    "name",
    "string",
    "Display name, or the public descriptor where the name is withheld.",
    read=person_name(),
    needs=person_name_needs(),
    required=True,
)
NAME_WITHHELD = field_column(
    "name_withheld", "boolean", "Whether the name is withheld at the family's request."
)
GENDER = field_column("gender", "string", "female, male, other or unknown.")
BIRTH_DATE = partial_date("birth_date", "Date of birth")
COUNTRY = field_column("country", "string", "ISO 3166 country code.")
REGION = field_column("region", "string", "Region of residence.")
OCCUPATION = field_column("occupation", "string", "Occupation.")
AFFILIATION = field_column("affiliation", "string", "Employer, party, campaign, …")
BIOGRAPHY = field_column("biography", "string", "Public biography.")
CURRENT_STATUS = field_column(
    "current_status",
    "string",
    "in_custody, restricted (house arrest or restricted freedom), released, exile, "
    "deceased or unknown; derived from published detentions, decisions and releases.",
    enum=Status.values,
)
STATUS_SINCE = partial_date(
    "status_since", "Date of the fact that set the current status", companions=False
)


# /exports/prisoners.csv -----------------------------------------------------------------------

# The records whose citations count among a person's sources.
SOURCES_OF_A_PERSON = (
    Person,
    Detention,
    Charge,
    FacilityStay,
    CourtDecision,
    Release,
    Recognition,
)


def _source_counts(ids: QuerySet, scope=public) -> Iterator[dict]:
    """
    (key: person id, count) of the distinct sources cited (in ``scope``) for a person's
    records, for the people in ``ids`` who have any, ordered by person: one query, which
    counts in the database rather than sending every citation.
    """
    parts = []
    for model in SOURCES_OF_A_PERSON:
        path = public.owner_path(model)
        parts.append(
            scope.with_citations(model)
            .filter(**{f"{path or 'pk'}__in": ids})
            .order_by()
            .values(key=F(f"{path}_id" if path else "pk"), source_id=F("citations__source_id"))
        )
    cited, params = parts[0].union(*parts[1:], all=True).query.sql_with_params()
    return read_sql(
        # The ORM's SQL, with its parameters apart.
        f"SELECT key, COUNT(DISTINCT source_id) FROM ({cited}) cited GROUP BY key ORDER BY key",  # noqa: S608
        params,
        ("key", "count"),
    )


def _people_streams(ids: QuerySet, scope=public) -> dict:
    of_people = {"detention__person__in": ids}
    by_person = "detention__person_id"
    return {
        "names": scope.rows(PersonName)
        .filter(person__in=ids)
        .order_by("person_id", "pk")
        .values("name", key=F("person_id")),
        "detentions": scope.rows(Detention)
        .filter(person__in=ids)
        .order_by("person_id", nulls_first("started_on_earliest"), "pk")
        .values("pk", "started_on", key=F("person_id")),
        "stays": scope.rows(FacilityStay)
        .filter(**of_people)
        .order_by(
            by_person,
            nulls_first("detention__started_on_earliest"),
            "detention_id",
            nulls_first("started_on_earliest"),
            "pk",
        )
        .values(
            "detention_id",
            "ended_on",
            *variants("facility__name"),
            "facility__address",
            key=F(by_person),
        ),
        "articles": scope.rows(Charge)
        .filter(article__in=scope.ids(CriminalArticle), **of_people)
        .order_by(by_person, "article__number", "part")
        .values("article__number", "part", key=F(by_person)),
        "decisions": scope.rows(CourtDecision)
        .filter(**of_people)
        .order_by(by_person, nulls_first("decided_on_earliest"), "pk")
        .values("decided_on", "term_months", "term_text", "penalty_kind", key=F(by_person)),
        "releases": scope.rows(Release)
        .filter(**of_people)
        .order_by(by_person, nulls_first("released_on_earliest"), "pk")
        .values("released_on", "kind", key=F(by_person)),
        "recognitions": scope.rows(Recognition)
        .filter(person__in=ids)
        .order_by("person_id", nulls_first("recognised_on_earliest"), "pk")
        .values(*variants("organisation__name"), key=F("person_id")),
        "sources": _source_counts(ids, scope),
    }


def _latest(stream: str, name: str):
    """The value ``name`` of the latest row of a related stream."""
    return lambda row: row[stream][-1][name] if row[stream] else None


def _first_detained(row):
    dated = [d["started_on"] for d in row["detentions"] if d["started_on"]]
    return dated[0] if dated else ""


def _current_stay(row) -> dict:
    """The open stay of the latest detention, for a person still in custody."""
    if row["current_status"] != Status.IN_CUSTODY or not row["detentions"]:
        return {}
    latest = row["detentions"][-1]["pk"]
    stays = [s for s in row["stays"] if s["detention_id"] == latest and not s["ended_on"]]
    return stays[-1] if stays else {}


PRISONERS_CSV = CsvDownload(
    slug="prisoners",
    file_stem="political-prisoners",
    title="People",
    filterset_class=fs.PersonFilterSet,
    api_view="prisoners",
    model=Person,
    streams=_people_streams,
    columns=[
        ID,
        NAME,
        derived(
            "name_variants",
            "string",
            "Every public spelling of the name (language, script and kind are in the data "
            "package's names table). Empty where the name is withheld.",
            lambda row: [n["name"] for n in row["names"]],
            multi=True,
        ),
        GENDER,
        BIRTH_DATE,
        COUNTRY,
        REGION,
        OCCUPATION,
        CURRENT_STATUS,
        STATUS_SINCE,
        derived(
            "first_detained_on",
            "string",
            "Start of the earliest dated detention (partial date).",
            _first_detained,
        ),
        derived(
            "latest_detained_on",
            "string",
            "Start of the latest detention (partial date).",
            lambda row: row["detentions"][-1]["started_on"] if row["detentions"] else "",
        ),
        derived(
            "current_facility",
            "string",
            "Where the person is held now: the open stay of the latest detention, for "
            "people in custody (its name in English where given).",
            lambda row: label(_current_stay(row), "name", "en", "facility__"),
            needs=("current_status",),
        ),
        derived(
            "current_facility_address",
            "string",
            "That facility's address for letters.",
            lambda row: _current_stay(row).get("facility__address", ""),
            needs=("current_status",),
        ),
        derived(
            "articles",
            "string",
            "Criminal-code articles charged in published detentions, as 342 or 293-2 "
            "(part 2 of article 293).",
            lambda row: article_codes(row["articles"]),
            multi=True,
        ),
        derived(
            "latest_decision_on",
            "string",
            "Date of the latest court decision (partial date).",
            _latest("decisions", "decided_on"),
        ),
        derived(
            "latest_term_months",
            "integer",
            "Term of the latest sentence, in months.",
            _latest("decisions", "term_months"),
        ),
        derived(
            "latest_term_text",
            "string",
            "The latest sentence as the source words it.",
            _latest("decisions", "term_text"),
        ),
        derived(
            "latest_penalty_kind",
            "string",
            "Kind of the latest penalty (see the API's PenaltyKind).",
            _latest("decisions", "penalty_kind"),
        ),
        derived(
            "latest_release_on",
            "string",
            "Date of the latest release (partial date).",
            _latest("releases", "released_on"),
        ),
        derived(
            "latest_release_kind",
            "string",
            "Kind of the latest release: house_arrest, restraint_lifted, end_of_term, "
            "pardon, amnesty, acquittal, exile, death, other.",
            _latest("releases", "kind"),
        ),
        derived(
            "recognised_by",
            "string",
            "Organisations that recognise the person as a political prisoner (names in "
            "English where given).",
            lambda row: list(
                dict.fromkeys(label(r, "name", "en", "organisation__") for r in row["recognitions"])
            ),
            multi=True,
        ),
        derived(
            "source_count",
            "integer",
            "Number of distinct sources publicly cited for the person and their records "
            "(0 where the name is withheld: their citations are not public).",
            lambda row: row["sources"][0]["count"] if row["sources"] else 0,
        ),
        UPDATED,
        API_URL,
    ],
)


# The data package ----------------------------------------------------------------------------

PERSON = field_column("person_id", "integer", "people.id", required=True)


# A mirror's name for a person whose name is withheld: the package holds only the
# descriptor. No letters, so that the mirror's redactor has nothing to look for (the
# descriptor as a name would hide its words in every text).
UNKNOWN_NAME = "—"


def _withheld_descriptor(values: dict, row) -> None:
    """A withheld name arrives as its descriptor; the name itself is not in the package."""
    if values["name_withheld"]:
        values["public_descriptor"], values["name"] = values["name"], UNKNOWN_NAME


PEOPLE = PackageTable(
    name="people",
    title="People",
    model=Person,
    columns=[
        ID,
        NAME,
        NAME_WITHHELD,
        GENDER,
        BIRTH_DATE,
        COUNTRY,
        REGION,
        OCCUPATION,
        AFFILIATION,
        BIOGRAPHY,
        CURRENT_STATUS,
        STATUS_SINCE,
        UPDATED,
    ],
    complete=_withheld_descriptor,
)

NAMES = PackageTable(
    name="names",
    title="Name variants",
    model=PersonName,
    columns=[
        ID,
        PERSON,
        field_column("name", "string", "One spelling of the name.", required=True),
        field_column("language", "string", "BCP 47 code."),
        field_column("script", "string", "ISO 15924 script: Latn, Cyrl."),
        field_column("kind", "string", "official, transliteration, alias or as_in_source."),
    ],
    foreign_keys=[("person_id", "people")],
)

IDENTIFIERS = PackageTable(
    name="identifiers",
    title="Identifiers in other databases",
    model=PersonIdentifier,
    columns=[
        ID,
        PERSON,
        field_column("scheme", "string", "Whose identifier, e.g. viasna.", required=True),
        field_column("identifier", "string", "The identifier.", required=True),
        field_column("url", "string", "Its page."),
        field_column("external_status", "string", "Status as that database lists it."),
    ],
    foreign_keys=[("person_id", "people")],
)

RECOGNITIONS = PackageTable(
    name="recognitions",
    title="Recognitions as political prisoner",
    model=Recognition,
    columns=[
        ID,
        PERSON,
        field_column("organisation_id", "integer", "organisations.id", required=True),
        partial_date("recognised_on", "Date of recognition"),
        field_column("statement_url", "string", "The recognising statement."),
    ],
    foreign_keys=[("person_id", "people"), ("organisation_id", "organisations")],
)
