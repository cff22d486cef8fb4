"""
The admin's "Download CSV" of every list whose records a public CSV file covers (people,
detentions, decisions, releases, facilities, sources, citations, reported figures): the
list as shown, with its filters and search (``tracker.lib.admin_download``), made from
the public file's own columns (``prisoners.exports``), so the two cannot drift.

What the file holds:

- **Every editorial state.** The rows of the list in any state, and the related records
  the derived columns are made of (a draft person's draft detentions count in
  ``first_detained_on``, their draft charges in ``articles``) in any state too
  (``EditorialScope``: the same streams as the public file, read from every state).
- **The public file's columns, in its order,** then ``state`` (draft, in_review or
  published). The same formula guard and ``excel=1`` byte-order mark as the public files.
- **Private fields only for Reviewers** (users who may publish,
  ``prisoners.publish_records``: a second factor is required of them). A file is a
  copy of many records at once that leaves the admin, so whoever may only edit gets what
  the public rule hides of a person whose name is withheld hidden in the file too: the
  descriptor for the name, the masked fields (birth year only, …), no name variants,
  identifiers or citations of theirs, the name redacted from free texts; and no editors'
  notes or contacts. A Reviewer's file shows the withheld name, the fields unmasked, and
  after ``state`` the private columns (``private_columns``): for a person
  ``name_withheld``, ``withheld_name``, ``affiliation``, ``photo_url``,
  ``private_contacts``; for a detention ``case_number`` and ``defence_counsel``; and
  ``editors_notes`` for every record that has them.

The public files stay as they are: ``/exports/`` reads ``prisoners.public`` only.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, replace

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
from django.http import StreamingHttpResponse

from sources.models import Citation
from tracker.lib.csv_streams import Column, derived, field_column, stream_csv
from tracker.lib.editorial_admin import can_publish

from . import public, rule
from .exports.base import CsvDownload
from .exports.views import INCOMPLETE
from .models import Person
from .redaction import OwnName, Redactor

logger = logging.getLogger(__name__)

STATE = field_column("state", "string", "Editorial state: draft, in_review or published.")


def _join(prefix: str, lookup: str) -> str:
    return f"{prefix}__{lookup}" if prefix else lookup


def _withheld(model: type[Model]) -> Q | None:
    """Rows of ``model`` that belong to a person whose name is withheld, or None."""
    path = public.owner_path(model)
    return None if path is None else Q(**{_join(path, "name_withheld"): True})


class EditorialScope:
    """
    What an editor's file reads, in every editorial state (the ``scope`` of the export
    streams, in place of ``prisoners.public``). With ``private=False``, what the public
    rule hides or masks of a withheld person is hidden or masked here too; with
    ``private=True`` nothing is.
    """

    def __init__(self, *, private: bool):
        self.private = private

    def restrict(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` with the rows this file may not hold left out, and annotated with
        the ``public_<field>`` values the export columns read."""
        model = queryset.model
        hidden = None if self.private else self._hidden(model)
        if hidden is not None:
            queryset = queryset.exclude(hidden)
        annotations = {}
        if self.private:
            annotations.update(
                {f"public_{name}": F(name) for name in rule.WITHHELD_MASKS.get(model, {})}
            )
        else:
            annotations.update(rule.masks(model))
        for link in getattr(model, "public_references", ()):
            annotations[f"public_{link}_id"] = F(f"{link}_id")
        if model is Citation:
            # The public file reads the edition's record_type; an editorial citation
            # holds it as its content type.
            annotations["record_type"] = F("content_type__model")
        return queryset.annotate(**annotations) if annotations else queryset

    def _hidden(self, model: type[Model]) -> Q | None:
        if model in rule.IDENTIFYING:
            return _withheld(model)
        if model is Citation:
            hidden = Q(pk__in=[])
            for cited in rule.cited_models():
                withheld = _withheld(cited)
                if withheld is not None:
                    hidden |= Q(
                        content_type=ContentType.objects.get_for_model(cited),
                        object_id__in=cited._default_manager.filter(withheld).values("pk"),
                    )
            return hidden
        return None

    def rows(self, model: type[Model]) -> QuerySet:
        return self.restrict(rule.editorial(model)._default_manager.all())

    def ids(self, model: type[Model]) -> QuerySet:
        return self.rows(model).values("pk")

    def cited(self, model: type[Model]) -> QuerySet:
        """Ids of the rows of ``model`` whose citations this file shows."""
        model = rule.editorial(model)
        rows = model._default_manager.all()
        withheld = None if self.private else _withheld(model)
        return (rows.exclude(withheld) if withheld is not None else rows).values("pk")

    def with_citations(self, model: type[Model]) -> QuerySet:
        """The rows of ``model`` whose citations this file shows, one per citation:
        ``citations__<field>`` in ``values()`` reads it."""
        model = rule.editorial(model)
        rows = model._default_manager.filter(citations__isnull=False)
        withheld = None if self.private else _withheld(model)
        return rows.exclude(withheld) if withheld is not None else rows

    def citations_of_model(self, model: type[Model]) -> QuerySet:
        return Citation.objects.filter(content_type=ContentType.objects.get_for_model(model))


