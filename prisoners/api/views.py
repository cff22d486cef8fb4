"""Read-only public endpoints for people and their records, and statistics."""

import datetime
import re
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sources.api.serializers import SourceSerializer
from tracker.lib.api import (
    LABEL_SCHEMA,
    LABELS_SCHEMA,
    LANG,
    REQUEST_LANGUAGE,
    PartialDateOutput,
    document_read_only,
    kept_language,
)
from tracker.lib.api_plumbing import (
    ECHO_FREE,
    EMPTY,
    NOT_A_DAY,
    reject_repeated,
    unknown_parameter,
)

from .. import selectors, stats
from ..filtersets import (
    ArticleFilterSet,
    DecisionFilterSet,
    DetentionFilterSet,
    EventFilterSet,
    FacilityFilterSet,
    FigureFilterSet,
    PersonFilterSet,
    ReleaseFilterSet,
    SourceFilterSet,
)
from . import rows
from . import serializers as s
from .base import PublicResponseMixin, PublicViewSet
from .docs import example


@document_read_only("person", "people", example("person"))
class PersonViewSet(PublicViewSet):
    """People held, or once held, for political reasons."""

    queryset = selectors.people_list()
    list_serializer_class = s.PersonListSerializer
    list_rows = rows.people
    serializer_class = s.PersonDetailSerializer
    filterset_class = PersonFilterSet
    detail_cited_paths = (
        "",
        "recognitions",
        "detentions",
        "detentions.charges",
        "detentions.facility_stays",
        "detentions.decisions",
        "detentions.releases",
        "participations",
    )

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.person_detail()
        return super().get_queryset()


@document_read_only("detention", "detentions", example("detention"))
class DetentionViewSet(PublicViewSet):
    queryset = selectors.detentions_list()
    serializer_class = s.DetentionSerializer
    filterset_class = DetentionFilterSet
    cited_paths = ("", "charges", "facility_stays")


@document_read_only("court decision", "court decisions", example("decision"))
class DecisionViewSet(PublicViewSet):
    queryset = selectors.decisions_list()
    serializer_class = s.DecisionSerializer
    filterset_class = DecisionFilterSet


@document_read_only("release", "releases", example("release"))
class ReleaseViewSet(PublicViewSet):
    queryset = selectors.releases_list()
    serializer_class = s.ReleaseSerializer
    filterset_class = ReleaseFilterSet


@document_read_only("facility", "facilities", example("facility"))
class FacilityViewSet(PublicViewSet):
    queryset = selectors.facilities_list()
    serializer_class = s.FacilitySerializer
    filterset_class = FacilityFilterSet


@document_read_only("criminal-code article", "criminal-code articles", example("article"))
class ArticleViewSet(PublicViewSet):
    queryset = selectors.articles_list()
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilterSet
    cited_paths = ()


@document_read_only("event", "events", example("event"))
class EventViewSet(PublicViewSet):
    queryset = selectors.events_list()
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet
    cited_paths = ("", "participations")


@document_read_only("source", "sources", example("source"))
class SourceViewSet(PublicViewSet):
    queryset = selectors.sources_list()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    cited_paths = ()


@document_read_only("reported figure", "reported figures", example("figure"))
class FigureViewSet(PublicViewSet):
    queryset = selectors.figures_list()
    serializer_class = s.FigureSerializer
    filterset_class = FigureFilterSet


@extend_schema_field(LABEL_SCHEMA)
class _Label(serializers.CharField):
    pass


@extend_schema_field(LABELS_SCHEMA)
class _Labels(serializers.DictField):
    pass


def _count_rows(name, label=False, value=serializers.CharField):
    fields = {"value": value(), "people": serializers.IntegerField()}
    if label:
        fields["label"] = _Label()
        fields["label_i18n"] = _Labels()
    return inline_serializer(name, fields, many=True)


class StatsView(PublicResponseMixin, APIView):
    """Counts of published people, by current status, gender, region, article, facility
    (people ever held there) and release kind."""

    @extend_schema(
        summary="Counts of published people",
        parameters=[],
        responses=inline_serializer(
            "Stats",
            {
                "people": serializers.IntegerField(),
                "by_status": _count_rows("CountByStatus"),
                "by_gender": _count_rows("CountByGender"),
                "by_region": _count_rows("CountByRegion"),
                "by_article": _count_rows("CountByArticle", label=True),
                "by_facility": _count_rows(
                    "CountByFacility", label=True, value=serializers.IntegerField
                ),
                "by_release_kind": _count_rows("CountByReleaseKind"),
            },
        ),
    )
    def get(self, request):
        _reject_unknown(request, {LANG})
        return Response(stats.counts(getattr(request, REQUEST_LANGUAGE)))


YEARS = "(19|20)[0-9]{2}"
DAY_PATTERN = f"^{YEARS}-[0-9]{{2}}-[0-9]{{2}}$"
DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
IN_PARTS = (
    f"At most {stats.MAX_INTERVALS:,} intervals per answer. A longer period is answered in"
    f" parts: the answer ends with the {stats.MAX_INTERVALS:,}th interval (its `to` says where)"
    " and `next` links to the rest (null when the answer is complete)."
)
NOT_IN_YEARS = _("Give a date between 1900 and 2099.")


def _in_years(value):
    if not 1900 <= value.year <= 2099:
        raise ValidationError(NOT_IN_YEARS)


