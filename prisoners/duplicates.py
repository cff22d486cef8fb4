"""
Possible duplicates: people who may be one person, kept as pairs (``DuplicatePair``) that
editors merge or dismiss, and that the dashboard counts without reading anyone's names.

**The rule.** A person's spellings are their display name and every name variant. The
*whole-name keys* of a spelling are the sorted keys of its words, one per reading
(``names.keys``: Viktar Babaryka, Виктор Бабарико and Viktor Babariko are all "bbrk vktr");
a name of one word has none. Two people are a possible pair when a spelling of each has the
same whole-name key and their birth dates could be the same day (known birth dates that
cannot be the same day rule the pair out). Score 0.95 when both full birth dates are
known and equal (reason: the same name and birth date), else 0.8 (the same name).

**Maintained, not recomputed.** Each person's keys are stored (``NameKey``, indexed by key).
When a person's spellings or birth date change (``prisoners.signals``: every write path,
admin, imports, fixtures, the shell, passes there), ``refresh`` recomputes that person's
keys and finds the people who share one by an indexed equality, then writes the
difference: new pairs open, pairs no longer found deleted, scores updated. Its queries
are a few per call, whatever the number of people. Bulk writers that bypass signals
(``bulk_create``, ``COPY``) run ``rebuild`` (``manage.py find_duplicates``), which also
serves the first run and a change of this rule; it prints its progress.

**Decisions stay.** A dismissed pair is never reopened or deleted by a refresh or a rebuild,
whatever changes in either record: only deleting (or merging) one of the two people removes
it, and a merge carries the dismissals of the merged record over to the one kept
(``carry_dismissals``). Merging two people removes their pair with the merged record.

Inside ``batched()`` (imports), the people whose names change are collected and refreshed
together when the block ends, instead of once per saved name.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tracker.lib.partial_dates import parse_partial_date

from . import names
from .choices import DuplicateReason, DuplicateStatus
from .models import DuplicatePair, NameKey, Person, PersonName

SAME_NAME, SAME_NAME_AND_BIRTH_DATE = 0.8, 0.95
CHUNK = 200  # people per refresh query (bounded parameters, on SQLite too)
REBUILD_CHUNK = 2000


def whole_keys(text: str, language: str = "") -> set[str]:
    """The whole-name keys of one spelling (none for a name of one word)."""
    return {" ".join(sorted(reading)) for reading in names.keys(text, language) if len(reading) > 1}


@lru_cache(maxsize=50_000)
def _bounds(value: str):
    return parse_partial_date(value)


def _compatible(a: str, b: str) -> bool | None:
    first, second = _bounds(a), _bounds(b)
    if first is None or second is None:
        return None
    return first.earliest <= second.latest and second.earliest <= first.latest


def score(birth_a: str, birth_b: str) -> tuple[float, str] | None:
    """The score and reason of two people with a shared key, or None when ruled out."""
    compatible = _compatible(birth_a, birth_b)
    if compatible is False:
        return None
    if compatible and birth_a == birth_b and len(birth_a) == 10:
        return SAME_NAME_AND_BIRTH_DATE, DuplicateReason.SAME_NAME_AND_BIRTH_DATE
    return SAME_NAME, DuplicateReason.SAME_NAME


# --- keys ------------------------------------------------------------------------------------


def _keys_of(people: Iterable[int]) -> tuple[dict[int, dict[str, str]], dict[int, str]]:
    """
    Each person's whole-name keys, with the first spelling that has each, and their birth
    dates (two queries). People not in the database are left out.
    """
    rows = list(Person.objects.filter(pk__in=list(people)).values_list("pk", "name", "birth_date"))
    births = {pk: birth for pk, _name, birth in rows}
    spellings = [(pk, name, "") for pk, name, _birth in rows]
    spellings += PersonName.objects.filter(person_id__in=list(births)).values_list(
        "person_id", "name", "language"
    )
    found: dict[int, dict[str, str]] = {pk: {} for pk in births}
    for pk, text, language in sorted(spellings, key=lambda row: (row[0], row[2] != "", row[1])):
        for key in sorted(whole_keys(text, language)):
            found[pk].setdefault(key, text[:300])
    return found, births


def _store_keys(keys: dict[int, dict[str, str]], *, replace: bool = False) -> None:
    """Store these people's keys: only what differs, or everything anew with ``replace``."""
    stored = NameKey.objects.filter(person_id__in=list(keys))
    if replace:
        stored.delete()
        stale, have = [], set()
    else:
        rows = list(stored.values_list("pk", "person_id", "key", "spelling"))
        stale = [pk for pk, person, key, spelling in rows if keys[person].get(key) != spelling]
        have = {(person, key) for pk, person, key, spelling in rows if pk not in stale}
    if stale:
        NameKey.objects.filter(pk__in=stale).delete()
    new = [
        NameKey(person_id=pk, key=key, spelling=spelling)
        for pk, own in keys.items()
        for key, spelling in own.items()
        if (pk, key) not in have
    ]
    # ignore_conflicts: another transaction wrote the same row (the same key) meanwhile.
    NameKey.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)


