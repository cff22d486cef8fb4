"""
CSV exports of published records, one per resource, filtered by the API's own FilterSets.

Each export names its columns once (``Column``): the CSV header, the data dictionary
(``docs/data-dictionary.md``) and the data package's Table Schemas are all made from the
same definitions, so they cannot drift. Rows stream in id order; multi-valued columns
come from one extra query each, merged as the rows stream (``tracker.lib.csv_streams``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, QuerySet, Subquery

from sources.filtersets import SourceFilterSet
from sources.models import Citation, Source
from tracker.lib.csv_streams import CHUNK, Column, merge_by_key
from tracker.lib.editorial import EditorialState
from tracker.lib.partial_dates import precision_of

from . import filtersets as fs
from .choices import Status
from .models import (
    Charge,
    CourtDecision,
    Detention,
    Facility,
    FacilityName,
    FacilityStay,
    Person,
    PersonName,
    Recognition,
    Release,
    ReportedFigure,
)
from .redaction import Redactor

PUBLISHED = EditorialState.PUBLISHED


def nulls_first(field: str):
    return F(field).asc(nulls_first=True)


def article_code(number: str, part: str) -> str:
    """The article as the API's ``article`` filter takes it: 293, or 293-2 for part 2."""
    return f"{number}-{part}" if part else number


def partial(name: str, label: str) -> list[Column]:
    """A partial date as two columns: the value and its precision."""
    return [
        Column(
            name,
            "string",
            f"{label}: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources; empty when unknown.",
            lambda row, n=name: row[n],
            constraints={"pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"},
        ),
        Column(
            f"{name}_precision",
            "string",
            f"Precision of {name}: year, month or day.",
            lambda row, n=name: precision_of(row[n]) or "",
            constraints={"enum": ["", "year", "month", "day"]},
        ),
    ]


@dataclass
class Export(ABC):
    """A CSV download: ``/exports/<slug>.csv``."""

    slug: str
    file_stem: str
    title: str
    filterset_class: type
    api_view: str | None
    columns: list[Column]
    fields: list[str]  # the primary query's values() fields

    @abstractmethod
    def base_queryset(self) -> QuerySet:
        """The published records this export may contain, before any filter."""

    def streams(self, ids: QuerySet) -> dict:
        return {}

    def rows(self, queryset: QuerySet, *, api_base: str = "", redactor=None) -> Iterator[list]:
        """Rows of cell values for a filtered queryset, in id order."""
        redactor = redactor or Redactor([])
        ids = queryset.values("pk")
        primary = queryset.order_by("pk").values(*self.fields).iterator(chunk_size=CHUNK)
        for row, related in merge_by_key(primary, lambda r: r["pk"], self.streams(ids)):
            row.update(related)
            row["api_url"] = f"{api_base}{row['pk']}/" if api_base else ""
            yield [redactor.data(column.value(row)) for column in self.columns]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


API_URL = Column("api_url", "string", "This record in the public API.", lambda row: row["api_url"])
ID = Column(
    "id", "integer", "Record id; the same as in the API.", lambda row: row["pk"], required=True
)
UPDATED = Column(
    "updated_at", "datetime", "When the record last changed (UTC).", lambda row: row["updated_at"]
)


# People -----------------------------------------------------------------------------------


def _latest(rows):
    return rows[-1] if rows else None


def _current_stay(row):
    """The open stay of the latest detention, for a person still in custody."""
    if row["current_status"] != Status.IN_CUSTODY or not row["detentions"]:
        return None
    latest_detention = row["detentions"][-1][1]
    stays = [s for s in row["stays"] if s[1] == latest_detention and not s[5]]
    return stays[-1] if stays else None


