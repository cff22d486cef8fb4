"""
The full data package: every published table as CSV, plus ``datapackage.json`` in the
Frictionless Data Package format (a Table Schema per file: types, required fields,
primary keys and foreign keys between the files), with a licence and a creation time.

It is what a mirror needs: published records only, with every spelling of a withheld
name redacted and that person's spellings, identifiers and citations left out. Rows
whose parent is not public are left out too, so every foreign key resolves. The CSV files
are raw data for machines (no spreadsheet formula guard; use the /exports/*.csv files in a
spreadsheet).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, When
from django.utils import timezone

from sources.models import Organisation, Source
from tracker.lib.csv_streams import CHUNK, Column, stream_csv
from tracker.lib.editorial import EditorialState

from .exports import public_citations
from .models import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Event,
    EventParticipant,
    Facility,
    FacilityName,
    FacilityStay,
    Person,
    PersonIdentifier,
    PersonName,
    Recognition,
    Release,
    ReportedFigure,
)
from .redaction import Redactor

PUBLISHED = EditorialState.PUBLISHED


def c(name, type_, description, source=None, *, required=False, **constraints) -> Column:
    """A column that is one field of the table's query (``source``, by default ``name``)."""
    source = source or name
    return Column(
        name,
        type_,
        description,
        lambda row: row[source],
        required=required,
        constraints=constraints,
        source=source,
    )


def date_columns(name, label) -> list[Column]:
    return [
        c(
            name,
            "string",
            f"{label}: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources.",
            pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$",
        ),
        c(f"{name}_earliest", "date", f"Earliest day {name} can mean."),
        c(f"{name}_latest", "date", f"Latest day {name} can mean."),
    ]


ID = c("id", "integer", "Primary key.", "pk", required=True)


@dataclass
class Table:
    name: str
    title: str
    queryset: callable  # () -> QuerySet of public rows
    columns: list[Column]
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # (column, table)

    def fields(self) -> list[str]:
        return [column.source for column in self.columns]

    def schema(self) -> dict:
        fields = []
        for column in self.columns:
            descriptor = {
                "name": column.name,
                "type": column.type,
                "description": column.description,
            }
            constraints = dict(column.constraints)
            if column.required:
                constraints["required"] = True
            if constraints:
                descriptor["constraints"] = constraints
            fields.append(descriptor)
        schema = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": table, "fields": ["id"]}}
                for column, table in self.foreign_keys
            ]
        return schema


def _if_published(link: str):
    """The id of a nullable link, blanked where the linked record is not published."""
    return Case(When(**{f"{link}__state": PUBLISHED}, then=F(f"{link}_id")), default=None)


def _public_people():
    return Person.objects.filter(state=PUBLISHED)


def _public_detentions():
    return Detention.objects.filter(state=PUBLISHED, person__state=PUBLISHED)


def _owned(model):
    return model.objects.filter(
        state=PUBLISHED, detention__state=PUBLISHED, detention__person__state=PUBLISHED
    )


