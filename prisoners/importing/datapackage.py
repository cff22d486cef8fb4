"""
Load a data package made by ``export_datapackage`` into an empty database: a mirror.

The tables and their columns are those the package was written from
(``prisoners.exports.datapackage.TABLES``): each column that holds a model field is read
back into it, by its type, in the tables' order and with the same ids; the whole load is
one transaction, so a bad file leaves the database as it was. Everything arrives
published, records and their parts alike (the package holds only public rows). A URL
that the redactor replaced (it named a withheld person) arrives empty: it is no longer a
URL, and URLs are unique. Statuses are recomputed from the loaded records; a person whose
recomputed status differs from the package's is reported; the possible duplicates are
found (``duplicates.rebuild``: the rows are written in bulk, past the signals).
``progress``, if given, is told each step.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import URLField
from django.utils.dateparse import parse_datetime

from sources.models import Citation, Source
from tracker.lib.editorial import EditorialState, ReviewedModel

from .. import duplicates, publishing, rule
from ..exports.base import PackageTable
from ..exports.datapackage import TABLES
from ..models import Person
from ..redaction import WITHHELD
from ..services import refresh_statuses


class PackageError(Exception):
    """The package cannot be loaded; nothing was written."""


def _convert(text: str, type_: str):
    if text == "":
        return None
    if type_ == "integer":
        return int(text)
    if type_ == "number":
        return Decimal(text)
    if type_ == "boolean":
        return text == "true"
    if type_ == "datetime":
        return parse_datetime(text.replace("Z", "+00:00"))
    return text


@contextmanager
def _keeping_timestamps(model):
    """Keep the package's ``updated_at`` instead of stamping the time of the load."""
    field = model._meta.get_field("updated_at")
    field.auto_now = False
    try:
        yield
    finally:
        field.auto_now = True


def _open(path) -> tuple[zipfile.ZipFile, dict]:
    try:
        archive = zipfile.ZipFile(path)
        descriptor = json.loads(archive.read("datapackage.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise PackageError(f"{path}: not a data package ({error})") from error
    resources = {r.get("name"): r for r in descriptor.get("resources", [])}
    missing = [table.name for table in TABLES if table.name not in resources]
    if missing:
        raise PackageError(f"{path}: missing tables: {', '.join(missing)}")
    return archive, resources


def load_datapackage(path, progress=None) -> tuple[dict[str, int], list[str]]:
    """Load the package at ``path``; return the rows per table and any status disagreements."""
    say = progress or (lambda message: None)
    if Person.objects.exists() or Source.objects.exists():
        raise PackageError(
            "The database is not empty: a data package loads into an empty database only."
        )
    archive, resources = _open(path)
    counts, statuses = {}, {}
    with transaction.atomic(), ExitStack() as stack:
        for table in TABLES:
            if any(column.load == "updated_at" for column in table.columns):
                stack.enter_context(_keeping_timestamps(rule.editorial(table.model)))
            member = resources[table.name]["path"]
            objects = list(_read(archive, member, table))
            try:
                rule.editorial(table.model).objects.bulk_create(objects, batch_size=2000)
            except IntegrityError as error:
                raise PackageError(f"{member}: {error}") from error
            counts[table.name] = len(objects)
            say(f"{table.name}: {len(objects):,} rows")
            if rule.editorial(table.model) is Person:
                statuses = {p.pk: (p.current_status, p.status_since) for p in objects}
        refresh_statuses()
        say("statuses recomputed")
        publishing.adopt_published()  # bulk_create bypassed the publishing services
        say("published edition derived")
        duplicates.rebuild(progress=say)
    recomputed = Person.objects.values_list("pk", "current_status", "status_since")
    disagreements = [
        f"person {pk}: the package says {statuses[pk][0]} since {statuses[pk][1] or '?'}, "
        f"the loaded records give {status} since {since or '?'}"
        for pk, status, since in recomputed
        if statuses.get(pk, (status, since)) != (status, since)
    ]
    return counts, disagreements


def _cited_record(values: dict, row) -> None:
    """The cited record's content type, from the model name in ``record_type``."""
    kinds = {model._meta.model_name: model for model in rule.cited_models()}
    model = kinds.get(row["record_type"])
    if model is None:
        raise ValueError(f"record_type: unknown kind of record “{row['record_type']}”")
    values["content_type"] = ContentType.objects.get_for_model(model)


def _read(archive: zipfile.ZipFile, member: str, table: PackageTable) -> Iterator:
    """The model instances of one table's file, validated."""
    model = rule.editorial(table.model)
    columns = [column for column in table.columns if column.load]
    links = [field.name for field in model._meta.fields if field.is_relation]
    text = archive.read(member).decode("utf-8")
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            values, empty = {}, []
            for column in columns:
                value = _convert(row.get(column.name, ""), column.type)
                field = model._meta.get_field(column.load)
                if isinstance(field, URLField) and value and WITHHELD in value:
                    value = ""  # the redactor replaced a URL naming a withheld person
                if value is None:
                    if field.null:
                        empty.append(field.name)  # a null the model allows
                    else:
                        value = ""
                values[column.load] = value
            if issubclass(model, ReviewedModel):
                values["state"] = EditorialState.PUBLISHED
            if table.complete:
                table.complete(values, row)
            if model is Citation:
                _cited_record(values, row)
            obj = model(**values)
            if hasattr(obj, "set_search_fields"):
                obj.set_search_fields()  # derived columns that save() would set
            # Links are checked by the database's (deferred) foreign keys at commit: a
            # figure may be part of another in the same table.
            obj.full_clean(
                exclude=[*empty, *links], validate_unique=False, validate_constraints=False
            )
        except (KeyError, ValueError, ArithmeticError, ValidationError) as error:
            raise PackageError(f"{member}, line {line}: {error}") from error
        yield obj
