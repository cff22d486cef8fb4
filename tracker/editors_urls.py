"""
The editors' URLs: the admin, its second factor and the language switch the admin's
header posts to. Left out of a public-only process (settings.PUBLIC_ONLY, tracker/urls.py),
which does not even import this module: its apps are not installed there.
"""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracker import otp

admin.site.site_header = _("Political-prisoner tracker")
admin.site.site_title = _("Political-prisoner tracker")
admin.site.index_title = _("Records, sources and review")
admin.site.site_url = "/"  # "View site": the public website, in the editor's language

urlpatterns = [
    # The second factor, before the admin's own URLs (tracker.otp sends unverified users here).
    path("admin/two-factor/", otp.verify, name="otp-verify"),
    path("admin/two-factor/setup/", otp.setup, name="otp-setup"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
