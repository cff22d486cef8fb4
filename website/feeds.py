"""
Atom feeds, in each language, read from the published edition:

- ``/<lang>/feed/``: newly published and updated records, the people whose public record
  was published most recently;
- ``/<lang>/prisoners/<id>/feed/`` and ``/<lang>/facilities/<id>/feed/``: the changes to
  one record, for following it. An entry per part of the public record (a person's own
  record, each recognition, detention, verdict and release; a facility's own record and
  each person held there now), dated by that part's last publication, newest first; its
  text is the page's.

An entry's ``<published>`` is the first publication of what it shows (``created_at`` in
the edition), its ``<updated>`` the last (``updated_at``): a change reaches a feed when a
Reviewer publishes it. Everything is read as the record's page reads it
(``prisoners.public``, the site's selectors), so a feed exists exactly when its page does:
a record that is not public answers the site's 404 page, like one that does not exist.
Names are in the feed's script (a withheld person's descriptor, never the name); the
edition's texts are already redacted.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from edition.models import Facility
from prisoners import public
from prisoners import selectors as api_selectors

from . import presenters, selectors
from .formatting import choice_label, partial_date, term_in_words

ITEMS = 50
# The feed's <updated> when it has no entry: a fixed moment, not the time of the request
# (Django's default), so that an empty feed is the same until something is published.
NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def status_text(status: str, since) -> str:
    """ "Status: in custody (since 25 June 2020).", in the active language."""
    label = choice_label(status, "status")
    since = partial_date(since, genitive=True)
    if since:
        return _("Status: %(status)s (since %(date)s).") % {"status": label, "date": since}
    return _("Status: %(status)s.") % {"status": label}


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
        return status_text(item["status"], item["since"])

    def item_link(self, item):
        return reverse("website:person", args=[item["id"]])

    def item_guid(self, item):
        return reverse("website:person", args=[item["id"]])

    def item_updateddate(self, item):
        return item["updated_at"]

    def item_pubdate(self, item):
        return item["created_at"]


# One record's changes -----------------------------------------------------------------------


class RecordFeed(Feed):
    """
    The changes to one public record (see the module docstring). ``get_object`` gives
    ``{"name", "url", "entries"}``: the record's public name, its page's absolute URL, and
    its entries, each ``{"key", "title", "description", "path", "updated", "created"}``
    (``key`` makes the entry's id with the page's URL).
    """

    feed_type = AtomFeed

    def title(self, record):
        return _("Changes to the record of %(name)s") % {"name": record["name"]}

    def subtitle(self, record):
        return _("Each part of this public record, by its latest change, newest first.")

    def link(self, record):
        return record["url"]

    def items(self, record):
        return sorted(record["entries"], key=lambda entry: entry["updated"], reverse=True)

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["description"]

    def item_link(self, item):
        return item["path"]

    def item_guid(self, item):
        return item["id"]

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item["updated"]

    def item_pubdate(self, item):
        return item["created"]

    @staticmethod
    def record(request, name, path: str, entries: list[dict]) -> dict:
        url = request.build_absolute_uri(path)
        for entry in entries:
            entry["id"] = f"{url}#{entry.pop('key')}"
        return {"name": name, "url": url, "entries": entries}


def _entry(key: str, title, description, path: str, record) -> dict:
    """An entry for a part of a record, dated by that part's publications (an edition row)."""
    return {
        "key": key,
        "title": title,
        "description": description,
        "path": path,
        "updated": record.updated_at,
        "created": record.created_at,
    }


class PersonFeed(RecordFeed):
    """``/<lang>/prisoners/<id>/feed/``: the person's own record, each recognition,
    detention, verdict and release."""

    def get_object(self, request, pk):
        found = api_selectors.person_detail().filter(pk=pk).first()
        if found is None:
            raise Http404
        data = presenters.person_page(found, request)
        page = reverse("website:person", args=[pk])
        detentions = {detention.pk: detention for detention in found.detentions.all()}
        parts = {
            (kind, part.pk): part
            for detention in detentions.values()
            for kind, related in (
                ("decision", detention.decisions),
                ("release", detention.releases),
            )
            for part in related.all()
        }
        entries = [
            _entry(
                "record",
                data["name"],
                status_text(data["current_status"], data["status_since"]),
                page,
                found,
            )
        ]
        # The serialized recognitions (which carry no id) in the order of the records.
        recognitions = zip(data.get("recognitions", []), found.recognitions.all(), strict=True)
        for recognition, record in recognitions:
            entries.append(
                _entry(
                    f"recognition-{record.pk}",
                    _("Recognised as a political prisoner by %(organisation)s")
                    % {"organisation": recognition["organisation"]["name"]},
                    partial_date(recognition["recognised_on"]),
                    page,
                    record,
                )
            )
        for detention in data.get("detentions", []):
            anchor = f"detention-{detention['id']}"
            started = partial_date(detention["started_on"])
            entries.append(
                _entry(
                    anchor,
                    _("Detained: %(date)s") % {"date": started}
                    if started
                    else _("Detained: date unknown"),
                    detention["place"],
                    f"{page}#{anchor}",
                    detentions[detention["id"]],
                )
            )
            for decision in detention["decisions"]:
                decided = partial_date(decision["decided_on"])
                entries.append(
                    _entry(
                        f"decision-{decision['id']}",
                        _("Verdict: %(date)s") % {"date": decided} if decided else _("Verdict"),
                        term_in_words(decision["term_months"], decision["term_days"])
                        or decision["term_text"],
                        f"{page}#{anchor}",
                        parts[("decision", decision["id"])],
                    )
                )
            for release in detention["releases"]:
                released = partial_date(release["released_on"])
                entries.append(
                    _entry(
                        f"release-{release['id']}",
                        _("Released: %(date)s") % {"date": released}
                        if released
                        else _("Released: date unknown"),
                        choice_label(release["kind"], "release_kind"),
                        f"{page}#{anchor}",
                        parts[("release", release["id"])],
                    )
                )
        return self.record(request, data["name"], page, entries)


class FacilityFeed(RecordFeed):
    """``/<lang>/facilities/<id>/feed/``: the facility's own record (its address for
    letters) and each person held there now."""

    def get_object(self, request, pk):
        found = public.rows(Facility).filter(pk=pk).first()
        if found is None:
            raise Http404
        page = reverse("website:facility", args=[pk])
        name, address = found.name, found.address  # the name in the page's language
        entries = [
            _entry(
                "record",
                name,
                _("Address for letters: %(address)s") % {"address": address}
                if address
                else _("Address for letters: not known yet."),
                page,
                found,
            )
        ]
        held = list(
            selectors.held_now()
            .filter(held_in_id=found.pk)
            .order_by(selectors.by_shown_name(), "pk")
        )
        for row, person in zip(presenters.person_rows(held, {}), held, strict=True):
            entries.append(
                _entry(
                    f"held-{row['id']}",
                    row["name"],
                    _("Held here now."),
                    reverse("website:person", args=[row["id"]]),
                    person,
                )
            )
        return self.record(request, name, page, entries)