class DayField(serializers.DateField):
    """YYYY-MM-DD in ASCII digits, nothing else (Python and Django would also read
    "20200101", "2020-W01-1" and "٢٠٢٠-01-01")."""

    default_error_messages = {"invalid": NOT_A_DAY}

    def to_internal_value(self, value):
        if not isinstance(value, str) or not DAY.fullmatch(value):
            self.fail("invalid")
        return super().to_internal_value(value)


class InCustodyQuery(serializers.Serializer):
    def get_fields(self):
        # "from" is a Python keyword, so the fields are built here rather than declared.
        return {
            "from": DayField(required=False, validators=[_in_years]),
            "to": DayField(required=False, validators=[_in_years]),
            "interval": serializers.ChoiceField(
                choices=stats.INTERVALS,
                default="month",
                error_messages={"invalid_choice": ECHO_FREE["invalid_choice"]},
            ),
        }

    def validate(self, attrs):
        """
        The period: ``to`` (default today) and ``from`` (default two years before it), cut
        at the last day of the ``MAX_INTERVALS``-th interval; ``rest`` is the first day
        after the cut, or None when the whole period fits; ``asked_to`` the ``to`` given.
        """
        to = attrs.get("to") or datetime.date.today()
        start = attrs.get("from") or max(
            to - datetime.timedelta(days=730), datetime.date(1900, 1, 1)
        )
        last = stats.window_end(start, attrs["interval"])
        rest = None
        if to > last:
            to, rest = last, last + datetime.timedelta(days=1)
        return {**attrs, "from": start, "to": to, "rest": rest, "asked_to": attrs.get("to")}


class FigureInSeries(serializers.Serializer):
    id = serializers.IntegerField()
    value = serializers.IntegerField()
    qualifier = serializers.CharField()
    counted = serializers.CharField()
    as_of = PartialDateOutput()
    counted_by = serializers.CharField()


class SeriesRow(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    in_custody = serializers.IntegerField()
    reported_figures = FigureInSeries(many=True)


class InCustodySeries(serializers.Serializer):
    def get_fields(self):
        return {
            "from": serializers.DateField(),
            "to": serializers.DateField(help_text="The last day this answer covers."),
            "interval": serializers.CharField(),
            "next": serializers.URLField(
                allow_null=True, help_text="The rest of the period asked for; null if none."
            ),
            "series": SeriesRow(many=True),
            "undated_detentions": serializers.IntegerField(),
        }


class InCustodyView(PublicResponseMixin, APIView):
    """How many people in the database were in custody in each interval, with the figures
    that sources reported for the same period beside them."""

    @extend_schema(
        summary="People in custody over time, beside reported figures",
        description=stats.__doc__,
        parameters=[
            OpenApiParameter(
                "from",
                {"type": "string", "format": "date", "pattern": DAY_PATTERN},
                description="First day, 1900–2099 (default: two years before “to”).",
            ),
            OpenApiParameter(
                "to",
                {"type": "string", "format": "date", "pattern": DAY_PATTERN},
                description=(
                    "Last day, 1900–2099 (default: today). Before “from”: no intervals. " + IN_PARTS
                ),
            ),
            OpenApiParameter(
                "interval",
                str,
                enum=list(stats.INTERVALS),
                default="month",
                description=f"The length of each interval. {IN_PARTS}",
            ),
        ],
        responses=InCustodySeries,
    )
    def get(self, request):
        _reject_unknown(request, {"from", "to", "interval", LANG})
        empty = sorted(name for name, value in request.query_params.items() if value == "")
        if empty:
            raise ValidationError({name: [EMPTY] for name in empty})
        query = InCustodyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        series = stats.in_custody_series(data["from"], data["to"], data["interval"])
        series["next"] = _rest_link(request, data) if data["rest"] else None
        return Response(_series_data(series))


def _rest_link(request, data: dict) -> str:
    """
    The link to the rest of the period: from the day after this answer's last, to the
    ``to`` that was asked for (none: today, as here), the same interval, and the format and
    ``lang`` the request gave; built from validated values, never copied from the request.
    """
    pairs = [("from", data["rest"].isoformat())]
    if data["asked_to"] is not None:
        pairs.append(("to", data["asked_to"].isoformat()))
    pairs.append(("interval", data["interval"]))
    renderer = getattr(request, "accepted_renderer", None)
    if "format" in request.query_params and renderer is not None:
        pairs.append(("format", renderer.format))
    language = kept_language(request)
    if language is not None:
        pairs.append((LANG, language))
    return request.build_absolute_uri(f"{request.path}?{urlencode(pairs)}")


def _series_data(series: dict) -> dict:
    """What ``InCustodySeries(series).data`` gives, built directly: a serializer per row
    costs more than the whole count for a series of 1,000 intervals."""
    figure = FigureInSeries()
    return {
        "from": series["from"].isoformat(),
        "to": series["to"].isoformat(),
        "interval": series["interval"],
        "next": series.get("next"),
        "series": [
            {
                "start": row["start"].isoformat(),
                "end": row["end"].isoformat(),
                "in_custody": row["in_custody"],
                "reported_figures": [figure.to_representation(f) for f in row["reported_figures"]],
            }
            for row in series["series"]
        ],
        "undated_detentions": series["undated_detentions"],
    }


def _reject_unknown(request, known: set[str]) -> None:
    """400 for a parameter the endpoint does not take, and for one given more than once."""
    unknown = sorted(set(request.query_params) - known - {"format"})
    if unknown:
        message = unknown_parameter(", ".join(sorted(known | {"format"})))
        raise ValidationError({name: [message] for name in unknown})
    reject_repeated(request.query_params)
