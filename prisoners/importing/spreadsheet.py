"""
The admin's spreadsheet import of people and detentions: the columns of
``/exports/prisoners.csv`` and ``/exports/detentions.csv`` read back (see
``tracker.lib.spreadsheet`` for what every such import does).

What the export showed in place of a stored value (the descriptor for a withheld name,
the masked fields of a withheld person: ``prisoners.rule.WITHHELD_MASKS``) is not a
change: a cell that still shows it keeps the stored value, so a withheld name is never
replaced by its descriptor, nor a birth date by its year. A cell an editor changed is
saved as usual.
"""

from tracker.lib.csv_streams import query_fields
from tracker.lib.spreadsheet import TrackerResource, importable, spreadsheet_resource

from ..exports.base import CsvDownload
from ..exports.custody import DETENTIONS_CSV
from ..exports.people import PRISONERS_CSV
from ..models import Detention, Person


class ReadBackResource(TrackerResource):
    """A resource for the importable columns of a CSV download (``export``)."""

    export: CsvDownload

    def import_instance(self, instance, row, **kwargs):
        shown_instead = [
            column
            for column in importable(type(instance), self.export.columns)
            if column.read not in ("", column.load) and column.name != "id"
        ]
        stored = {column.load: getattr(instance, column.load) for column in shown_instead}
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None or not shown_instead:
            return
        record = (
            self.export.queryset()
            .filter(pk=instance.pk)
            .values(*query_fields(shown_instead))
            .first()
        )
        if record is None:
            return  # not public: the export did not show it
        for column in shown_instead:
            if getattr(instance, column.load) == column.value(record):
                setattr(instance, column.load, stored[column.load])


PersonResource = spreadsheet_resource(
    Person, PRISONERS_CSV.columns, base=ReadBackResource, export=PRISONERS_CSV, __module__=__name__
)
DetentionResource = spreadsheet_resource(
    Detention,
    DETENTIONS_CSV.columns,
    base=ReadBackResource,
    export=DETENTIONS_CSV,
    __module__=__name__,
)