def _source_counts(ids: QuerySet):
    """(person id, source id) for every published citation of a person's published records."""
    owners = [
        (Person, "pk", Person.objects.filter(pk__in=ids)),
        (Detention, "person_id", Detention.objects.filter(state=PUBLISHED, person__in=ids)),
        (
            Charge,
            "detention__person_id",
            Charge.objects.filter(detention__state=PUBLISHED, detention__person__in=ids),
        ),
        (
            FacilityStay,
            "detention__person_id",
            FacilityStay.objects.filter(detention__state=PUBLISHED, detention__person__in=ids),
        ),
        (
            CourtDecision,
            "detention__person_id",
            CourtDecision.objects.filter(
                state=PUBLISHED, detention__state=PUBLISHED, detention__person__in=ids
            ),
        ),
        (
            Release,
            "detention__person_id",
            Release.objects.filter(
                state=PUBLISHED, detention__state=PUBLISHED, detention__person__in=ids
            ),
        ),
        (Recognition, "person_id", Recognition.objects.filter(state=PUBLISHED, person__in=ids)),
    ]
    parts = []
    for model, path, records in owners:
        owner = model.objects.filter(pk=OuterRef("object_id")).values(path)[:1]
        parts.append(
            Citation.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                source__state=PUBLISHED,
                object_id__in=records.values("pk"),
            )
            .annotate(owner=Subquery(owner))
            .order_by()
            .values_list("owner", "source_id")
        )
    return parts[0].union(*parts[1:], all=True).order_by("owner").iterator(chunk_size=CHUNK)


class PeopleExport(Export):
    def base_queryset(self):
        return Person.objects.filter(state=PUBLISHED)

    def streams(self, ids):
        detention = {"detention__state": PUBLISHED, "detention__person__in": ids}
        return {
            "names": PersonName.objects.filter(person__in=ids, person__name_withheld=False)
            .order_by("person_id", "pk")
            .values_list("person_id", "name"),
            "detentions": Detention.objects.filter(state=PUBLISHED, person__in=ids)
            .order_by("person_id", nulls_first("started_on_earliest"), "pk")
            .values_list("person_id", "pk", "started_on"),
            "stays": FacilityStay.objects.filter(facility__state=PUBLISHED, **detention)
            .order_by(
                "detention__person_id",
                nulls_first("detention__started_on_earliest"),
                "detention_id",
                nulls_first("started_on_earliest"),
                "pk",
            )
            .values_list(
                "detention__person_id",
                "detention_id",
                "facility__name",
                "facility__city",
                "facility__address",
                "ended_on",
            ),
            "articles": Charge.objects.filter(article__isnull=False, **detention)
            .order_by("detention__person_id", "article__number", "part")
            .values_list("detention__person_id", "article__number", "part"),
            "decisions": CourtDecision.objects.filter(state=PUBLISHED, **detention)
            .order_by("detention__person_id", nulls_first("decided_on_earliest"), "pk")
            .values_list(
                "detention__person_id", "decided_on", "term_months", "term_text", "penalty_kind"
            ),
            "releases": Release.objects.filter(state=PUBLISHED, **detention)
            .order_by("detention__person_id", nulls_first("released_on_earliest"), "pk")
            .values_list("detention__person_id", "released_on", "kind"),
            "recognitions": Recognition.objects.filter(
                state=PUBLISHED, organisation__state=PUBLISHED, person__in=ids
            )
            .order_by("person_id", nulls_first("recognised_on_earliest"), "pk")
            .values_list("person_id", "organisation__name"),
            "sources": _source_counts(ids),
        }


def _unique(values):
    return list(dict.fromkeys(values))


def _first_detained(row):
    dated = [d[2] for d in row["detentions"] if d[2]]
    return dated[0] if dated else ""


def _field(stream: str, index: int):
    """The value at ``index`` of the latest row of a related stream."""
    return lambda row: (_latest(row[stream]) or (None,) * (index + 1))[index]