# --- pairs -----------------------------------------------------------------------------------


def _pairs(
    groups: Iterable[list[tuple[int, str]]], births: dict[int, str], of: set[int] | None = None
) -> dict:
    """
    The pairs among people who share a key: ``groups`` is, per key, its (person, spelling)
    rows; with ``of``, only the pairs of those people. Returns {(a, b): (score, reason,
    spellings)}, a < b.
    """
    found, ruled_out = {}, set()
    for rows in groups:
        rows = sorted(rows)
        for index, (a, spelling_a) in enumerate(rows):
            for b, spelling_b in rows[index + 1 :]:
                if of is not None and a not in of and b not in of:
                    continue
                if (a, b) in found or (a, b) in ruled_out:
                    continue
                scored = score(births.get(a, ""), births.get(b, ""))
                if scored is None:
                    ruled_out.add((a, b))
                else:
                    found[(a, b)] = (*scored, f"{spelling_a} ~ {spelling_b}"[:700])
    return found


def _write(found: dict, existing: Iterable[DuplicatePair]) -> tuple[int, int]:
    """
    Make the stored pairs among ``existing`` (every stored pair of the people concerned)
    what ``found`` says: new ones open, changed ones updated, open ones no longer found
    deleted; dismissed ones kept as they are. Returns (created, deleted).
    """
    stale, changed = [], []
    found = dict(found)
    for pair in existing:
        now = found.pop((pair.person_a_id, pair.person_b_id), None)
        if now is None:
            if pair.status == DuplicateStatus.OPEN:
                stale.append(pair.pk)
        elif (pair.score, pair.reason, pair.spellings) != now:
            pair.score, pair.reason, pair.spellings = now
            changed.append(pair)
    for start in range(0, len(stale), 500):
        DuplicatePair.objects.filter(pk__in=stale[start : start + 500]).delete()
    DuplicatePair.objects.bulk_update(changed, ["score", "reason", "spellings"], batch_size=500)
    DuplicatePair.objects.bulk_create(
        [
            DuplicatePair(person_a_id=a, person_b_id=b, score=s, reason=r, spellings=text)
            for (a, b), (s, r, text) in found.items()
        ],
        batch_size=500,
        ignore_conflicts=True,  # found by another transaction at the same time
    )
    return len(found), len(stale)


def _refresh_chunk(people: list[int]) -> None:
    keys, births = _keys_of(people)
    _store_keys(keys)
    wanted = sorted({key for own in keys.values() for key in own})
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for start in range(0, len(wanted), 500):
        sharing = NameKey.objects.filter(key__in=wanted[start : start + 500])
        for pk, key, spelling, birth in sharing.values_list(
            "person_id", "key", "spelling", "person__birth_date"
        ):
            groups[key].append((pk, spelling))
            births[pk] = birth
    # Only the pairs of the people refreshed: others' pairs among themselves are theirs.
    found = _pairs(groups.values(), births, of=set(keys))
    existing = DuplicatePair.objects.filter(Q(person_a__in=people) | Q(person_b__in=people))
    _write(found, existing)


def refresh(person_ids: Iterable[int]) -> None:
    """
    Recompute these people's keys and pairs (see the module docstring). People no longer
    in the database are skipped: their keys and pairs went with them.
    """
    people = sorted(set(person_ids))
    for start in range(0, len(people), CHUNK):
        with transaction.atomic():
            _refresh_chunk(people[start : start + CHUNK])


# --- collecting the people whose names change ---------------------------------------------

_local = threading.local()


def changed(person_ids: Iterable[int]) -> None:
    """These people's spellings or birth date changed: refresh them now, or when the
    enclosing ``batched()`` block ends."""
    person_ids = {pk for pk in person_ids if pk is not None}
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending |= person_ids
    elif person_ids:
        refresh(person_ids)


