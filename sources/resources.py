"""Spreadsheet import of sources in the admin (see ``tracker.lib.spreadsheet``)."""

from tracker.lib.spreadsheet import TrackerResource

from .models import Source


class SourceResource(TrackerResource):
    class Meta:
        model = Source
        fields = [
            "id",
            "kind",
            "title",
            "publisher",
            "author",
            "url",
            "published_on",
            "language",
            "archive_url",
        ]
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
