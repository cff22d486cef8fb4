"""
Spreadsheet import in the admin (django-import-export, with its preview and confirm step),
with the same columns as our CSV exports: export, edit in a spreadsheet, import.

Rows match records by ``id``; columns the resource does not know (the exports' derived
columns, such as current_status) are ignored; unchanged rows are skipped. The rules of
the admin hold: new records are drafts, a change by someone who may not publish sends a
published record back to review, a withheld name is never replaced by the descriptor
the export shows, and the formula guard the export adds (a leading ') is removed.
"""

from import_export import fields, widgets

from tracker.lib.spreadsheet import TrackerResource

from .models import Detention, Person


class PersonResource(TrackerResource):
    class Meta:
        model = Person
        fields = ["id", "name", "gender", "birth_date", "country", "region", "occupation"]
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None and instance.name_withheld:
            # The export shows the descriptor in place of a withheld name: keep the name.
            instance.name = Person.objects.values_list("name", flat=True).get(pk=instance.pk)
        super().before_save_instance(instance, row, **kwargs)


class DetentionResource(TrackerResource):
    person_id = fields.Field(
        attribute="person",
        column_name="person_id",
        widget=widgets.ForeignKeyWidget(Person, field="pk"),
    )

    class Meta:
        model = Detention
        fields = ["id", "person_id", "started_on", "place", "authority"]
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
