"""/api/v1/: the public, read-only API, its OpenAPI schema and documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from prisoners.api import views as prisoners

router = DefaultRouter()
router.register("prisoners", prisoners.PersonViewSet, basename="person")
router.register("detentions", prisoners.DetentionViewSet, basename="detention")
router.register("decisions", prisoners.DecisionViewSet, basename="decision")
router.register("releases", prisoners.ReleaseViewSet, basename="release")
router.register("facilities", prisoners.FacilityViewSet, basename="facility")
router.register("articles", prisoners.ArticleViewSet, basename="article")
router.register("sources", prisoners.SourceViewSet, basename="source")
router.register("events", prisoners.EventViewSet, basename="event")
router.register("figures", prisoners.FigureViewSet, basename="figure")

app_name = "api"
urlpatterns = [
    path("stats/", prisoners.StatsView.as_view(), name="stats"),
    path("stats/in-custody/", prisoners.InCustodyView.as_view(), name="stats-in-custody"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
]
