"""
One FilterSet per public resource, shared by the JSON API and the CSV exports.

Dates and partial dates. A filter bound matches a record whose date *can* fall within it:
``detained_after=2020-06-15`` matches a detention dated "2020-06" (it may have been on the
15th or later) but not one dated "2020-05"; ``detained_before=2020-06-15`` matches
"2020-06" too. In terms of the stored bounds: ``…_after=D`` means latest ≥ D and
``…_before=D`` means earliest ≤ D. Both bounds are inclusive. Records with an unknown date
never match a date filter.

Conditions on the same kind of record are applied together: ``released_after`` and
``release_kind`` must hold for one and the same release, not for two different ones.

Every filter reads the published edition (``edition.models``, through
``prisoners.public``): a filter given the id of a record that is not public (a draft
facility, an unpublished event) matches nothing, exactly like an id that does not exist;
a text filter matches the text as the public sees it, since the edition's texts were
redacted when they were published (searching for a withheld name finds nothing it hides).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from edition.models import (
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
    Recognition,
    Release,
    ReportedFigure,
    Source,
)
from sources.choices import SourceKind
from tracker.lib.api import REQUEST_LANGUAGE
from tracker.lib.api_plumbing import (
    EMPTY,
    ChoicesFilter,
    CountFilter,
    IdFilter,
    StableOrderingFilter,
    StrictBooleanFilter,
)
from tracker.lib.filters import (
    GroupedFilterSet,
    applied_together,
    date_after,
    date_before,
    date_range,
    given,
)
from tracker.lib.languages import DEFAULT, collated, initials, label_expression, variants

from . import public
from .choices import (
    EventKind,
    FacilityKind,
    FigureQualifier,
    Gender,
    PenaltyKind,
    ReleaseKind,
    Status,
)
from .search import MAX_QUERY_LENGTH, QUERY_SCHEMA, search_people, validate_query

ARTICLE_PATTERN = r"^[0-9]+[a-zA-Z]?(-[0-9]+)*$"


def validate_article(value: str) -> None:
    if not re.match(ARTICLE_PATTERN, value):
        raise ValidationError(
            _("Give an article number such as 342, or article and part such as 293-2.")
        )


@extend_schema_field({"type": "string", "pattern": ARTICLE_PATTERN, "example": "293-2"})
class ArticleFilter(filters.Filter):
    """An article (342) or an article and part (293-2); an empty value is a 400."""

    field_class = forms.CharField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_article])
        super().__init__(*args, **kwargs)


def public_charges(value: str):
    """Public charges under the article ``value`` (see ``article_condition``)."""
    return public.rows(Charge).filter(
        article_condition(value), article__in=public.ids(CriminalArticle)
    )


def article_condition(value: str, prefix: str = "") -> Q:
    """
    Charges under ``value``: "293" is article 293 (any part); "293-2" is part 2 of article
    293. Belarusian article numbers can contain a hyphen themselves ("361-3"), so "361-3"
    also matches article 361-3: the filter matches either reading.
    """
    q = Q(**{f"{prefix}article__number": value})
    if "-" in value:
        number, part = value.rsplit("-", 1)
        q |= Q(**{f"{prefix}article__number": number, f"{prefix}part": part})
    return q


# One letter, of any alphabet (Python's reading of \w: a letter is a word character that is
# neither a digit nor "_").
LETTER_PATTERN = r"^[^\W\d_]$"


def validate_letter(value: str) -> None:
    if not re.fullmatch(LETTER_PATTERN, value):
        raise ValidationError(_("Give one letter."))


class LetterField(forms.CharField):
    """A text field that refuses an empty value when the parameter is given (left out, it
    is no filter): text filters take an empty value as none, a letter does not."""

    def to_python(self, value):
        if value == "":
            raise ValidationError(EMPTY, code="empty")
        return super().to_python(value)


@extend_schema_field({"type": "string", "pattern": LETTER_PATTERN, "example": "Л"})
class LetterFilter(filters.CharFilter):
    """One letter; anything else (two letters, a digit, an empty value) is a 400."""

    field_class = LetterField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_letter])
        super().__init__(*args, **kwargs)


def request_language_of(filterset) -> str:
    """The language the filter set's request asks for (``tracker.lib.api``), else English."""
    return getattr(getattr(filterset, "request", None), REQUEST_LANGUAGE, None) or DEFAULT


