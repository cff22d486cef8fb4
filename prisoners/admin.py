"""
Admin registration for people and custody records. A plain registration for now; the
editors' workspace (review workflow, roles, duplicate warnings) is built on top of it.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import CitationInline

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


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 0


class PersonIdentifierInline(admin.TabularInline):
    model = PersonIdentifier
    extra = 0


class RecognitionInline(admin.TabularInline):
    model = Recognition
    extra = 0
    fields = ["organisation", "recognised_on", "statement_url", "state"]


class DetentionInline(admin.TabularInline):
    model = Detention
    extra = 0
    fields = ["started_on", "place", "authority", "state"]
    show_change_link = True


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "current_status", "status_since", "state", "updated_at"]
    list_filter = ["current_status", "state", "gender", "region"]
    search_fields = ["name", "names__name"]
    readonly_fields = ["current_status", "status_since"]
    inlines = [
        PersonNameInline,
        PersonIdentifierInline,
        RecognitionInline,
        DetentionInline,
        CitationInline,
    ]


class ChargeInline(admin.TabularInline):
    model = Charge
    extra = 0
    autocomplete_fields = ["article"]


class FacilityStayInline(admin.TabularInline):
    model = FacilityStay
    extra = 0
    autocomplete_fields = ["facility"]


class CourtDecisionInline(admin.StackedInline):
    model = CourtDecision
    extra = 0


class ReleaseInline(admin.TabularInline):
    model = Release
    extra = 0


@admin.register(Detention)
class DetentionAdmin(SimpleHistoryAdmin):
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
class FacilityAdmin(SimpleHistoryAdmin):
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
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "happened_on", "kind", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    inlines = [ParticipantInline, CitationInline]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(SimpleHistoryAdmin):
    list_display = ["counted", "qualifier", "value", "as_of", "counted_by", "state"]
    list_filter = ["state", "qualifier"]
    search_fields = ["counted", "counted_by"]
    inlines = [CitationInline]


for model in (CourtDecision, Release, Recognition):
    admin.site.register(model, SimpleHistoryAdmin)
