"""
An Atom feed of newly published and updated records, in each language (``/<lang>/feed/``):
the people whose public record was published most recently, read from the published
edition. Titles are names in the feed's script (a withheld person's descriptor, never the
name); an entry's ``<published>`` is the person's first publication (``created_at`` in the
edition), its ``<updated>`` their last (``updated_at``).
"""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import presenters, selectors
from .formatting import choice_label, partial_date

ITEMS = 50
# The feed's <updated> when it has no entry: a fixed moment, not the time of the request
# (Django's default), so that an empty feed is the same until something is published.
NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class AtomFeed(Atom1Feed):
    def latest_post_date(self):
        return super().latest_post_date() if self.items else NEVER


class LatestRecordsFeed(Feed):
    feed_type = AtomFeed

    def title(self):
        return _("Political prisoners: new and updated records")

    def subtitle(self):
        return _("People whose published record was added or changed, newest first.")

    def link(self):
        return reverse("website:people")

    def feed_url(self):
        return reverse("website:feed")

    def items(self):
        people = list(selectors.latest_people(ITEMS))
        rows = presenters.person_rows(people, {})
        for row, person in zip(rows, people, strict=True):
            row["created_at"] = person.created_at
        return rows

    def item_title(self, item):
        return item["name"]

    def item_description(self, item):
        status = choice_label(item["status"], "status")
        since = partial_date(item["since"], genitive=True)
        if since:
            return _("Status: %(status)s (since %(date)s).") % {"status": status, "date": since}
        return _("Status: %(status)s.") % {"status": status}

    def item_link(self, item):
        return reverse("website:person", args=[item["id"]])

    def item_guid(self, item):
        return reverse("website:person", args=[item["id"]])

    def item_updateddate(self, item):
        return item["updated_at"]

    def item_pubdate(self, item):
        return item["created_at"]
