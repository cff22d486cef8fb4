"""
Load a data package made by ``export_datapackage`` into an empty database: a mirror.

Every table is read with its Table Schema, in foreign-key order, with the same ids; the
whole load is one transaction, so a bad file leaves the database as it was. Records
arrive published (the package holds only published records); statuses are recomputed
and must agree with the package's.
"""

import csv
import io
import json
import zipfile
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from prisoners import models as pm
from prisoners.services import refresh_statuses
from sources.models import Citation, Organisation, Source
from tracker.lib.editorial import EditorialState

PUBLISHED = EditorialState.PUBLISHED

# table -> (model, fields copied as they are, extra values)
TABLES = [
    ("organisations", Organisation, ["name", "short_name", "slug", "kind", "country", "url"]),
    (
        "sources",
        Source,
        ["kind", "title", "publisher", "author", "url", "published_on", "language", "archive_url"],
    ),
    ("facilities", pm.Facility, ["name", "kind", "country", "city", "address"]),
    ("facility_names", pm.FacilityName, ["facility_id", "name", "language"]),
    ("articles", pm.CriminalArticle, ["code", "number", "title"]),
    (
        "people",
        pm.Person,
        [
            "name",
            "name_withheld",
            "gender",
            "birth_date",
            "country",
            "region",
            "occupation",
            "affiliation",
            "biography",
            "current_status",
            "status_since",
            "updated_at",
        ],
    ),
    ("names", pm.PersonName, ["person_id", "name", "language", "script", "kind"]),
    (
        "identifiers",
        pm.PersonIdentifier,
        ["person_id", "scheme", "identifier", "url", "external_status"],
    ),
    (
        "recognitions",
        pm.Recognition,
        ["person_id", "organisation_id", "recognised_on", "statement_url"],
    ),
    (
        "detentions",
        pm.Detention,
        ["person_id", "started_on", "place", "authority", "circumstances", "defence_counsel"],
    ),
    ("charges", pm.Charge, ["detention_id", "article_id", "part", "title", "text"]),
    ("facility_stays", pm.FacilityStay, ["detention_id", "facility_id", "started_on", "ended_on"]),
    (
        "decisions",
        pm.CourtDecision,
        [
            "detention_id",
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
        ],
    ),
    (
        "releases",
        pm.Release,
        ["detention_id", "released_on", "kind", "destination_country", "circumstances"],
    ),
    (
        "events",
        pm.Event,
        [
            "title",
            "kind",
            "happened_on",
            "facility_id",
            "place",
            "description",
            "participant_count",
        ],
    ),
    ("participants", pm.EventParticipant, ["event_id", "person_id", "role", "attended"]),
    (
        "figures",
        pm.ReportedFigure,
        ["value", "qualifier", "counted", "as_of", "counted_by", "part_of_id", "event_id"],
    ),
    (
        "citations",
        Citation,
        ["source_id", "object_id", "field", "stated_value", "quote", "locator", "confidence"],
    ),
]


# Where the package's column has another name than the model's field.
COLUMN_OF = {(Citation, "object_id"): "record_id"}


def _convert(value: str, field_type: str):
    if value == "":
        return None
    if field_type == "integer":
        return int(value)
    if field_type == "number":
        return Decimal(value)
    if field_type == "boolean":
        return value == "true"
    if field_type == "datetime":
        return parse_datetime(value.replace("Z", "+00:00"))
    return value


@contextmanager
def _keeping_timestamps(model):
    """Keep the package's ``updated_at`` instead of stamping the time of the load."""
    field = model._meta.get_field("updated_at")
    field.auto_now = False
    try:
        yield
    finally:
        field.auto_now = True


class Command(BaseCommand):
    help = "Load a data package made by export_datapackage into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .zip file export_datapackage wrote.")

    def handle(self, *args, path, **options):
        if pm.Person.objects.exists() or Source.objects.exists():
            raise CommandError(
                "The database is not empty: a data package loads into an empty database only."
            )
        try:
            archive = zipfile.ZipFile(path)
            descriptor = json.loads(archive.read("datapackage.json"))
        except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: not a data package ({error})") from error
        resources = {r["name"]: r for r in descriptor.get("resources", [])}
        missing = [name for name, _, _ in TABLES if name not in resources]
        if missing:
            raise CommandError(f"{path}: missing tables: {', '.join(missing)}")
        counts = {}
        with transaction.atomic(), _keeping_timestamps(pm.Person):
            for name, model, fields in TABLES:
                counts[name] = self._load(archive, resources[name], model, fields)
            refresh_statuses()
        for name, rows in counts.items():
            self.stdout.write(f"{name:16} {rows:>9} rows")
        self.stdout.write(f"Loaded {path}.")

    def _load(self, archive, resource, model, fields) -> int:
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        text = archive.read(resource["path"]).decode("utf-8")
        objects = []
        for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            values = {"pk": int(row["id"])}
            empty = []
            for field in fields:
                column = COLUMN_OF.get((model, field), field)
                values[field] = _convert(row.get(column, ""), types.get(column, "string"))
                model_field = model._meta.get_field(field)
                if values[field] is None:
                    if model_field.null:
                        empty.append(model_field.name)  # a null the model allows
                    else:
                        values[field] = ""
            if hasattr(model, "state"):
                values["state"] = PUBLISHED
            if model is pm.Person and values.get("name_withheld"):
                values["public_descriptor"] = values["name"]
            if model is Citation:
                values["content_type"] = ContentType.objects.get_by_natural_key(
                    "sources" if row["record_type"] in {"organisation", "source"} else "prisoners",
                    row["record_type"],
                )
            obj = model(**values)
            if model is pm.PersonName:
                obj.set_search_fields()
            try:
                # Links are checked by the database's (deferred) foreign keys at commit: a
                # figure may be part of another in the same table.
                links = [f.name for f in model._meta.fields if f.is_relation]
                obj.full_clean(
                    exclude=[*empty, *links], validate_unique=False, validate_constraints=False
                )
            except Exception as error:
                raise CommandError(f"{resource['path']}, line {line}: {error}") from error
            objects.append(obj)
        model.objects.bulk_create(objects, batch_size=2000)
        return len(objects)