class PersonOrderingFilter(StableOrderingFilter):
    """
    ``ordering`` of people, where ``display_name`` sorts by the name in the script of the
    request's language (``display_name_<language>``) in that language's collation
    (``tracker.lib.languages.collated``; PostgreSQL's ICU collation, the plain order on
    SQLite), the order of the edition's index for it (``edition.schema.ORDER_INDEXES``).
    """

    def get_ordering_value(self, param):
        if param.lstrip("-") != "display_name":
            return super().get_ordering_value(param)
        language = request_language_of(self.parent)
        order = collated(f"display_name_{language}", language)
        return order.desc() if param.startswith("-") else order.asc()


class PersonFilterSet(GroupedFilterSet):
    q = filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        validators=[validate_query],
        help_text="Name search over every public spelling of a name.",
    )
    status = ChoicesFilter(
        field_name="current_status",
        choices=Status.choices,
        help_text="Current status; repeat the parameter for several.",
    )
    gender = ChoicesFilter(choices=Gender.choices)
    region = filters.CharFilter(field_name="region", lookup_expr="iexact")
    facility = IdFilter(method="filter_facility", help_text="Facility id: people ever held there.")
    article = ArticleFilter(
        method="filter_article",
        help_text="Charged under this article: 342, or 293-2 for part 2 of article 293.",
    )
    recognized_by = filters.CharFilter(
        method="filter_recognized_by",
        help_text="Slug of the recognising organisation, e.g. viasna.",
    )
    detained_after = filters.DateFilter(
        method=applied_together, help_text="A detention may start on or after."
    )
    detained_before = filters.DateFilter(
        method=applied_together, help_text="A detention may start on or before."
    )
    released_after = filters.DateFilter(
        method=applied_together, help_text="A release may be on or after."
    )
    released_before = filters.DateFilter(
        method=applied_together, help_text="A release may be on or before."
    )
    release_kind = filters.ChoiceFilter(choices=ReleaseKind.choices, method=applied_together)
    sentenced = StrictBooleanFilter(
        method=applied_together, help_text="true: has a published court decision with a penalty."
    )
    term_min_months = CountFilter(
        method=applied_together, help_text="A sentence of at least this many months."
    )
    term_max_months = CountFilter(
        method=applied_together, help_text="A sentence of at most this many months."
    )
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after (ISO 8601)."
    )
    letter = LetterFilter(
        method="filter_letter",
        help_text="People whose `display_name` (in the language asked for, `lang`) begins"
        " with this letter, in either case; in Russian, Е includes Ё (one letter in its"
        " alphabetical order).",
    )
    ordering = PersonOrderingFilter(
        fields=(
            ("public_name", "name"),
            ("display_name", "display_name"),
            ("current_status", "status"),
            ("updated_at", "updated_at"),
            ("id", "id"),
        ),
        help_text="name: the record's own name; display_name: the name in the script of the"
        " language asked for (`lang`), in that language's alphabetical order.",
    )

    class Meta:
        model = Person
        fields = []

    @extend_schema_field(QUERY_SCHEMA)  # its limits: maxLength, no control characters
    def filter_q(self, queryset, name, value):
        return search_people(queryset, value)

    def filter_letter(self, queryset, name, value):
        language = request_language_of(self)
        condition = Q()
        for initial in initials(value, language):
            condition |= Q(**{f"display_name_{language}__startswith": initial})
        return queryset.filter(condition)

    # Each condition is a semi-join on ids (pk IN (SELECT person_id …)), which PostgreSQL
    # runs once for all people rather than once per person.

    def filter_facility(self, queryset, name, value):
        stays = public.rows(FacilityStay).filter(facility_id=value)
        return queryset.filter(pk__in=stays.values("detention__person_id"))

    def filter_article(self, queryset, name, value):
        return queryset.filter(pk__in=public_charges(value).values("detention__person_id"))

    def filter_recognized_by(self, queryset, name, value):
        recognitions = public.rows(Recognition).filter(organisation__slug=value)
        return queryset.filter(pk__in=recognitions.values("person_id"))

    def grouped_conditions(self, data):
        conditions = []
        detention = given(data, "detained_after", "detained_before")
        if detention:
            q = Q()
            if "detained_after" in detention:
                q &= date_after("started_on", detention["detained_after"])
            if "detained_before" in detention:
                q &= date_before("started_on", detention["detained_before"])
            conditions.append(Q(pk__in=public.rows(Detention).filter(q).values("person_id")))
        release = given(data, "released_after", "released_before", "release_kind")
        if release:
            q = Q()
            if "released_after" in release:
                q &= date_after("released_on", release["released_after"])
            if "released_before" in release:
                q &= date_before("released_on", release["released_before"])
            if "release_kind" in release:
                q &= Q(kind=release["release_kind"])
            releases = public.rows(Release).filter(q)
            conditions.append(Q(pk__in=releases.values("detention__person_id")))
        decision = given(data, "term_min_months", "term_max_months")
        if decision:
            q = Q()
            if "term_min_months" in decision:
                q &= Q(term_months__gte=decision["term_min_months"])
            if "term_max_months" in decision:
                q &= Q(term_months__lte=decision["term_max_months"])
            conditions.append(
                Q(pk__in=public.rows(CourtDecision).filter(q).values("detention__person_id"))
            )
        if data.get("sentenced") is not None:
            sentenced = Q(
                pk__in=public.rows(CourtDecision)
                .exclude(penalty_kind="")
                .values("detention__person_id")
            )
            conditions.append(sentenced if data["sentenced"] else ~sentenced)
        return conditions