@contextmanager
def batched() -> Iterator[None]:
    """Refresh the people whose names change inside the block once, when it ends."""
    outer = getattr(_local, "pending", None)
    _local.pending = set()
    try:
        yield
        collected = _local.pending
    finally:
        _local.pending = outer
    changed(collected)


# --- everyone ------------------------------------------------------------------------------


def rebuild(progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """
    Recompute every person's keys and every pair (``manage.py find_duplicates``), reading
    the people in chunks; dismissed pairs are kept. Returns counts for the report.
    """
    say = progress or (lambda message: None)
    total = Person.objects.count()
    last, done = 0, 0
    while True:
        chunk = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:REBUILD_CHUNK]
        )
        if not chunk:
            break
        with transaction.atomic():
            _store_keys(_keys_of(chunk)[0], replace=True)
        done += len(chunk)
        last = chunk[-1]
        say(f"keys: {done:,} of {total:,} people")
    NameKey.objects.exclude(person__in=Person.objects.all()).delete()

    births = dict(Person.objects.values_list("pk", "birth_date").iterator(chunk_size=5000))
    found = _pairs(_groups_of_everyone(say), births)
    say(f"pairs: {len(found):,} found; writing")
    with transaction.atomic():
        created, deleted = _write(found, DuplicatePair.objects.all().iterator(chunk_size=5000))
    counts = {
        "open": DuplicatePair.objects.filter(status=DuplicateStatus.OPEN).count(),
        "dismissed": DuplicatePair.objects.filter(status=DuplicateStatus.DISMISSED).count(),
        "created": created,
        "deleted": deleted,
    }
    say(
        "pairs: {open:,} open ({created:,} new, {deleted:,} no longer found), "
        "{dismissed:,} dismissed".format(**counts)
    )
    return counts


def _groups_of_everyone(say) -> Iterator[list[tuple[int, str]]]:
    """Every key shared by two people or more, with its (person, spelling) rows."""
    rows = NameKey.objects.order_by("key", "person_id").values_list("key", "person_id", "spelling")
    current, group = None, []
    for read, (key, pk, spelling) in enumerate(rows.iterator(chunk_size=5000), start=1):
        if read % 100_000 == 0:
            say(f"pairs: {read:,} keys read")
        if key != current:
            if len(group) > 1:
                yield group
            current, group = key, []
        group.append((pk, spelling))
    if len(group) > 1:
        yield group


# --- decisions ----------------------------------------------------------------------------------


def open_pairs():
    return DuplicatePair.objects.filter(status=DuplicateStatus.OPEN)


def pairs_of(person: Person):
    """The open pairs of ``person``, with both people."""
    return (
        open_pairs()
        .filter(Q(person_a=person) | Q(person_b=person))
        .select_related("person_a", "person_b")
    )


def dismiss(pairs, *, user) -> int:
    """Editors say these people are not one: the pairs stay dismissed."""
    return pairs.filter(status=DuplicateStatus.OPEN).update(
        status=DuplicateStatus.DISMISSED, decided_by=user, decided_at=timezone.now()
    )


def reopen(pairs) -> int:
    """Undo a dismissal: the next refresh of either person deletes it if no longer found."""
    return pairs.filter(status=DuplicateStatus.DISMISSED).update(
        status=DuplicateStatus.OPEN, decided_by=None, decided_at=None
    )


def carry_dismissals(*, keep: Person, other: Person) -> None:
    """
    Before ``other`` is merged into ``keep`` (and deleted with its pairs): every person
    editors said ``other`` is not, they also say ``keep`` is not.
    """
    dismissed = DuplicatePair.objects.filter(
        Q(person_a=other) | Q(person_b=other), status=DuplicateStatus.DISMISSED
    )
    for pair in dismissed:
        third = pair.person_b_id if pair.person_a_id == other.pk else pair.person_a_id
        if third == keep.pk:
            continue
        a, b = sorted((keep.pk, third))
        DuplicatePair.objects.update_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={
                "status": DuplicateStatus.DISMISSED,
                "decided_by_id": pair.decided_by_id,
                "decided_at": pair.decided_at,
            },
            create_defaults={
                "status": DuplicateStatus.DISMISSED,
                "decided_by_id": pair.decided_by_id,
                "decided_at": pair.decided_at,
                "score": pair.score,
                "reason": pair.reason,
                "spellings": pair.spellings,
            },
        )
