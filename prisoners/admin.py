"""
Admin registration for people and custody records. A plain registration for now; the
editors' workspace (review workflow, roles, duplicate warnings) is built on top of it.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import CitationInline
from tracker.editorial_admin import EditorialAdminMixin, EditorialInlineMixin

from .duplicates import duplicates_of
from .models import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Event,
    EventParticipant,
    Facility,
    FacilityName,
    FacilityStay,
    Person,
    PersonIdentifier,
    PersonName,
    Recognition,
    Release,
    ReportedFigure,
)
from .search import search_people
from .services import merge_people


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 0


class PersonIdentifierInline(admin.TabularInline):
    model = PersonIdentifier
    extra = 0


class RecognitionInline(EditorialInlineMixin, admin.TabularInline):
    model = Recognition
    extra = 0
    fields = ["organisation", "recognised_on", "statement_url", "state"]


class DetentionInline(EditorialInlineMixin, admin.TabularInline):
    model = Detention
    extra = 0
    fields = ["started_on", "place", "authority", "state"]
    show_change_link = True


@admin.register(Person)
class PersonAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "current_status", "status_since", "state", "updated_at"]
    list_filter = ["current_status", "state", "gender", "region"]
    search_fields = ["name"]  # the search itself is prisoners.search (get_search_results)
    readonly_fields = ["current_status", "status_since"]
    inlines = [
        PersonNameInline,
        PersonIdentifierInline,
        RecognitionInline,
        DetentionInline,
        CitationInline,
    ]
    actions = [*EditorialAdminMixin.actions, "merge_selected"]

    def get_search_results(self, request, queryset, search_term):
        """Every spelling, in any script: the same search as the public API's ``q``."""
        if not search_term.strip():
            return queryset, False
        return search_people(queryset, search_term, public=False), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for other, reason in duplicates_of(form.instance):
            url = reverse("admin:prisoners_person_change", args=[other.pk])
            messages.warning(
                request,
                format_html(
                    'Possible duplicate: <a href="{}">{}</a> ({}).', url, other.name, reason
                ),
            )

    @admin.action(description="Merge the selected people into the oldest record")
    def merge_selected(self, request, queryset):
        if not request.user.has_perm("prisoners.delete_person"):
            self.message_user(request, "Only reviewers may merge records.", messages.ERROR)
            return
        people = list(queryset.order_by("pk"))
        if len(people) < 2:
            self.message_user(request, "Select at least two people to merge.", messages.WARNING)
            return
        keep = people[0]
        for other in people[1:]:
            merge_people(keep=keep, other=other, user=request.user)
        self.message_user(request, f"Merged {len(people) - 1} record(s) into {keep.name}.")


class ChargeInline(admin.TabularInline):
    model = Charge
    extra = 0
    autocomplete_fields = ["article"]


class FacilityStayInline(admin.TabularInline):
    model = FacilityStay
    extra = 0
    autocomplete_fields = ["facility"]


class CourtDecisionInline(EditorialInlineMixin, admin.StackedInline):
    model = CourtDecision
    extra = 0


class ReleaseInline(EditorialInlineMixin, admin.TabularInline):
    model = Release
    extra = 0


@admin.register(Detention)
class DetentionAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "started_on", "authority", "state"]
    list_filter = ["state"]
    list_select_related = ["person"]
    search_fields = ["person__name", "person__names__name"]
    autocomplete_fields = ["person"]
    inlines = [ChargeInline, FacilityStayInline, CourtDecisionInline, ReleaseInline, CitationInline]


class FacilityNameInline(admin.TabularInline):
    model = FacilityName
    extra = 0


@admin.register(Facility)
class FacilityAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "city", "kind", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "city", "other_names__name"]
    inlines = [FacilityNameInline, CitationInline]


@admin.register(CriminalArticle)
class CriminalArticleAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "code"]
    search_fields = ["number", "title"]


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Event)
class EventAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "happened_on", "kind", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    inlines = [ParticipantInline, CitationInline]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["counted", "qualifier", "value", "as_of", "counted_by", "state"]
    list_filter = ["state", "qualifier"]
    search_fields = ["counted", "counted_by"]
    inlines = [CitationInline]


class OwnedRecordAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "state", "updated_at"]
    list_filter = ["state"]


for model in (CourtDecision, Release, Recognition):
    admin.site.register(model, OwnedRecordAdmin)
