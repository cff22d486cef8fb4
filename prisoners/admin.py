"""
Admin registration for people and custody records, with the review workflow
(``tracker.lib.editorial_admin``) on every record and on every part of one: name
variants, identifiers, charges, facility stays, facility names, event participants and
citations are inline rows with their own state; criminal-code articles have their page.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import CitationInline
from tracker.lib import admin_download
from tracker.lib.editorial_admin import (
    EditorialAdminMixin,
    EditorialInlineMixin,
    WaitingForReviewFilter,
)
from tracker.lib.labels_admin import LabelsAdminMixin, label_column, searched_labels
from tracker.lib.partial_dates import parse_partial_date, read_partial_date
from tracker.lib.spreadsheet_admin import CsvImportMixin

from . import duplicates, rule
from .admin_downloads import AdminDownload
from .exports import EXPORTS
from .importing.spreadsheet import DetentionResource, PersonResource
from .models import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    DuplicatePair,
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


def people_matching(term: str):
    """The ids of the people whose name matches ``term`` in any spelling (``prisoners.search``)."""
    return search_people(Person.objects.all(), term, public=False).order_by().values("pk")


class SearchByPersonMixin:
    """
    The change list's search, and the autocomplete of this model's records, find records by
    any spelling of their person's name through the indexed name keys (``prisoners.search``),
    never by ``LIKE`` over a join of every record with every name variant.
    """

    person_path = "person"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(**{f"{self.person_path}__in": people_matching(search_term)}), False


class PersonNameInline(EditorialInlineMixin, admin.TabularInline):
    model = PersonName
    extra = 0


class PersonIdentifierInline(EditorialInlineMixin, admin.TabularInline):
    model = PersonIdentifier
    extra = 0


class RecognitionInline(EditorialInlineMixin, admin.TabularInline):
    model = Recognition
    extra = 0
    fields = ["organisation", "recognised_on", "statement_url", "state"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organisation")


class DetentionInline(EditorialInlineMixin, admin.TabularInline):
    model = Detention
    extra = 0
    fields = ["started_on", "place", "authority", "state"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class KnownValuesFilter(admin.AllValuesFieldListFilter):
    """
    A field's distinct values, as Django's "all values" filter offers them, read again only
    when a record of the model has changed since (its newest ``updated_at``, one indexed
    row), not with a DISTINCT over 100,000 people on every page of the list.
    """

    _known: dict = {}  # (model, field) -> (newest updated_at, values), per process

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        newest = model._default_manager.aggregate(newest=Max("updated_at"))["newest"]
        key = (model._meta.label, field_path)
        known = self._known.get(key)
        if known is None or known[0] != newest:
            known = (newest, list(self.lookup_choices))
            self._known[key] = known
        self.lookup_choices = known[1]


class FacilityFilter(admin.SimpleListFilter):
    title = _("facility (ever held)")
    parameter_name = "facility"

    def lookups(self, request, model_admin):
        return sorted(((f.pk, str(f)) for f in Facility.objects.all()), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if self.value():
            stays = FacilityStay.objects.filter(facility_id=self.value())
            return queryset.filter(pk__in=stays.values("detention__person_id"))
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    title = _("criminal-code article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        return [
            (a.pk, _("Art. %(number)s") % {"number": a.number})
            for a in CriminalArticle.objects.all()
        ]

    def queryset(self, request, queryset):
        if self.value():
            charges = Charge.objects.filter(article_id=self.value())
            return queryset.filter(pk__in=charges.values("detention__person_id"))
        return queryset


class RecognisedByFilter(admin.SimpleListFilter):
    title = _("recognised by")
    parameter_name = "recognised_by"

    def lookups(self, request, model_admin):
        from sources.models import Organisation

        return [(o.pk, str(o)) for o in Organisation.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            recognitions = Recognition.objects.filter(organisation_id=self.value())
            return queryset.filter(pk__in=recognitions.values("person_id"))
        return queryset


class PossibleDuplicatesFilter(admin.SimpleListFilter):
    """People in an open pair of possible duplicates (``prisoners.duplicates``)."""

    title = _("possible duplicates")
    parameter_name = "duplicates"

    def lookups(self, request, model_admin):
        return [("probable", _("same name key as another person"))]

    def queryset(self, request, queryset):
        if self.value() == "probable":
            pairs = duplicates.open_pairs()
            return queryset.filter(
                Q(pk__in=pairs.values("person_a")) | Q(pk__in=pairs.values("person_b"))
            )
        return queryset


class DetainedBetweenFilter(admin.ListFilter):
    """
    People with a detention that may have started between two partial dates ("2020",
    "06.2020", "June 2020", "25.06.2020", … as the date fields read them; either end may
    be left open), by the same rule as the API.
    """

    title = _("detained between")
    template = "admin/date_range_filter.html"
    parameters = ("detained_from", "detained_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.values = {}
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                self.values[name] = (value[-1] if isinstance(value, list) else value).strip()
        self.other_params = [
            (key, value)
            for key, values in request.GET.lists()
            for value in values
            if key not in self.parameters and key != "p"
        ]

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def choices(self, changelist):
        return []

    def queryset(self, request, queryset):
        try:
            start = parse_partial_date(read_partial_date(self.values.get("detained_from", "")))
            end = parse_partial_date(read_partial_date(self.values.get("detained_to", "")))
        except ValidationError as error:
            raise IncorrectLookupParameters(error) from error
        if start is None and end is None:
            return queryset
        detentions = Detention.objects.all()
        if start is not None:
            detentions = detentions.filter(started_on_latest__gte=start.earliest)
        if end is not None:
            detentions = detentions.filter(started_on_earliest__lte=end.latest)
        return queryset.filter(pk__in=detentions.values("person_id"))


class PersonChangeList(ChangeList):
    """
    The people list, with each person's custody columns read for the whole page in four
    queries of plain values (the latest detention's start and facility, every article
    charged): not thousands of detentions, stays and charges built as model objects.
    """

    def get_results(self, request):
        super().get_results(request)
        people = {person.pk: person for person in self.result_list}
        latest = {}  # person -> (detention, its start), the latest by earliest start
        for pk, person, started_on in (
            Detention.objects.filter(person_id__in=list(people))
            .order_by("started_on_earliest", "pk")
            .values_list("pk", "person_id", "started_on")
        ):
            latest[person] = (pk, started_on)
        stays = {}  # detention -> its last facility
        for detention, facility in (
            FacilityStay.objects.filter(detention_id__in=[pk for pk, _start in latest.values()])
            .order_by(*FacilityStay._meta.ordering)
            .values_list("detention_id", "facility_id")
        ):
            stays[detention] = facility
        facilities = {f.pk: str(f) for f in Facility.objects.filter(pk__in=set(stays.values()))}
        articles = {pk: set() for pk in people}
        for person, number, part in Charge.objects.filter(
            detention__person_id__in=list(people), article__isnull=False
        ).values_list("detention__person_id", "article__number", "part"):
            articles[person].add(f"{number}-{part}" if part else number)
        for pk, person in people.items():
            detention, started_on = latest.get(pk, (None, ""))
            person.custody_columns = {
                "detained_since": started_on,
                "facility": facilities.get(stays.get(detention), ""),
                "articles": articles[pk],
            }


@admin.register(Person)
class PersonAdmin(CsvImportMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    resource_classes = [PersonResource]
    list_display = [
        "name",
        "current_status",
        "detained_since",
        "current_facility",
        "articles",
        "state",
        "updated_at",
    ]
    list_filter = [
        "current_status",
        "state",
        WaitingForReviewFilter,
        "gender",
        ("region", KnownValuesFilter),
        FacilityFilter,
        ArticleFilter,
        RecognisedByFilter,
        DetainedBetweenFilter,
        PossibleDuplicatesFilter,
    ]
    list_per_page = 100
    search_fields = ["name"]  # the search itself is prisoners.search (get_search_results)
    readonly_fields = ["current_status", "status_since", "custody_record"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_withheld",
                    "public_descriptor",
                    "gender",
                    "birth_date",
                    "occupation",
                    "affiliation",
                    "country",
                    "region",
                    "biography",
                    "photo_url",
                ]
            },
        ),
        (
            _("Custody record, in order"),
            {"fields": ["current_status", "status_since", "custody_record"]},
        ),
        (_("Review and private notes"), {"fields": ["state", "editors_notes", "private_contacts"]}),
    ]
    inlines = [
        PersonNameInline,
        PersonIdentifierInline,
        RecognitionInline,
        DetentionInline,
        CitationInline,
    ]
    actions = [*EditorialAdminMixin.actions, "merge_selected"]

    def get_changelist(self, request, **kwargs):
        return PersonChangeList

    @admin.display(description=_("detentions, decisions and releases"))
    def custody_record(self, person):
        """Every detention with its decisions and releases, in order, each one click away."""
        if not person.pk:
            return "—"
        lines = []
        detentions = person.detentions.order_by("started_on_earliest", "pk").prefetch_related(
            "decisions", "releases"
        )
        for detention in detentions:
            items = [(detention, _("detained"), detention.started_on)]
            items += [
                (d, _("decision"), f"{d.decided_on} {d.term_text}")
                for d in detention.decisions.all()
            ]
            items += [(r, r.get_kind_display(), r.released_on) for r in detention.releases.all()]
            for record, label, text in items:
                url = reverse(f"admin:prisoners_{record._meta.model_name}_change", args=[record.pk])
                lines.append(
                    format_html(
                        '<li><a href="{}">{}</a> {} <span class="quiet">({})</span></li>',
                        url,
                        label,
                        text or _("date unknown"),
                        record.get_state_display(),
                    )
                )
        if not lines:
            return _("No detention recorded yet.")
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((line,) for line in lines)))

    @admin.display(description=_("detained since"))
    def detained_since(self, person):
        return person.custody_columns["detained_since"]

    @admin.display(description=_("facility"))
    def current_facility(self, person):
        return person.custody_columns["facility"]

    @admin.display(description=_("articles"))
    def articles(self, person):
        return ", ".join(sorted(person.custody_columns["articles"]))

    def get_search_results(self, request, queryset, search_term):
        """Every spelling, in any script: the same search as the public API's ``q``."""
        if not search_term.strip():
            return queryset, False
        return search_people(queryset, search_term, public=False), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person = form.instance
        for pair in duplicates.pairs_of(person):  # found as the names were saved
            other = pair.person_b if pair.person_a_id == person.pk else pair.person_a
            url = reverse("admin:prisoners_person_change", args=[other.pk])
            messages.warning(
                request,
                format_html(
                    _('Possible duplicate: <a href="{url}">{name}</a> ({reason}: {spellings}).'),
                    url=url,
                    name=other.name,
                    reason=pair.get_reason_display(),
                    spellings=pair.spellings,
                ),
            )

    @admin.action(description=_("Merge the selected people into the oldest record"))
    def merge_selected(self, request, queryset):
        if not request.user.has_perm("prisoners.delete_person"):
            self.message_user(request, _("Only reviewers may merge records."), messages.ERROR)
            return
        people = list(queryset.order_by("pk"))
        if len(people) < 2:
            self.message_user(request, _("Select at least two people to merge."), messages.WARNING)
            return
        keep = people[0]
        for other in people[1:]:
            merge_people(keep=keep, other=other, user=request.user)
        merged = len(people) - 1
        self.message_user(
            request,
            ngettext(
                "Merged %(count)s record into %(name)s.",
                "Merged %(count)s records into %(name)s.",
                merged,
            )
            % {"count": merged, "name": keep.name},
        )