TABLES = [
    Table(
        "people",
        "People",
        _public_people,
        [
            ID,
            c(
                "name",
                "string",
                "Display name, or the public descriptor where withheld.",
                "public_name",
                required=True,
            ),
            c("name_withheld", "boolean", "Whether the name is withheld at the family's request."),
            c("gender", "string", "female, male, other or unknown."),
            *date_columns("birth_date", "Date of birth"),
            c("country", "string", "ISO 3166 country code."),
            c("region", "string", "Region."),
            c("occupation", "string", "Occupation."),
            c("affiliation", "string", "Employer, party, campaign, …"),
            c("biography", "string", "Public biography."),
            c(
                "current_status",
                "string",
                "Derived status: in_custody, restricted, released, exile, deceased, unknown.",
            ),
            c("status_since", "string", "Partial date of the fact that set the status."),
            c("updated_at", "datetime", "Last change (UTC)."),
        ],
    ),
    Table(
        "names",
        "Name variants",
        lambda: PersonName.objects.filter(person__state=PUBLISHED, person__name_withheld=False),
        [
            ID,
            c("person_id", "integer", "people.id", required=True),
            c("name", "string", "One spelling of the name.", required=True),
            c("language", "string", "BCP 47 code."),
            c("script", "string", "ISO 15924 script: Latn, Cyrl."),
            c("kind", "string", "official, transliteration, alias or as_in_source."),
        ],
        foreign_keys=[("person_id", "people")],
    ),
    Table(
        "identifiers",
        "Identifiers in other databases",
        lambda: PersonIdentifier.objects.filter(
            person__state=PUBLISHED, person__name_withheld=False
        ),
        [
            ID,
            c("person_id", "integer", "people.id", required=True),
            c("scheme", "string", "Whose identifier, e.g. viasna.", required=True),
            c("identifier", "string", "The identifier.", required=True),
            c("url", "string", "Its page."),
            c("external_status", "string", "Status as that database lists it."),
        ],
        foreign_keys=[("person_id", "people")],
    ),
    Table(
        "organisations",
        "Organisations",
        lambda: Organisation.objects.filter(state=PUBLISHED),
        [
            ID,
            c("name", "string", "Name.", required=True),
            c("short_name", "string", "Short name."),
            c("slug", "string", "Slug used by the API's recognized_by filter."),
            c("kind", "string", "Kind of organisation."),
            c("country", "string", "ISO country code."),
            c("url", "string", "Website."),
        ],
    ),
    Table(
        "recognitions",
        "Recognitions as political prisoner",
        lambda: Recognition.objects.filter(
            state=PUBLISHED, person__state=PUBLISHED, organisation__state=PUBLISHED
        ),
        [
            ID,
            c("person_id", "integer", "people.id", required=True),
            c("organisation_id", "integer", "organisations.id", required=True),
            *date_columns("recognised_on", "Date of recognition"),
            c("statement_url", "string", "The recognising statement."),
        ],
        foreign_keys=[("person_id", "people"), ("organisation_id", "organisations")],
    ),
    Table(
        "facilities",
        "Facilities",
        lambda: Facility.objects.filter(state=PUBLISHED),
        [
            ID,
            c("name", "string", "Name.", required=True),
            c("kind", "string", "Kind of facility."),
            c("country", "string", "ISO country code."),
            c("city", "string", "City."),
            c("address", "string", "Address for letters."),
        ],
    ),
    Table(
        "facility_names",
        "Other facility names",
        lambda: FacilityName.objects.filter(facility__state=PUBLISHED),
        [
            ID,
            c("facility_id", "integer", "facilities.id", required=True),
            c("name", "string", "Another name.", required=True),
            c("language", "string", "BCP 47 code."),
        ],
        foreign_keys=[("facility_id", "facilities")],
    ),
    Table(
        "articles",
        "Criminal-code articles",
        lambda: CriminalArticle.objects.all(),
        [
            ID,
            c(
                "code",
                "string",
                "Which code: BY-CC is the Belarusian Criminal Code.",
                required=True,
            ),
            c("number", "string", "Article number, e.g. 293 or 361-3.", required=True),
            c("title", "string", "Title."),
        ],
    ),
    Table(
        "detentions",
        "Detentions",
        _public_detentions,
        [
            ID,
            c("person_id", "integer", "people.id", required=True),
            *date_columns("started_on", "Date of detention"),
            c("place", "string", "Where."),
            c("authority", "string", "Detaining authority."),
            c("circumstances", "string", "Public account."),
            c("defence_counsel", "string", "Defence counsel."),
        ],
        foreign_keys=[("person_id", "people")],
    ),
    Table(
        "charges",
        "Charges",
        lambda: Charge.objects.filter(
            detention__state=PUBLISHED, detention__person__state=PUBLISHED
        ),
        [
            ID,
            c("detention_id", "integer", "detentions.id", required=True),
            c("article_id", "integer", "articles.id; empty where only the text is known."),
            c("part", "string", "Part of the article."),
            c("title", "string", "Title as charged."),
            c("text", "string", "The charge as the source words it."),
        ],
        foreign_keys=[("detention_id", "detentions"), ("article_id", "articles")],
    ),
    Table(
        "facility_stays",
        "Facility stays",
        lambda: FacilityStay.objects.filter(
            detention__state=PUBLISHED,
            detention__person__state=PUBLISHED,
            facility__state=PUBLISHED,
        ),
        [
            ID,
            c("detention_id", "integer", "detentions.id", required=True),
            c("facility_id", "integer", "facilities.id", required=True),
            *date_columns("started_on", "From"),
            *date_columns("ended_on", "Until"),
        ],
        foreign_keys=[("detention_id", "detentions"), ("facility_id", "facilities")],
    ),
    Table(
        "decisions",
        "Court decisions",
        lambda: _owned(CourtDecision),
        [
            ID,
            c("detention_id", "integer", "detentions.id", required=True),
            *date_columns("decided_on", "Verdict date"),
            c("court", "string", "Court."),
            c("judge", "string", "Judge."),
            c("penalty_kind", "string", "Kind of penalty."),
            c("term_months", "integer", "Term in months."),
            c("term_days", "integer", "Days beyond the months."),
            c("term_text", "string", "The sentence as worded."),
            c("fine_amount", "number", "Fine."),
            c("fine_unit", "string", "Unit of the fine."),
            *date_columns("appeal_decided_on", "Appeal date"),
            c("appeal_outcome", "string", "upheld, changed, overturned, unknown."),
        ],
        foreign_keys=[("detention_id", "detentions")],
    ),
    Table(
        "releases",
        "Releases",
        lambda: _owned(Release),
        [
            ID,
            c("detention_id", "integer", "detentions.id", required=True),
            *date_columns("released_on", "Date of release"),
            c("kind", "string", "Kind of release.", required=True),
            c("destination_country", "string", "Exile destination (ISO code)."),
            c("circumstances", "string", "Public account."),
        ],
        foreign_keys=[("detention_id", "detentions")],
    ),
    Table(
        "events",
        "Events",
        lambda: Event.objects.filter(state=PUBLISHED).annotate(
            public_facility_id=_if_published("facility")
        ),
        [
            ID,
            c("title", "string", "Title.", required=True),
            c("kind", "string", "Kind of event."),
            *date_columns("happened_on", "Date"),
            c("facility_id", "integer", "facilities.id, where public.", "public_facility_id"),
            c("place", "string", "Place."),
            c("description", "string", "Public description."),
            c("participant_count", "integer", "Empty where sources disagree."),
        ],
        foreign_keys=[("facility_id", "facilities")],
    ),
    Table(
        "participants",
        "Event participants",
        lambda: EventParticipant.objects.filter(event__state=PUBLISHED, person__state=PUBLISHED),
        [
            ID,
            c("event_id", "integer", "events.id", required=True),
            c("person_id", "integer", "people.id", required=True),
            c("role", "string", "Role."),
            c("attended", "boolean", "Empty where sources disagree."),
        ],
        foreign_keys=[("event_id", "events"), ("person_id", "people")],
    ),
    Table(
        "figures",
        "Reported figures",
        lambda: ReportedFigure.objects.filter(state=PUBLISHED).annotate(
            public_part_of_id=_if_published("part_of"), public_event_id=_if_published("event")
        ),
        [
            ID,
            c("value", "integer", "The count.", required=True),
            c("qualifier", "string", "exactly, at_least, more_than, about, at_most, fewer_than."),
            c("counted", "string", "What is counted."),
            *date_columns("as_of", "As of"),
            c("counted_by", "string", "Whose count."),
            c("part_of_id", "integer", "figures.id of the larger figure.", "public_part_of_id"),
            c("event_id", "integer", "events.id.", "public_event_id"),
        ],
        foreign_keys=[("part_of_id", "figures"), ("event_id", "events")],
    ),
    Table(
        "sources",
        "Sources",
        lambda: Source.objects.filter(state=PUBLISHED),
        [
            ID,
            c("kind", "string", "Kind of source."),
            c("title", "string", "Title.", required=True),
            c("publisher", "string", "Publisher."),
            c("author", "string", "Author."),
            c("url", "string", "Where published."),
            *date_columns("published_on", "Publication date"),
            c("language", "string", "BCP 47 code."),
            c("archive_url", "string", "Archived copy."),
        ],
    ),
    Table(
        "citations",
        "Citations",
        public_citations,
        [
            ID,
            c("source_id", "integer", "sources.id", required=True),
            c(
                "record_type",
                "string",
                "The cited record's table: person, detention, charge, …",
                "content_type__model",
                required=True,
            ),
            c("record_id", "integer", "The cited record's id.", "object_id", required=True),
            c("field", "string", "The field the source speaks to."),
            c("stated_value", "string", "The value the source states."),
            c("quote", "string", "Short quote."),
            c("locator", "string", "Where in the source."),
            c("confidence", "string", "low, medium, high."),
        ],
        foreign_keys=[("source_id", "sources")],
    ),
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
            rows = (
                table.queryset().order_by("pk").values(*table.fields()).iterator(chunk_size=CHUNK)
            )
            counted = _Counter()
            with archive.open(f"{table.name}.csv", "w", force_zip64=True) as member:
                cells = (
                    [redactor.data(column.value(row)) for column in table.columns]
                    for row in counted(rows)
                )
                header = [column.name for column in table.columns]
                for line in stream_csv(header, cells, safe=False):
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