def _own_name(column: Column) -> Column:
    """
    A column of person names as the redactor of a file must see it: a person's own name
    (not a descriptor) is wrapped as ``OwnName``, which the redactor leaves alone, so that
    a namesake of a withheld person keeps their name. (The public files need none of
    this: the edition's names are public already.)
    """
    if column.name == "name_variants":
        return replace(column, read=lambda row: [OwnName(n["name"]) for n in row["names"]])
    if column.name in ("name", "person_name") and len(column.needs) == 2:
        public_name, withheld = column.needs  # base.person_name_needs

        def read(row):
            return row[public_name] if row[withheld] else OwnName(row[public_name])

        return replace(column, read=read)
    return column


def private_columns(model: type[Model], shown: list[Column]) -> list[Column]:
    """The columns a Reviewer's file adds: the fields the public rule hides or masks and
    the file does not show already, contacts and editors' notes (see the docstring)."""
    columns = []
    if model is Person:
        columns += [
            field_column("name_withheld", "boolean", "Whether the name is withheld."),
            derived(
                "withheld_name",
                "string",
                "The name itself where it is withheld (the name column has the descriptor).",
                lambda row: row["name"] if row["name_withheld"] else "",
                needs=("name", "name_withheld"),
            ),
        ]
    loaded = {column.load for column in shown}
    for name in [*rule.WITHHELD_MASKS.get(model, {}), "private_contacts", "editors_notes"]:
        if name in loaded or not any(f.name == name for f in model._meta.concrete_fields):
            continue
        field = model._meta.get_field(name)
        columns.append(field_column(name, "string", str(field.help_text or field.verbose_name)))
    return columns


@dataclass
class AdminDownload:
    """The admin's download of the records of a public CSV file (``export``)."""

    export: CsvDownload

    def columns(self, private: bool) -> list[Column]:
        columns = [*[_own_name(column) for column in self.export.columns], STATE]
        if private:
            columns += private_columns(rule.editorial(self.export.model), self.export.columns)
        return columns

    def __call__(self, request, queryset: QuerySet, *, bom: bool) -> StreamingHttpResponse:
        private = can_publish(request)
        scope = EditorialScope(private=private)
        queryset = scope.restrict(queryset.prefetch_related(None))
        columns = self.columns(private)
        export = self.export
        api_base = (
            request.build_absolute_uri(f"/api/v1/{export.api_view}/") if export.api_view else ""
        )
        redactor = Redactor() if private else Redactor.from_database()

        def lines():
            try:
                with transaction.atomic():
                    rows = export.rows(
                        queryset,
                        redactor=redactor,
                        api_base=api_base,
                        scope=scope,
                        columns=columns,
                    )
                    yield from stream_csv([c.name for c in columns], rows, bom=bom)
            except Exception:
                logger.exception("The admin's download of %s failed while streaming", export.slug)
                yield INCOMPLETE
                raise

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        filename = f"{export.file_stem}-all-states-{datetime.date.today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