class ChargeInline(EditorialInlineMixin, admin.TabularInline):
    model = Charge
    extra = 0
    autocomplete_fields = ["article"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


class FacilityStayInline(EditorialInlineMixin, admin.TabularInline):
    model = FacilityStay
    extra = 0
    autocomplete_fields = ["facility"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility")


class CourtDecisionInline(EditorialInlineMixin, admin.StackedInline):
    model = CourtDecision
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("detention__person")


class ReleaseInline(EditorialInlineMixin, admin.TabularInline):
    model = Release
    extra = 0


@admin.register(Detention)
class DetentionAdmin(SearchByPersonMixin, CsvImportMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    resource_classes = [DetentionResource]
    list_display = ["person", "started_on", "authority", "state"]
    list_filter = ["state", WaitingForReviewFilter]
    list_select_related = ["person"]
    search_fields = ["person__name"]  # the search itself is prisoners.search (SearchByPersonMixin)
    autocomplete_fields = ["person"]
    inlines = [ChargeInline, FacilityStayInline, CourtDecisionInline, ReleaseInline, CitationInline]

    def get_queryset(self, request):
        # A detention's name is its person's: the autocomplete's page of 20 in one query.
        return super().get_queryset(request).select_related("person")


class FacilityNameInline(EditorialInlineMixin, admin.TabularInline):
    model = FacilityName
    extra = 0


@admin.register(Facility)
class FacilityAdmin(LabelsAdminMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    labels = ("name", "city")
    list_display = [
        label_column("name", _("name")),
        label_column("city", _("city")),
        "kind",
        "state",
    ]
    list_filter = ["state", WaitingForReviewFilter, "kind"]
    search_fields = [*searched_labels("name", "city"), "other_names__name"]
    inlines = [FacilityNameInline, CitationInline]


@admin.register(CriminalArticle)
class CriminalArticleAdmin(LabelsAdminMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    """Articles are shared by many charges: reviewed on their own page, not with a charge."""

    labels = ("title",)
    list_display = ["number", label_column("title", _("title")), "code", "state"]
    list_filter = ["state", "code"]
    search_fields = ["number", *searched_labels("title")]


class ParticipantInline(EditorialInlineMixin, admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "event")


@admin.register(Event)
class EventAdmin(LabelsAdminMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    labels = ("title",)
    list_display = [label_column("title", _("title")), "happened_on", "kind", "state"]
    list_filter = ["state", WaitingForReviewFilter, "kind"]
    search_fields = searched_labels("title")
    autocomplete_fields = ["facility"]
    inlines = [ParticipantInline, CitationInline]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["counted", "qualifier", "value", "as_of", "counted_by", "state"]
    list_filter = ["state", WaitingForReviewFilter, "qualifier"]
    search_fields = ["counted", "counted_by"]
    autocomplete_fields = ["part_of", "event"]
    list_select_related = ["event"]
    inlines = [CitationInline]


class OwnedRecordAdmin(SearchByPersonMixin, EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "state", "updated_at"]
    list_filter = ["state", WaitingForReviewFilter]
    inlines = [CitationInline]


# Each record's __str__ names its person: select it with the page, not row by row. Its
# links (to a detention among 300,000, a person among 100,000) are autocompletes, and the
# search finds the records of a person by any spelling of the name.
for model, related, links in (
    (CourtDecision, ["detention__person"], ["detention"]),
    (Release, ["detention__person"], ["detention"]),
    (Recognition, ["person", "organisation"], ["person", "organisation"]),
):
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (OwnedRecordAdmin,),
            {
                "list_select_related": related,
                "autocomplete_fields": links,
                "person_path": related[0],
                "search_fields": [f"{related[0]}__name"],  # searched by SearchByPersonMixin
            },
        ),
    )


# "Download CSV" on the list of every model a public CSV file covers (prisoners.admin_downloads).
for export in EXPORTS.values():
    admin_download.register(rule.editorial(export.model), AdminDownload(export))


@admin.register(DuplicatePair)
class DuplicatePairAdmin(admin.ModelAdmin):
    """
    Possible duplicates, found as names change (``prisoners.duplicates``): editors dismiss
    a pair (it stays dismissed) or, if they may delete people, merge it.
    """

    list_display = ["first", "second", "score", "reason", "spellings", "status"]
    list_filter = ["status", "reason"]
    list_select_related = ["person_a", "person_b"]
    list_per_page = 100
    show_full_result_count = False
    search_fields = ["spellings"]  # the search itself is prisoners.search (get_search_results)
    fields = [
        *["first", "second", "score", "reason", "spellings"],
        *["status", "decided_by", "decided_at"],
    ]
    readonly_fields = fields
    actions = ["dismiss", "reopen", "merge"]

    def has_add_permission(self, request):
        return False  # pairs are found, not entered

    def has_delete_permission(self, request, obj=None):
        return False  # a decision is kept: dismiss instead

    @admin.display(description=_("person"), ordering="person_a__public_name")
    def first(self, pair):
        return _person_link(pair.person_a)

    @admin.display(description=_("possibly the same as"), ordering="person_b__public_name")
    def second(self, pair):
        return _person_link(pair.person_b)

    def get_search_results(self, request, queryset, search_term):
        """Pairs with a person whose name matches, in any spelling (``prisoners.search``)."""
        if not search_term.strip():
            return queryset, False
        people = people_matching(search_term)
        matching = queryset.filter(Q(person_a__in=people) | Q(person_b__in=people))
        return matching.order_by(*self.get_ordering(request) or DuplicatePair._meta.ordering), False

    @admin.action(description=_("Dismiss the selected pairs: not the same person"))
    def dismiss(self, request, queryset):
        count = duplicates.dismiss(queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)s pair dismissed.", "%(count)s pairs dismissed.", count)
            % {"count": count},
        )

    @admin.action(description=_("Reopen the selected pairs"))
    def reopen(self, request, queryset):
        count = duplicates.reopen(queryset)
        self.message_user(
            request,
            ngettext("%(count)s pair reopened.", "%(count)s pairs reopened.", count)
            % {"count": count},
        )

    @admin.action(description=_("Merge each selected pair into its older record"))
    def merge(self, request, queryset):
        if not request.user.has_perm("prisoners.delete_person"):
            self.message_user(request, _("Only reviewers may merge records."), messages.ERROR)
            return
        merged = 0
        for pk in list(queryset.order_by("person_a", "person_b").values_list("pk", flat=True)):
            # An earlier merge of the same action may have taken this pair with it.
            pair = DuplicatePair.objects.filter(pk=pk).select_related("person_a", "person_b")
            pair = pair.first()
            if pair is None:
                continue
            merge_people(keep=pair.person_a, other=pair.person_b, user=request.user)
            merged += 1
        self.message_user(
            request,
            ngettext("%(count)s pair merged.", "%(count)s pairs merged.", merged)
            % {"count": merged},
        )


def _person_link(person):
    url = reverse("admin:prisoners_person_change", args=[person.pk])
    birth = f" · {person.birth_date}" if person.birth_date else ""
    return format_html('<a href="{}">{}</a>{}', url, person.name, birth)
