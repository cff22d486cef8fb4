"""Read-only public endpoints for people and their records, and statistics."""

import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api import PartialDateOutput, PublicViewSet, RedactedResponseMixin, document_read_only

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
)
from . import serializers as s


@document_read_only("person", "people", "person")
class PersonViewSet(PublicViewSet):
    """People held, or once held, for political reasons."""

    queryset = selectors.people_list()
    list_serializer_class = s.PersonListSerializer
    serializer_class = s.PersonDetailSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.person_detail()
        return super().get_queryset()


@document_read_only("detention", "detentions", "detention")
class DetentionViewSet(PublicViewSet):
    queryset = selectors.detentions_list()
    serializer_class = s.DetentionSerializer
    filterset_class = DetentionFilterSet


@document_read_only("court decision", "court decisions", "decision")
class DecisionViewSet(PublicViewSet):
    queryset = selectors.decisions_list()
    serializer_class = s.DecisionSerializer
    filterset_class = DecisionFilterSet


@document_read_only("release", "releases", "release")
class ReleaseViewSet(PublicViewSet):
    queryset = selectors.releases_list()
    serializer_class = s.ReleaseSerializer
    filterset_class = ReleaseFilterSet


@document_read_only("facility", "facilities", "facility")
class FacilityViewSet(PublicViewSet):
    queryset = selectors.facilities_list()
    serializer_class = s.FacilitySerializer
    filterset_class = FacilityFilterSet


@document_read_only("criminal-code article", "criminal-code articles", "article")
class ArticleViewSet(PublicViewSet):
    queryset = selectors.articles_list()
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilterSet


@document_read_only("event", "events", "event")
class EventViewSet(PublicViewSet):
    queryset = selectors.events_list()
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet


@document_read_only("reported figure", "reported figures", "figure")
class FigureViewSet(PublicViewSet):
    queryset = selectors.figures_list()
    serializer_class = s.FigureSerializer
    filterset_class = FigureFilterSet


def _count_rows(name, label=False):
    fields = {"value": serializers.CharField(), "people": serializers.IntegerField()}
    if label:
        fields["label"] = serializers.CharField()
    return inline_serializer(name, fields, many=True)


class StatsView(RedactedResponseMixin, APIView):
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
                "by_facility": _count_rows("CountByFacility", label=True),
                "by_release_kind": _count_rows("CountByReleaseKind"),
            },
        ),
    )
    def get(self, request):
        _reject_unknown(request, set())
        return Response(stats.counts())


class InCustodyQuery(serializers.Serializer):
    def get_fields(self):
        # "from" is a Python keyword, so the fields are built here rather than declared.
        return {
            "from": serializers.DateField(required=False),
            "to": serializers.DateField(required=False),
            "interval": serializers.ChoiceField(choices=stats.INTERVALS, default="month"),
        }


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
            "to": serializers.DateField(),
            "interval": serializers.CharField(),
            "series": SeriesRow(many=True),
            "undated_detentions": serializers.IntegerField(),
        }


class InCustodyView(RedactedResponseMixin, APIView):
    """How many people in the database were in custody in each interval, with the figures
    that sources reported for the same period beside them."""

    @extend_schema(
        summary="People in custody over time, beside reported figures",
        description=stats.__doc__,
        parameters=[
            OpenApiParameter(
                "from", datetime.date, description="First day (default: 2 years ago)."
            ),
            OpenApiParameter("to", datetime.date, description="Last day (default: today)."),
            OpenApiParameter("interval", str, enum=list(stats.INTERVALS), default="month"),
        ],
        responses=InCustodySeries,
    )
    def get(self, request):
        _reject_unknown(request, {"from", "to", "interval"})
        query = InCustodyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        to = query.validated_data.get("to") or datetime.date.today()
        start = query.validated_data.get("from") or to.replace(year=to.year - 2)
        if start > to:
            raise ValidationError({"from": ["Must be on or before “to”."]})
        try:
            series = stats.in_custody_series(start, to, query.validated_data["interval"])
        except ValueError as error:
            raise ValidationError({"interval": [f"Too fine for this period: {error}."]}) from None
        return Response(InCustodySeries(series).data)


def _reject_unknown(request, known: set[str]) -> None:
    unknown = sorted(set(request.query_params) - known - {"format"})
    if unknown:
        accepted = ", ".join(sorted(known | {"format"}))
        raise ValidationError(
            {name: [f"Unknown parameter. This endpoint accepts: {accepted}."] for name in unknown}
        )
