"""
What waits for me: the sections above the app list on the admin's front page, for the
signed-in user, each with a count and a link to the list that shows those records.

- **Waiting for a Reviewer** (for users who may publish): per kind of record, the records
  in review or with a part in review (``WaitingForReviewFilter``: ``?review=waiting``).
- **My drafts**: per kind, the drafts whose creation I saved (``?mine=drafts``).
- **Sent back to me**: per kind, the drafts that someone else put back from review after
  I had sent them (``?mine=sent_back``).
- **Recently published**: the last ``RECENT`` publications of any record, when and by whom.
- **Possible duplicates**: the open pairs of people who may be one (``prisoners.duplicates``,
  stored as names change), linking to the list of those pairs.

"Mine", "sent back" and "published" are defined in ``tracker.lib.editorial``, from the
history's users. Only the kinds of record the user may view are shown. The number of
queries is fixed: one per section for the counts of every kind, one per kind for its
latest publications, ``RECENT`` at most for their names, one for the duplicates (a count
of the stored open pairs).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from django.contrib import admin
from django.db.models import Count, Value
from django.urls import reverse

from tracker.lib.editorial import (
    EditorialModel,
    created_by,
    drafts,
    history_of,
    publications,
    sent_back_to,
)
from tracker.lib.editorial_admin import can_publish, is_reviewed

from .duplicates import open_pairs
from .models import DuplicatePair, Person

RECENT = 8


@dataclass
class Line:
    label: str
    count: int
    url: str


@dataclass
class Published:
    record: str
    kind: str
    when: object
    who: str
    url: str


def _admins(request):
    """The reviewed models' admins this user may view, by name."""
    found = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if is_reviewed(model)
        and history_of(model) is not None
        and model_admin.has_view_permission(request)
    ]
    return sorted(found, key=lambda pair: str(pair[0]._meta.verbose_name_plural))


def _list_url(model, query: str) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + query


def _lines(pairs, select, query: str) -> list[Line]:
    """
    A line per kind of record that ``select`` finds rows of: every kind's count in one
    query (a UNION ALL of one count per kind), not a query per kind.
    """
    if not pairs:
        return []
    counts = [
        select(model, model_admin)
        .order_by()
        .annotate(_kind=Value(index))
        .values("_kind")
        .annotate(_count=Count("pk"))
        .values_list("_kind", "_count")
        for index, (model, model_admin) in enumerate(pairs)
    ]
    found = dict(counts[0].union(*counts[1:], all=True))
    lines = []
    for index, (model, _model_admin) in enumerate(pairs):
        if found.get(index):
            lines.append(
                Line(str(model._meta.verbose_name_plural), found[index], _list_url(model, query))
            )
    return lines


def _recently_published(pairs) -> list[Published]:
    entries = []
    for model, _model_admin in pairs:
        if issubclass(model, EditorialModel):
            entries += [
                (entry.history_date, entry.history_id, model, entry)
                for entry in publications(model)[:RECENT]
            ]
    newest = heapq.nlargest(RECENT, entries, key=lambda item: (item[0], item[1]))
    found = []
    for when, _id, model, entry in newest:
        meta = model._meta
        found.append(
            Published(
                record=str(entry.instance),
                kind=str(meta.verbose_name),
                when=when,
                who=str(entry.history_user or ""),
                url=reverse(
                    f"admin:{meta.app_label}_{meta.model_name}_change",
                    args=[getattr(entry, meta.pk.attname)],
                ),
            )
        )
    return found


def dashboard(request) -> dict:
    """The sections of the front page for ``request.user`` (see the module docstring)."""
    user = request.user
    pairs = _admins(request)
    sections = {
        "waiting": None,
        "drafts": _lines(
            pairs,
            lambda model, model_admin: drafts(created_by(model._default_manager.all(), user)),
            "?mine=drafts",
        ),
        "sent_back": _lines(
            pairs,
            lambda model, model_admin: sent_back_to(model._default_manager.all(), user),
            "?mine=sent_back",
        ),
        "published": _recently_published(pairs),
        "duplicates": None,
    }
    if can_publish(request):
        sections["waiting"] = _lines(
            pairs,
            lambda model, model_admin: model._default_manager.filter(
                model_admin.waiting_for_review(model._default_manager.all())
            ),
            "?review=waiting",
        )
    if admin.site.is_registered(DuplicatePair) and admin.site.get_model_admin(
        DuplicatePair
    ).has_view_permission(request):
        sections["duplicates"] = Line(
            str(Person._meta.verbose_name_plural),
            open_pairs().count(),
            _list_url(DuplicatePair, "?status__exact=open"),
        )
    return sections
