"""
Spreadsheet import in the admin (django-import-export, with its preview and confirm step),
with the columns of our CSV exports: export, edit in a spreadsheet, import.

A resource is made from the export's column definitions (``spreadsheet_resource``): it
reads the columns that hold an editable field of the model (``Column.load``); the
exports' derived columns (such as current_status) are ignored. Rows match records by
``id``; unchanged rows are skipped. The rules of the admin hold: new records are drafts,
a change by someone who may not publish sends a published record back to review, and
the formula guard the export adds (a leading ') is removed. A row is refused if its
record changed since the file was exported (its ``updated_at`` column) in a field the row
would change: nothing of that row is imported, and the preview says what changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .concurrency import changed_since_export, read_exported_at
from .csv_streams import Column, remove_guard
from .editorial import EditorialState
from .editorial_admin import PUBLISH

# The exports' column of when a record last changed: what an import checks rows against.
EXPORTED_AT = "updated_at"


class TrackerResource(resources.ModelResource):
    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = remove_guard(value)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """
        Unchanged rows are skipped. A row that would change a record is refused if the
        record changed, since the file was exported, in a field the row changes: the
        file's ``updated_at`` says when the record last changed as exported (a file
        without that column, or a row without a value in it, is not checked).
        """
        if super().skip_row(instance, original, row, import_validation_errors):
            return True
        stale = self.changed_since_export(instance, original, row)
        if stale:
            errors = dict(import_validation_errors or {})
            errors[NON_FIELD_ERRORS] = [*errors.get(NON_FIELD_ERRORS, []), stale]
            raise ValidationError(errors)
        return False

    def changed_since_export(self, instance, original, row) -> str:
        """Why the row may not be imported, or "" (see ``skip_row``)."""
        exported = str(row.get(EXPORTED_AT) or "").strip()
        if not exported or original is None or original.pk is None or instance._state.adding:
            return ""
        try:
            exported_at = read_exported_at(exported)
        except ValueError:
            return _(
                "%(column)s is not a time as the export writes it (%(value)s): it tells "
                "whether the record changed since the export. Export the file again."
            ) % {"column": EXPORTED_AT, "value": exported}
        model = type(instance)
        columns = {f.attribute for f in self.get_import_fields() if f.column_name in row}
        changing = [
            f
            for f in model._meta.concrete_fields
            if f.name in columns
            and not f.primary_key
            and f.value_from_object(instance) != f.value_from_object(original)
        ]
        change = changed_since_export(original, changing, exported_at)
        if change is None:
            return ""
        return change.message(
            _("since the file was exported"),
            _(
                "Nothing of this row was imported: export the file again and make your "
                "change in it."
            ),
        )

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        may_publish = user is not None and user.has_perm(PUBLISH)
        if instance.pk is None:
            instance.state = EditorialState.DRAFT
        elif instance.state == EditorialState.PUBLISHED and not may_publish:
            instance.state = EditorialState.IN_REVIEW
        if user is not None:
            instance._history_user = user


def importable(model: type[Model], columns: Iterable[Column]) -> list[Column]:
    """The columns a spreadsheet may change: the id and those holding an editable field."""
    chosen = []
    for column in columns:
        if not column.load:
            continue
        field = model._meta.get_field(column.load)
        if field.primary_key or field.editable:
            chosen.append(column)
    return chosen


def spreadsheet_resource(
    model: type[Model], columns: Iterable[Column], *, base=TrackerResource, **attrs
) -> type[TrackerResource]:
    """
    A resource class for ``model`` that reads the importable ``columns``: a column that
    holds a foreign key's id (``person_id``) reads the linked record by id.
    """
    names = []
    declared = {}
    for column in importable(model, columns):
        field = model._meta.get_field(column.load)
        names.append(column.name)
        if field.is_relation and column.name == field.attname:
            declared[column.name] = fields.Field(
                attribute=field.name,
                column_name=column.name,
                widget=widgets.ForeignKeyWidget(field.related_model, field="pk"),
            )
        elif column.name != field.name:
            declared[column.name] = fields.Field(attribute=field.name, column_name=column.name)

    class Meta:
        pass

    Meta.model = model
    Meta.fields = names
    Meta.import_id_fields = ["id"]
    Meta.skip_unchanged = True
    Meta.report_skipped = True
    Meta.clean_model_instances = True
    name = f"{model.__name__}Resource"
    return type(base)(
        name,
        (base,),
        {"__module__": attrs.pop("__module__", base.__module__), **declared, "Meta": Meta, **attrs},
    )
