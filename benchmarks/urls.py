"""The app's URLs, plus the benchmark's reference views under /bench/ (this server only)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tracker import urls as app_urls
from tracker.urls import handler400, handler403, handler404, handler500  # noqa: F401

from . import views

router = SimpleRouter()
router.register("people", views.PlainPersonViewSet, basename="bench-person")

urlpatterns = [
    path("bench/bare/", views.bare),
    path("bench/raw/", views.raw),
    path("bench/drf/", include(router.urls)),
    # The app's own list, not include(): the site's pages use i18n_patterns, which Django
    # allows only in the root URLconf.
    *app_urls.urlpatterns,
]