class DetentionFilterSet(GroupedFilterSet):
    person = IdFilter(field_name="person_id")
    started_after = filters.DateFilter(method=applied_together, help_text="May start on or after.")
    started_before = filters.DateFilter(
        method=applied_together, help_text="May start on or before."
    )
    facility = IdFilter(method="filter_facility", help_text="Facility id.")
    article = ArticleFilter(method="filter_article", help_text="342 or 293-2.")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = StableOrderingFilter(
        fields=(("started_on_earliest", "started_on"), ("updated_at", "updated_at"), ("id", "id"))
    )

    class Meta:
        model = Detention
        fields = []

    def filter_facility(self, queryset, name, value):
        stays = public.rows(FacilityStay).filter(facility_id=value)
        return queryset.filter(pk__in=stays.values("detention_id"))

    def filter_article(self, queryset, name, value):
        return queryset.filter(pk__in=public_charges(value).values("detention_id"))

    def grouped_conditions(self, data):
        return date_range(data, "started_on", "started_after", "started_before")


class DecisionFilterSet(GroupedFilterSet):
    person = IdFilter(field_name="detention__person_id")
    detention = IdFilter(field_name="detention_id")
    decided_after = filters.DateFilter(method=applied_together)
    decided_before = filters.DateFilter(method=applied_together)
    penalty_kind = ChoicesFilter(choices=PenaltyKind.choices)
    term_min_months = CountFilter(field_name="term_months", lookup_expr="gte")
    term_max_months = CountFilter(field_name="term_months", lookup_expr="lte")
    court = filters.CharFilter(lookup_expr="icontains")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = StableOrderingFilter(
        fields=(
            ("decided_on_earliest", "decided_on"),
            ("term_months", "term_months"),
            ("updated_at", "updated_at"),
            ("id", "id"),
        )
    )

    class Meta:
        model = CourtDecision
        fields = []

    def grouped_conditions(self, data):
        return date_range(data, "decided_on", "decided_after", "decided_before")


class ReleaseFilterSet(GroupedFilterSet):
    person = IdFilter(field_name="detention__person_id")
    detention = IdFilter(field_name="detention_id")
    released_after = filters.DateFilter(method=applied_together)
    released_before = filters.DateFilter(method=applied_together)
    kind = ChoicesFilter(choices=ReleaseKind.choices)
    destination_country = filters.CharFilter(lookup_expr="iexact")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = StableOrderingFilter(
        fields=(("released_on_earliest", "released_on"), ("updated_at", "updated_at"), ("id", "id"))
    )

    class Meta:
        model = Release
        fields = []

    def grouped_conditions(self, data):
        return date_range(data, "released_on", "released_after", "released_before")


class LabelOrderingFilter(StableOrderingFilter):
    """
    ``ordering`` where a label (``tracker.lib.languages``) sorts in the request's language,
    with the fallback: ``name`` orders by the name as the response shows it.
    """

    def __init__(self, *args, labels=(), **kwargs):
        self.labels = tuple(labels)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value and self.labels:
            language = getattr(self.parent.request, REQUEST_LANGUAGE, None)
            qs = qs.annotate(
                **{f"{label}_label": label_expression(label, language) for label in self.labels}
            )
        return super().filter(qs, value)