PEOPLE = PeopleExport(
    slug="prisoners",
    file_stem="political-prisoners",
    title="People",
    filterset_class=fs.PersonFilterSet,
    api_view="prisoners",
    fields=[
        "pk",
        "public_name",
        "gender",
        "birth_date",
        "country",
        "region",
        "occupation",
        "current_status",
        "status_since",
        "updated_at",
    ],
    columns=[
        ID,
        Column(
            "name",
            "string",
            "Display name, or the public descriptor where the name is withheld.",
            lambda row: row["public_name"],
            required=True,
        ),
        Column(
            "name_variants",
            "string",
            "Every public spelling of the name (language, "
            "script and kind are in the data package's names table). Empty where the "
            "name is withheld.",
            lambda row: [n[1] for n in row["names"]],
            multi=True,
        ),
        Column("gender", "string", "female, male, other or unknown.", lambda row: row["gender"]),
        *partial("birth_date", "Date of birth"),
        Column("country", "string", "ISO 3166 country code.", lambda row: row["country"]),
        Column("region", "string", "Region of residence.", lambda row: row["region"]),
        Column("occupation", "string", "Occupation.", lambda row: row["occupation"]),
        Column(
            "current_status",
            "string",
            "in_custody, restricted (house arrest or restricted "
            "freedom), released, exile, deceased or unknown; derived from published "
            "detentions, decisions and releases.",
            lambda row: row["current_status"],
            constraints={"enum": Status.values},
        ),
        *partial("status_since", "Date of the fact that set the current status")[:1],
        Column(
            "first_detained_on",
            "string",
            "Start of the earliest dated detention (partial date).",
            _first_detained,
        ),
        Column(
            "latest_detained_on",
            "string",
            "Start of the latest detention (partial date).",
            lambda row: (_latest(row["detentions"]) or (0, 0, ""))[2],
        ),
        Column(
            "current_facility",
            "string",
            "Where the person is held now: the open stay of "
            "the latest detention, for people in custody.",
            lambda row: (_current_stay(row) or (0, 0, ""))[2],
        ),
        Column(
            "current_facility_address",
            "string",
            "That facility's address for letters.",
            lambda row: (_current_stay(row) or (0, 0, "", "", ""))[4],
        ),
        Column(
            "articles",
            "string",
            "Criminal-code articles charged in published detentions, "
            "as 342 or 293-2 (part 2 of article 293).",
            lambda row: _unique(article_code(a[1], a[2]) for a in row["articles"]),
            multi=True,
        ),
        Column(
            "latest_decision_on",
            "string",
            "Date of the latest court decision (partial date).",
            _field("decisions", 1),
        ),
        Column(
            "latest_term_months",
            "integer",
            "Term of the latest sentence, in months.",
            _field("decisions", 2),
        ),
        Column(
            "latest_term_text",
            "string",
            "The latest sentence as the source words it.",
            _field("decisions", 3),
        ),
        Column(
            "latest_penalty_kind",
            "string",
            "Kind of the latest penalty (see the API's PenaltyKind).",
            _field("decisions", 4),
        ),
        Column(
            "latest_release_on",
            "string",
            "Date of the latest release (partial date).",
            _field("releases", 1),
        ),
        Column(
            "latest_release_kind",
            "string",
            "Kind of the latest release: house_arrest, "
            "restraint_lifted, end_of_term, pardon, amnesty, acquittal, exile, death, other.",
            _field("releases", 2),
        ),
        Column(
            "recognised_by",
            "string",
            "Organisations that recognise the person as a political prisoner.",
            lambda row: _unique(r[1] for r in row["recognitions"]),
            multi=True,
        ),
        Column(
            "source_count",
            "integer",
            "Number of distinct published sources cited for the person and their records.",
            lambda row: len({s[1] for s in row["sources"]}),
        ),
        UPDATED,
        API_URL,
    ],
)


# Custody records --------------------------------------------------------------------------


class DetentionsExport(Export):
    def base_queryset(self):
        return Detention.objects.filter(state=PUBLISHED, person__state=PUBLISHED).annotate(
            person_name=F("person__public_name")
        )

    def streams(self, ids):
        return {
            "articles": Charge.objects.filter(detention__in=ids, article__isnull=False)
            .order_by("detention_id", "pk")
            .values_list("detention_id", "article__number", "part"),
            "facilities": FacilityStay.objects.filter(detention__in=ids, facility__state=PUBLISHED)
            .order_by("detention_id", nulls_first("started_on_earliest"), "pk")
            .values_list("detention_id", "facility__name"),
        }


PERSON_ID = Column(
    "person_id",
    "integer",
    "The person (prisoners.csv id).",
    lambda row: row["person_id"],
    required=True,
)
PERSON_NAME = Column(
    "person_name",
    "string",
    "The person's display name or descriptor.",
    lambda row: row["person_name"],
)

