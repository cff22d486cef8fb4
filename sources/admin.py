"""Sources, organisations and citations in the editors' admin, with the review workflow."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker.lib.editorial_admin import (
    EditorialAdminMixin,
    EditorialInlineMixin,
    WaitingForReviewFilter,
)
from tracker.lib.labels_admin import LabelsAdminMixin, label_column, searched_labels
from tracker.lib.spreadsheet_admin import CsvImportMixin

from .claims import citable_fields, cited_models
from .models import Citation, Organisation, Source
from .resources import SourceResource


def cited_field(models) -> forms.ChoiceField:
    """
    A citation's ``field`` as editors choose it: a select of the cited record's fields by
    their names in the admin's language (for a new citation whose kind of record is not
    chosen yet, every kind's fields, grouped by kind). A name that is not offered is a
    form error; the model's ``clean`` refuses it on every other route.
    """
    db_field = Citation._meta.get_field("field")

    def named(model):
        return [(field.name, capfirst(field.verbose_name)) for field in citable_fields(model)]

    whole = [("", _("(the whole record)"))]
    if len(models) == 1:
        choices = whole + named(models[0])
    else:
        choices = whole + [(capfirst(model._meta.verbose_name), named(model)) for model in models]
    return forms.ChoiceField(
        choices=choices,
        required=False,
        label=capfirst(db_field.verbose_name),
        help_text=db_field.help_text,
    )


class CitationInline(EditorialInlineMixin, GenericTabularInline):
    """Citations of any record, editable on that record's page, each with its own state."""

    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "field", "stated_value", "quote", "locator", "confidence", "state"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field":
            return cited_field([self.parent_model])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Each row is titled with its record's kind: not a query per row.
        return super().get_queryset(request).select_related("content_type")


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
    list_display = ["__str__", "source", "field_shown", "stated_value", "confidence", "state"]
    list_filter = ["state", "confidence", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["source__title"]  # see get_search_results
    autocomplete_fields = ["source"]

    @admin.display(description=_("field"), ordering="field")
    def field_shown(self, citation):
        return capfirst(citation.field_label())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "field" in form.base_fields:
            models = [obj.content_type.model_class()] if obj is not None else cited_models()
            form.base_fields["field"] = cited_field(models)
        return form

    def get_search_results(self, request, queryset, search_term):
        """
        The citations of the sources whose title, publisher or URL holds every word: a
        search of the sources table, then the citations by their indexed source, never
        ``LIKE`` over every citation's quote (a scan of a million rows at 100,000 people).
        A record's own citations are on its page.
        """
        if not search_term.strip():
            return queryset, False
        sources = Source.objects.all()
        for word in search_term.split():
            sources = sources.filter(
                Q(title__icontains=word) | Q(publisher__icontains=word) | Q(url__icontains=word)
            )
        return queryset.filter(source__in=sources.values("pk")), False

    def review_record(self, obj):
        """A citation waits with the record it cites."""
        return obj.record
