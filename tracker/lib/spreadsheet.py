"""
Spreadsheet import in the admin (django-import-export, with its preview and confirm step),
with the columns of our CSV exports: export, edit in a spreadsheet, import.

A resource is made from the export's column definitions (``spreadsheet_resource``): it
reads the columns that hold an editable field of the model (``Column.load``); the
exports' derived columns (such as current_status) are ignored. Rows match records by
``id``; unchanged rows are skipped. The rules of the admin hold: new records are drafts,
a change by someone who may not publish sends a published record back to review, and
the formula guard the export adds (a leading ') is removed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model
from import_export import fields, resources, widgets
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from .csv_streams import FORMULA_START, Column
from .editorial import EditorialState
from .editorial_admin import PUBLISH


class CsvImportMixin(ImportMixin):
    """The admin's import, for CSV files like our exports."""

    import_formats = [CSV]


class TrackerResource(resources.ModelResource):
    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_START:
                row[key] = value[1:]

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