DETENTIONS = DetentionsExport(
    slug="detentions",
    file_stem="detentions",
    title="Detentions",
    filterset_class=fs.DetentionFilterSet,
    api_view="detentions",
    fields=["pk", "person_id", "person_name", "started_on", "place", "authority", "updated_at"],
    columns=[
        ID,
        PERSON_ID,
        PERSON_NAME,
        *partial("started_on", "Date of detention"),
        Column("place", "string", "Where the person was detained.", lambda row: row["place"]),
        Column("authority", "string", "Detaining authority.", lambda row: row["authority"]),
        Column(
            "articles",
            "string",
            "Articles charged, as 342 or 293-2.",
            lambda row: _unique(article_code(a[1], a[2]) for a in row["articles"]),
            multi=True,
        ),
        Column(
            "facilities",
            "string",
            "Facilities the person was held in, in order.",
            lambda row: [f[1] for f in row["facilities"]],
            multi=True,
        ),
        UPDATED,
        API_URL,
    ],
)


class OwnedExport(Export):
    """Decisions and releases: published, of a published detention of a published person."""

    model = None

    def base_queryset(self):
        return self.model.objects.filter(
            state=PUBLISHED, detention__state=PUBLISHED, detention__person__state=PUBLISHED
        )


class DecisionsExport(OwnedExport):
    model = CourtDecision


class ReleasesExport(OwnedExport):
    model = Release


DETENTION_ID = Column(
    "detention_id",
    "integer",
    "The detention (detentions.csv id).",
    lambda row: row["detention_id"],
    required=True,
)
OWNER_FIELDS = ["detention_id", "detention__person_id", "detention__person__public_name"]
OWNER_COLUMNS = [
    DETENTION_ID,
    Column(
        "person_id",
        "integer",
        "The person (prisoners.csv id).",
        lambda row: row["detention__person_id"],
        required=True,
    ),
    Column(
        "person_name",
        "string",
        "The person's display name or descriptor.",
        lambda row: row["detention__person__public_name"],
    ),
]

DECISIONS = DecisionsExport(
    slug="decisions",
    file_stem="court-decisions",
    title="Court decisions",
    filterset_class=fs.DecisionFilterSet,
    api_view="decisions",
    fields=[
        "pk",
        *OWNER_FIELDS,
        "decided_on",
        "court",
        "judge",
        "penalty_kind",
        "term_months",
        "term_days",
        "term_text",
        "fine_amount",
        "fine_unit",
        "appeal_decided_on",
        "appeal_outcome",
        "updated_at",
    ],
    columns=[
        ID,
        *OWNER_COLUMNS,
        *partial("decided_on", "Date of the verdict"),
        Column("court", "string", "Court.", lambda row: row["court"]),
        Column("judge", "string", "Judge.", lambda row: row["judge"]),
        Column("penalty_kind", "string", "Kind of penalty.", lambda row: row["penalty_kind"]),
        Column(
            "term_months",
            "integer",
            "Term in months (4½ years is 54).",
            lambda row: row["term_months"],
        ),
        Column("term_days", "integer", "Days beyond the months.", lambda row: row["term_days"]),
        Column(
            "term_text",
            "string",
            "The sentence as the source words it.",
            lambda row: row["term_text"],
        ),
        Column("fine_amount", "number", "Fine.", lambda row: row["fine_amount"]),
        Column(
            "fine_unit",
            "string",
            "Unit of the fine (base rates, BYN, …).",
            lambda row: row["fine_unit"],
        ),
        *partial("appeal_decided_on", "Date of the appeal decision"),
        Column(
            "appeal_outcome",
            "string",
            "upheld, changed, overturned or unknown.",
            lambda row: row["appeal_outcome"],
        ),
        UPDATED,
        API_URL,
    ],
)

RELEASES = ReleasesExport(
    slug="releases",
    file_stem="releases",
    title="Releases",
    filterset_class=fs.ReleaseFilterSet,
    api_view="releases",
    fields=["pk", *OWNER_FIELDS, "released_on", "kind", "destination_country", "updated_at"],
    columns=[
        ID,
        *OWNER_COLUMNS,
        *partial("released_on", "Date of release"),
        Column(
            "kind",
            "string",
            "house_arrest (still restricted), restraint_lifted, "
            "end_of_term, pardon, amnesty, acquittal, exile, death or other.",
            lambda row: row["kind"],
        ),
        Column(
            "destination_country",
            "string",
            "For a forced exile: ISO country code.",
            lambda row: row["destination_country"],
        ),
        UPDATED,
        API_URL,
    ],
)


