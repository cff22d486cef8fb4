"""
Writes that keep derived data right.

A person's ``current_status`` is derived from their *published* detentions, court
decisions and releases, so that nothing unpublished shows through it. The rule, in order:

1. A published release of kind "death in custody" on any detention: deceased.
2. No published detention: unknown.
3. Take the latest detention (by earliest possible start, then id). If it has published
   releases, the latest one decides: house arrest → restricted; forced exile → in exile;
   any other kind → released.
4. No release yet: if the latest decision's penalty is served without custody, the person
   is restricted ("khimiya", home confinement) or free (fine, suspended sentence).
5. Otherwise: in custody, since the detention's start.

``status_since`` is the partial date of the fact that decided it.

A person's ``custody_periods`` (``CustodyPeriod``) are derived from their *public*
detentions and releases (``prisoners.public``), for the in-custody series: each public
detention with a known start runs from its earliest possible start to the latest possible
day of its first public release (open when it has none, or none with a date), and
detentions that overlap make one period. Both are refreshed together, for the people a
change touches (``prisoners.signals``), or for everyone by ``refresh_statuses()``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import transaction
from django.db.models import Min, Prefetch
from django.utils import timezone

from . import duplicates, names, public, publishing, rule, stats
from .choices import NON_CUSTODIAL_PENALTIES, RESTRICTING_PENALTIES, ReleaseKind, Script, Status
from .models import CourtDecision, Detention, Person, Release

_RELEASE_STATUS = {ReleaseKind.HOUSE_ARREST: Status.RESTRICTED, ReleaseKind.EXILE: Status.EXILE}


def _chronological(item, field: str):
    earliest = getattr(item, f"{field}_earliest")
    latest = getattr(item, f"{field}_latest")
    return (earliest or datetime.date.min, latest or datetime.date.min, item.pk)


def derive_status(detentions: Iterable[Detention]) -> tuple[str, str]:
    """
    The status and since-date for a person with these published detentions.

    Each detention must carry ``published_releases`` and ``published_decisions`` lists
    (see ``_published_detentions``).
    """
    detentions = sorted(detentions, key=lambda d: _chronological(d, "started_on"))
    if not detentions:
        return Status.UNKNOWN, ""
    for detention in detentions:
        for release in detention.published_releases:
            if release.kind == ReleaseKind.DEATH:
                return Status.DECEASED, release.released_on
    latest = detentions[-1]
    if latest.published_releases:
        release = max(latest.published_releases, key=lambda r: _chronological(r, "released_on"))
        return _RELEASE_STATUS.get(release.kind, Status.RELEASED), release.released_on
    if latest.published_decisions:
        decision = max(latest.published_decisions, key=lambda d: _chronological(d, "decided_on"))
        if decision.penalty_kind in RESTRICTING_PENALTIES:
            return Status.RESTRICTED, decision.penalty_starts_on or decision.decided_on
        if decision.penalty_kind in NON_CUSTODIAL_PENALTIES:
            return Status.RELEASED, decision.decided_on
    return Status.IN_CUSTODY, latest.started_on


def _published_detentions():
    # The person's own state does not matter here: the status is derived before they are
    # published, so that it is right the moment they are.
    published = rule.published_own_state
    return published(Detention.objects.all()).prefetch_related(
        Prefetch(
            "releases",
            queryset=published(Release.objects.all()),
            to_attr="published_releases",
        ),
        Prefetch(
            "decisions",
            queryset=published(CourtDecision.objects.all()),
            to_attr="published_decisions",
        ),
    )


_LATER: ContextVar[set | None] = ContextVar("statuses_refreshed_later", default=None)


@contextmanager
def statuses_refreshed_at_the_end():
    """
    Inside this block, a refresh of given people (``refresh_statuses(person_ids=…)``,
    which every save of a detention, decision or release asks for) waits for the block's
    end, where the people are refreshed together: an import's batch refreshes each of
    its people once, not once per record saved. A block inside another ends with it.
    """
    if _LATER.get() is not None:
        yield
        return
    pending: set = set()
    token = _LATER.set(pending)
    try:
        yield
    finally:
        _LATER.reset(token)
    if pending:
        refresh_statuses(person_ids=pending)


def refresh_statuses(*, person_ids: Iterable[int] | None = None, chunk_size: int = 2000) -> int:
    """
    Recompute the stored status and custody periods of these people (all when None);
    return how many people had a stale status or stale periods (0 when the refresh waits
    for the end of ``statuses_refreshed_at_the_end``).

    Changed people get a new ``updated_at`` so that incremental readers see the change.
    """
    later = _LATER.get()
    if person_ids is not None and later is not None:
        later.update(person_ids)
        return 0
    people = Person.objects.order_by("pk")
    if person_ids is not None:
        people = people.filter(pk__in=set(person_ids))
    changed_total = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            if person_ids is not None:
                # Two transactions changing one person's records each refresh them; the
                # second waits here for the first to commit, then reads both changes.
                list(people.select_for_update().values_list("pk", flat=True))
            chunk = list(
                people.filter(pk__gt=last_pk).only("pk", "current_status", "status_since")[
                    :chunk_size
                ]
            )
            if chunk:
                changed_total += _refresh_chunk(chunk)
        if len(chunk) < chunk_size:
            break
        last_pk = chunk[-1].pk
    if person_ids is None:
        # A bulk write left no step to date what is cached by: forgotten once it commits
        # (before, a request could cache the old periods again under the new generation).
        transaction.on_commit(stats.forget)
    return changed_total


def _refresh_chunk(chunk: list[Person]) -> int:
    by_person: dict[int, list[Detention]] = {p.pk: [] for p in chunk}
    for detention in _published_detentions().filter(person_id__in=by_person):
        by_person[detention.person_id].append(detention)
    now = timezone.now()
    changed = []
    for person in chunk:
        status, since = derive_status(by_person[person.pk])
        if (person.current_status, person.status_since) != (status, since):
            person.current_status, person.status_since, person.updated_at = status, since, now
            changed.append(person)
    Person.objects.bulk_update(changed, ["current_status", "status_since", "updated_at"])
    return len({person.pk for person in changed} | _refresh_custody_periods(set(by_person)))


def _periods():
    """The custody periods of the edition (derived from public records only)."""
    return apps.get_model("edition", "CustodyPeriod")


def custody_periods(person_ids: Iterable[int]) -> dict[int, list]:
    """The custody periods of these people, derived from their public records (unsaved)."""
    spans = (
        public.rows(Detention)
        .filter(person_id__in=list(person_ids), started_on_earliest__isnull=False)
        .annotate(ends=Min("releases__released_on_latest"))
        .order_by("person_id", "started_on_earliest", "pk")
        .values_list("person_id", "started_on_earliest", "ends")
    )
    periods: dict[int, list] = {}
    for person_id, began, ended in spans:
        own = periods.setdefault(person_id, [])
        last = own[-1] if own else None
        if last is not None and (last.ended_on is None or began <= last.ended_on):
            if last.ended_on is not None:
                last.ended_on = None if ended is None else max(last.ended_on, ended)
            continue
        gap_since = last.ended_on if last is not None else None
        own.append(
            _periods()(person_id=person_id, started_on=began, ended_on=ended, gap_since=gap_since)
        )
    return periods


def _period_key(period) -> tuple:
    return (period.person_id, period.started_on, period.ended_on, period.gap_since)


def refresh_custody_periods(*, person_ids: Iterable[int]) -> int:
    """Rewrite the stored custody periods of these people where they changed; return for
    how many people they did."""
    with transaction.atomic():
        return len(_refresh_custody_periods(set(person_ids)))


def _refresh_custody_periods(person_ids: set[int]) -> set[int]:
    derived = custody_periods(person_ids)
    stored: dict[int, list] = {}
    for period in (
        _periods().objects.filter(person_id__in=person_ids).order_by("person_id", "started_on")
    ):
        stored.setdefault(period.person_id, []).append(period)
    changed = {
        person_id
        for person_id in person_ids
        if [_period_key(p) for p in stored.get(person_id, [])]
        != [_period_key(p) for p in derived.get(person_id, [])]
    }
    if changed:
        _periods().objects.filter(person_id__in=changed).delete()
        _periods().objects.bulk_create(
            [period for person_id in sorted(changed) for period in derived.get(person_id, [])]
        )
    return changed


def merge_people(*, keep: Person, other: Person, user=None) -> Person:
    """
    Merge ``other`` into ``keep``: every name, identifier, recognition, detention,
    participation and citation moves to ``keep``; ``other`` is then deleted, and its
    history (every version, and the deletion, by ``user``) stays in the history tables.
    Their pair of possible duplicates goes with ``other``; the pairs editors dismissed for
    ``other`` stay dismissed for ``keep`` (``duplicates.carry_dismissals``). They are one
    person: if ``other``'s name is withheld, ``keep``'s is withheld first, at once, so that
    none of the spellings that move to ``keep`` is ever public. The edition is written
    once, at the end (``publishing.deferred``).
    """
    from django.contrib.contenttypes.models import ContentType

    from sources.models import Citation

    if keep.pk == other.pk:
        raise ValueError("A record cannot be merged into itself.")
    with transaction.atomic(), publishing.deferred(user):
        withheld = publishing.is_withheld(other)
        # Every spelling the rule hides for ``other``, its published ones too (a name
        # changed in review): each stays a spelling of ``keep``, and so stays hidden.
        spellings = publishing.spellings_of(other) if withheld else set()
        if withheld and not keep.name_withheld:
            published = publishing.version_of(other)
            descriptors = (
                keep.public_descriptor,
                other.public_descriptor,
                published.data.get("public_descriptor") if published else "",
            )
            descriptor = next((d.strip() for d in descriptors if d and d.strip()), "")
            publishing.withhold(person=keep, descriptor=descriptor, user=user)
        known = set(keep.names.values_list("name", flat=True))
        for variant in other.names.all():
            if variant.name in known:
                variant.delete()
            else:
                variant.person = keep
                variant.save()
                known.add(variant.name)
        for name, language in [(other.name, ""), *sorted(spellings)]:
            if name not in known | {keep.name}:
                script = Script.CYRILLIC if names.is_cyrillic(name) else Script.LATIN
                keep.names.create(name=name, language=language, script=script, kind="alias")
                known.add(name)
        for relation in ("identifiers", "recognitions", "detentions", "participations"):
            for record in getattr(other, relation).all():
                record.person = keep
                record._history_user = user
                record.save()
        person_type = ContentType.objects.get_for_model(Person)
        for citation in Citation.objects.filter(content_type=person_type, object_id=other.pk):
            citation.object_id = keep.pk
            citation._history_user = user
            citation.save()
        duplicates.carry_dismissals(keep=keep, other=other)
        if other.editors_notes:
            keep.editors_notes = f"{keep.editors_notes}\n[merged #{other.pk}] {other.editors_notes}"
        keep._history_user = user
        keep.save()
        other._history_user = user
        other.delete()
    refresh_statuses(person_ids=[keep.pk])
    return keep
