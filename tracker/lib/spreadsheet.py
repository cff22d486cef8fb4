"""
Spreadsheet import in the admin (django-import-export, with its preview and confirm step),
with the same columns as our CSV exports: export, edit in a spreadsheet, import.

Rows match records by ``id``; columns the resource does not know (the exports' derived
columns, such as current_status) are ignored; unchanged rows are skipped. The rules of
the admin hold: new records are drafts, a change by someone who may not publish sends a
published record back to review, a withheld name is never replaced by the descriptor
the export shows, and the formula guard the export adds (a leading ') is removed.
"""

from import_export import resources
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from .csv_streams import FORMULA_START
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