class FacilitiesExport(Export):
    def base_queryset(self):
        return Facility.objects.filter(state=PUBLISHED)

    def streams(self, ids):
        return {
            "other_names": FacilityName.objects.filter(facility__in=ids)
            .order_by("facility_id", "pk")
            .values_list("facility_id", "name")
        }


FACILITIES = FacilitiesExport(
    slug="facilities",
    file_stem="facilities",
    title="Facilities",
    filterset_class=fs.FacilityFilterSet,
    api_view="facilities",
    fields=["pk", "name", "kind", "country", "city", "address", "updated_at"],
    columns=[
        ID,
        Column("name", "string", "Name.", lambda row: row["name"], required=True),
        Column(
            "other_names",
            "string",
            "Other names, e.g. “Amerykanka”.",
            lambda row: [n[1] for n in row["other_names"]],
            multi=True,
        ),
        Column("kind", "string", "Kind of facility.", lambda row: row["kind"]),
        Column("country", "string", "ISO country code.", lambda row: row["country"]),
        Column("city", "string", "City.", lambda row: row["city"]),
        Column("address", "string", "Address for letters.", lambda row: row["address"]),
        UPDATED,
        API_URL,
    ],
)


class SourcesExport(Export):
    def base_queryset(self):
        return Source.objects.filter(state=PUBLISHED)


SOURCES = SourcesExport(
    slug="sources",
    file_stem="sources",
    title="Sources",
    filterset_class=SourceFilterSet,
    api_view="sources",
    fields=[
        "pk",
        "kind",
        "title",
        "publisher",
        "author",
        "url",
        "published_on",
        "language",
        "archive_url",
        "updated_at",
    ],
    columns=[
        ID,
        Column(
            "kind",
            "string",
            "news_article, ngo_statement, court_document, …",
            lambda row: row["kind"],
        ),
        Column(
            "title",
            "string",
            "Title (in brackets where descriptive).",
            lambda row: row["title"],
            required=True,
        ),
        Column("publisher", "string", "Publisher.", lambda row: row["publisher"]),
        Column("author", "string", "Author.", lambda row: row["author"]),
        Column("url", "string", "Where the source is published.", lambda row: row["url"]),
        *partial("published_on", "Publication date"),
        Column("language", "string", "BCP 47 language code.", lambda row: row["language"]),
        Column("archive_url", "string", "An archived copy.", lambda row: row["archive_url"]),
        UPDATED,
        API_URL,
    ],
)


class FiguresExport(Export):
    def base_queryset(self):
        return ReportedFigure.objects.filter(state=PUBLISHED)


FIGURES = FiguresExport(
    slug="figures",
    file_stem="reported-figures",
    title="Reported figures",
    filterset_class=fs.FigureFilterSet,
    api_view="figures",
    fields=[
        "pk",
        "value",
        "qualifier",
        "counted",
        "as_of",
        "counted_by",
        "country",
        "part_of_id",
        "part_of__state",
        "updated_at",
    ],
    columns=[
        ID,
        Column("value", "integer", "The count.", lambda row: row["value"], required=True),
        Column(
            "qualifier",
            "string",
            "exactly, at_least, more_than, about, at_most or fewer_than.",
            lambda row: row["qualifier"],
        ),
        Column("counted", "string", "What is counted.", lambda row: row["counted"]),
        *partial("as_of", "Date the count refers to"),
        Column(
            "counted_by", "string", "Whose count the source reports.", lambda row: row["counted_by"]
        ),
        Column("country", "string", "ISO country code.", lambda row: row["country"]),
        Column(
            "part_of_id",
            "integer",
            "The larger figure this one is part of.",
            lambda row: row["part_of_id"] if row["part_of__state"] == PUBLISHED else None,
        ),
        UPDATED,
        API_URL,
    ],
)


# Citations ----------------------------------------------------------------------------------

