"""
Root URLs: the public website (in each language, ``/be/``, ``/ru/``, ``/en/``), the
public API and the exports, and, unless the process is public-only
(settings.PUBLIC_ONLY), the editors' admin (tracker/editors_urls.py).

``/`` and any site path without a language (``/prisoners/``) are redirected by
LocaleMiddleware to the reader's language (their language cookie, else Accept-Language,
else English), since the site's pages are all under ``i18n_patterns``.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps import views as sitemap_views
from django.http import JsonResponse
from django.urls import include, path
from django.views.defaults import page_not_found

from prisoners.exports import views as export_views
from tracker.lib import errors
from website import views as website_views
from website.sitemaps import SITEMAPS

SITE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def not_found(request, exception):
    """JSON for the API and the exports, which machines read; the site's own page for the
    site; the usual page elsewhere."""
    if request.path.startswith(("/api/", "/exports/")):
        return JsonResponse({"detail": errors.NOT_FOUND}, status=404)
    if request.path.startswith(SITE_PREFIXES):
        return website_views.not_found(request, exception)
    return page_not_found(request, exception)


def server_error(request):
    """The site's own page in its language for the site (a 503 when the database is at
    fault); JSON on the API and the exports, the usual page elsewhere (``errors``)."""
    if request.path.startswith(SITE_PREFIXES):
        return website_views.server_error(request)
    return errors.server_error(request)


handler404 = not_found
handler500 = server_error
handler400 = "tracker.lib.errors.bad_request"
handler403 = "tracker.lib.errors.permission_denied"

urlpatterns = [
    path("api/v1/", include("tracker.api_urls")),
    path("exports/datapackage.zip", export_views.datapackage, name="export-datapackage"),
    path("exports/<slug:slug>.csv", export_views.download, name="export"),
    path("exports/data-dictionary.md", website_views.data_dictionary, name="data-dictionary"),
    path("robots.txt", website_views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
urlpatterns += i18n_patterns(path("", include("website.urls")), prefix_default_language=True)
if not settings.PUBLIC_ONLY:
    urlpatterns.insert(0, path("", include("tracker.editors_urls")))
