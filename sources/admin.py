"""Sources, organisations and citations in the editors' admin, with the review workflow."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker.lib.editorial_admin import (
    EditorialAdminMixin,
    EditorialInlineMixin,
    WaitingForReviewFilter,
)
from tracker.lib.labels_admin import LabelsAdminMixin, label_column, searched_labels
from tracker.lib.spreadsheet_admin import CsvImportMixin

from .models import Citation, Organisation, Source
from .resources import SourceResource


class CitationInline(EditorialInlineMixin, GenericTabularInline):
    """Citations of any record, editable on that record's page, each with its own state."""

    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "field", "stated_value", "quote", "locator", "confidence", "state"]


@admin.register(Source)
class SourceAdmin(CsvImportMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "publisher", "published_on", "kind", "state", "updated_at"]
    list_filter = ["state", "kind", "language"]
    search_fields = ["title", "publisher", "author", "url"]


@admin.register(Organisation)
class OrganisationAdmin(LabelsAdminMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    labels = ("name", "short_name")
    list_display = [
        label_column("name", _("name")),
        label_column("short_name", _("short name")),
        "slug",
        "kind",
        "state",
    ]
    list_filter = ["state", WaitingForReviewFilter, "kind"]
    search_fields = [*searched_labels("name", "short_name"), "slug"]
    inlines = [CitationInline]


@admin.register(Citation)
class CitationAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "source", "field", "stated_value", "confidence", "state"]
    list_filter = ["state", "confidence", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["quote", "stated_value", "source__title"]
    autocomplete_fields = ["source"]

    def review_record(self, obj):
        """A citation waits with the record it cites."""
        return obj.record