# Which records' citations are public: published records of published people.
CITED_RECORDS = {
    "person": lambda: Person.objects.filter(state=PUBLISHED, name_withheld=False),
    "detention": lambda: Detention.objects.filter(
        state=PUBLISHED, person__state=PUBLISHED, person__name_withheld=False
    ),
    "charge": lambda: Charge.objects.filter(
        detention__state=PUBLISHED,
        detention__person__state=PUBLISHED,
        detention__person__name_withheld=False,
    ),
    "facilitystay": lambda: FacilityStay.objects.filter(
        detention__state=PUBLISHED,
        detention__person__state=PUBLISHED,
        detention__person__name_withheld=False,
        facility__state=PUBLISHED,
    ),
    "courtdecision": lambda: CourtDecision.objects.filter(
        state=PUBLISHED,
        detention__state=PUBLISHED,
        detention__person__state=PUBLISHED,
        detention__person__name_withheld=False,
    ),
    "release": lambda: Release.objects.filter(
        state=PUBLISHED,
        detention__state=PUBLISHED,
        detention__person__state=PUBLISHED,
        detention__person__name_withheld=False,
    ),
    "recognition": lambda: Recognition.objects.filter(
        state=PUBLISHED,
        person__state=PUBLISHED,
        person__name_withheld=False,
        organisation__state=PUBLISHED,
    ),
    "facility": lambda: Facility.objects.filter(state=PUBLISHED),
    "event": lambda: _events(),
    "eventparticipant": lambda: _participants(),
    "reportedfigure": lambda: ReportedFigure.objects.filter(state=PUBLISHED),
}


def _events():
    from .models import Event

    return Event.objects.filter(state=PUBLISHED)


def _participants():
    from .models import EventParticipant

    return EventParticipant.objects.filter(
        event__state=PUBLISHED, person__state=PUBLISHED, person__name_withheld=False
    )


def public_citations() -> QuerySet:
    """Citations of published sources on records the public may see."""
    from django.db.models import Q

    condition = Q()
    for model_name, records in CITED_RECORDS.items():
        content_type = ContentType.objects.get_by_natural_key("prisoners", model_name)
        condition |= Q(content_type=content_type, object_id__in=records().values("pk"))
    return Citation.objects.filter(condition, source__state=PUBLISHED)


class CitationsExport(Export):
    def base_queryset(self):
        return public_citations()


CITATIONS = CitationsExport(
    slug="citations",
    file_stem="citations",
    title="Citations",
    filterset_class=None,  # set below, to avoid an import cycle with the filtersets
    api_view=None,
    fields=[
        "pk",
        "source_id",
        "content_type__model",
        "object_id",
        "field",
        "stated_value",
        "quote",
        "locator",
        "confidence",
    ],
    columns=[
        ID,
        Column(
            "source_id",
            "integer",
            "The source (sources.csv id).",
            lambda row: row["source_id"],
            required=True,
        ),
        Column(
            "record_type",
            "string",
            "Kind of record cited: person, detention, charge, "
            "facilitystay, courtdecision, release, recognition, facility, event, "
            "eventparticipant, reportedfigure.",
            lambda row: row["content_type__model"],
            required=True,
        ),
        Column(
            "record_id",
            "integer",
            "Id of the cited record in its table.",
            lambda row: row["object_id"],
            required=True,
        ),
        Column(
            "field",
            "string",
            "The field the source speaks to; empty for the whole record.",
            lambda row: row["field"],
        ),
        Column(
            "stated_value",
            "string",
            "The value the source states for that field; where "
            "sources disagree, each citation keeps its own.",
            lambda row: row["stated_value"],
        ),
        Column("quote", "string", "A short quote from the source.", lambda row: row["quote"]),
        Column("locator", "string", "Where in the source.", lambda row: row["locator"]),
        Column("confidence", "string", "low, medium or high.", lambda row: row["confidence"]),
    ],
)


def _citation_filterset():
    from django_filters import rest_framework as filters

    from sources.choices import Confidence
    from tracker.lib.api_plumbing import IdFilter

    class CitationFilterSet(filters.FilterSet):
        source = IdFilter(field_name="source_id")
        record_type = filters.ChoiceFilter(
            field_name="content_type__model",
            choices=[(name, name) for name in CITED_RECORDS],
        )
        confidence = filters.MultipleChoiceFilter(choices=Confidence.choices)

        class Meta:
            model = Citation
            fields = []

    return CitationFilterSet


CITATIONS.filterset_class = _citation_filterset()

EXPORTS = {
    export.slug: export
    for export in (PEOPLE, DETENTIONS, DECISIONS, RELEASES, FACILITIES, SOURCES, CITATIONS, FIGURES)
}
