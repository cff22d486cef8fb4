"""The website's pages, mounted under each language's prefix (``/be/``, ``/ru/``, ``/en/``)."""

from django.urls import path, register_converter

from . import views
from .feeds import FacilityFeed, LatestRecordsFeed, PersonFeed

app_name = "website"


class RecordId:
    """A record id: up to 18 digits, so that it always fits a 64-bit column (a longer
    number is no page: 404, not a database error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(RecordId, "record")

urlpatterns = [
    path("", views.home, name="home"),
    path("prisoners/", views.people, name="people"),
    path("prisoners/<record:pk>/", views.person, name="person"),
    path("prisoners/<record:pk>/feed/", PersonFeed(), name="person-feed"),
    path("facilities/", views.facilities, name="facilities"),
    path("facilities/<record:pk>/", views.facility, name="facility"),
    path("facilities/<record:pk>/feed/", FacilityFeed(), name="facility-feed"),
    path("letters/", views.letters, name="letters"),
    path("sources/", views.sources, name="sources"),
    path("sources/<record:pk>/", views.source, name="source"),
    path("about/", views.about, name="about"),
    path("downloads/", views.downloads, name="downloads"),
    path("feed/", LatestRecordsFeed(), name="feed"),
]
