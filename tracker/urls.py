"""Root URLs: the editors' admin, the public API and the exports."""

from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found
from django.views.generic import RedirectView

from prisoners.exports import views as export_views
from tracker import otp


def not_found(request, exception):
    """JSON for the API and the exports, which machines read; the usual page elsewhere."""
    if request.path.startswith(("/api/", "/exports/")):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
# JSON on the API and the exports (a 500 that is the database's fault is a 503), the
# usual pages elsewhere.
handler500 = "tracker.lib.errors.server_error"
handler400 = "tracker.lib.errors.bad_request"
handler403 = "tracker.lib.errors.permission_denied"

admin.site.site_header = _("Political-prisoner tracker")
admin.site.site_title = _("Political-prisoner tracker")
admin.site.index_title = _("Records, sources and review")

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    # The second factor, before the admin's own URLs (tracker.otp sends unverified users here).
    path("admin/two-factor/", otp.verify, name="otp-verify"),
    path("admin/two-factor/setup/", otp.setup, name="otp-setup"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("tracker.api_urls")),
    path("exports/datapackage.zip", export_views.datapackage, name="export-datapackage"),
    path("exports/<slug:slug>.csv", export_views.download, name="export"),
]
