"""
One real record per resource, from the seed data, as the schema's examples.

``tests/test_api_docs.py`` rebuilds them from the seed and compares them with
``prisoners/api/examples.json`` (``UPDATE_PINS=1`` rewrites the file), so the documented
examples are always what the API really returns.
"""

from django.test import RequestFactory, override_settings
from rest_framework.request import Request

from edition import models as pm

from . import views
from .citations import attach_citations

PICKS = {
    "person": (views.PersonViewSet, lambda: pm.Person.objects.get(name="Ihar Losik")),
    "detention": (
        views.DetentionViewSet,
        lambda: pm.Detention.objects.get(person__name="Ihar Losik"),
    ),
    "decision": (
        views.DecisionViewSet,
        lambda: pm.CourtDecision.objects.get(detention__person__name="Viktor Babariko"),
    ),
    "release": (views.ReleaseViewSet, lambda: pm.Release.objects.get(kind="exile")),
    "facility": (views.FacilityViewSet, lambda: pm.Facility.objects.get(kind="kgb_detention")),
    "article": (views.ArticleViewSet, lambda: pm.CriminalArticle.objects.get(number="243")),
    "source": (views.SourceViewSet, lambda: pm.Source.objects.get(title__startswith="Trump Says")),
    "event": (views.EventViewSet, lambda: pm.Event.objects.get(kind="meeting")),
    "figure": (views.FigureViewSet, lambda: pm.ReportedFigure.objects.get(value=1197)),
}


def build_examples(host: str = "tracker.example.org") -> dict:
    with override_settings(ALLOWED_HOSTS=[host]):
        request = Request(RequestFactory().get("/", HTTP_HOST=host, secure=True))
        return {key: _example(request, *pick) for key, pick in PICKS.items()}


def _example(request, viewset_class, pick):
    viewset = viewset_class(request=request, format_kwarg=None, action="retrieve")
    record = viewset.get_queryset().get(pk=pick().pk)
    attach_citations([record], viewset.detail_cited_paths or viewset.cited_paths, request)
    return viewset.get_serializer(record).data