def any_language(field: str, lookup: str, value) -> Q:
    """``field`` in any language matches ``value`` (``name_be``, ``name_ru`` or ``name_en``)."""
    q = Q()
    for name in variants(field):
        q |= Q(**{f"{name}__{lookup}": value})
    return q


class FacilityFilterSet(GroupedFilterSet):
    q = filters.CharFilter(
        method="filter_q", help_text="Name (in any language) or other name contains."
    )
    kind = ChoicesFilter(choices=FacilityKind.choices)
    city = filters.CharFilter(method="filter_city", help_text="City, in any language.")
    country = filters.CharFilter(lookup_expr="iexact")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = LabelOrderingFilter(
        fields=(("name_label", "name"), ("city_label", "city"), ("id", "id")),
        labels=("name", "city"),
    )

    class Meta:
        model = Facility
        fields = []

    def filter_q(self, queryset, name, value):
        other = public.rows(FacilityName).filter(facility=OuterRef("pk"), name__icontains=value)
        return queryset.filter(any_language("name", "icontains", value) | Exists(other))

    def filter_city(self, queryset, name, value):
        return queryset.filter(any_language("city", "iexact", value))


class ArticleFilterSet(GroupedFilterSet):
    code = filters.CharFilter()
    number = filters.CharFilter()
    q = filters.CharFilter(
        method="filter_q", help_text="Number or title (in any language) contains."
    )
    ordering = StableOrderingFilter(fields=(("number", "number"), ("id", "id")))

    class Meta:
        model = CriminalArticle
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | any_language("title", "icontains", value)
        )


class EventFilterSet(GroupedFilterSet):
    kind = ChoicesFilter(choices=EventKind.choices)
    happened_after = filters.DateFilter(method=applied_together)
    happened_before = filters.DateFilter(method=applied_together)
    person = IdFilter(method="filter_person", help_text="Person id: events they took part in.")
    facility = IdFilter(method="filter_facility", help_text="Facility id.")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = LabelOrderingFilter(
        fields=(("happened_on_earliest", "happened_on"), ("title_label", "title"), ("id", "id")),
        labels=("title",),
    )

    class Meta:
        model = Event
        fields = []

    def filter_person(self, queryset, name, value):
        participations = public.rows(EventParticipant).filter(person_id=value)
        return queryset.filter(pk__in=participations.values("event_id"))

    def filter_facility(self, queryset, name, value):
        return queryset.filter(public.reference_is_public(Event, "facility"), facility_id=value)

    def grouped_conditions(self, data):
        return date_range(data, "happened_on", "happened_after", "happened_before")


class FigureFilterSet(GroupedFilterSet):
    as_of_after = filters.DateFilter(method=applied_together)
    as_of_before = filters.DateFilter(method=applied_together)
    qualifier = ChoicesFilter(choices=FigureQualifier.choices)
    counted_by = filters.CharFilter(lookup_expr="icontains")
    counted = filters.CharFilter(lookup_expr="icontains", help_text="What is counted contains.")
    event = IdFilter(method="filter_event", help_text="Event id.")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = StableOrderingFilter(
        fields=(("as_of_earliest", "as_of"), ("value", "value"), ("id", "id"))
    )

    class Meta:
        model = ReportedFigure
        fields = []

    def filter_event(self, queryset, name, value):
        return queryset.filter(public.reference_is_public(ReportedFigure, "event"), event_id=value)

    def grouped_conditions(self, data):
        return date_range(data, "as_of", "as_of_after", "as_of_before")


class SourceFilterSet(GroupedFilterSet):
    q = filters.CharFilter(method="filter_q", help_text="Title, publisher or author contains.")
    kind = ChoicesFilter(choices=SourceKind.choices)
    language = filters.CharFilter(lookup_expr="iexact")
    publisher = filters.CharFilter(lookup_expr="icontains")
    published_after = filters.DateFilter(method=applied_together)
    published_before = filters.DateFilter(method=applied_together)
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    ordering = StableOrderingFilter(
        fields=(("published_on_earliest", "published_on"), ("title", "title"), ("id", "id"))
    )

    class Meta:
        model = Source
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(publisher__icontains=value) | Q(author__icontains=value)
        )

    def grouped_conditions(self, data):
        return date_range(data, "published_on", "published_after", "published_before")
