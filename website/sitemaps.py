"""
``sitemap.xml``: an index of one sitemap per kind of page, each listing every public
page in every language with its ``hreflang`` alternates (``django.contrib.sitemaps``).
Records are listed by id only: no name appears in a URL. They are read from the
published edition; a record's ``lastmod`` is its last publication (``updated_at``).
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from edition.models import Facility, Person, Source
from prisoners import public

STATIC_PAGES = (
    "website:home",
    "website:people",
    "website:facilities",
    "website:letters",
    "website:sources",
    "website:about",
    "website:downloads",
)


class _Multilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # URLs per sitemap page: items × 3 languages stay under the protocol's 50,000.
    limit = 5000


class PagesSitemap(_Multilingual):
    changefreq = "daily"

    def items(self):
        return list(STATIC_PAGES)

    def location(self, item):
        return reverse(item)


class _Records(_Multilingual):
    model = None
    view = ""

    def items(self):
        return public.rows(self.model).order_by("pk").only("pk", "updated_at")

    def location(self, item):
        return reverse(self.view, args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class PeopleSitemap(_Records):
    model = Person
    view = "website:person"


class FacilitiesSitemap(_Records):
    model = Facility
    view = "website:facility"


class SourcesSitemap(_Records):
    model = Source
    view = "website:source"


SITEMAPS = {
    "pages": PagesSitemap,
    "people": PeopleSitemap,
    "facilities": FacilitiesSitemap,
    "sources": SourcesSitemap,
}
