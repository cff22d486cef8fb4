"""
Probable duplicates: people who share a name key and whose birth dates could be the same.

``find_duplicates`` (the command) and the admin's warning on a new person both use this.
Two people are probably the same when a name variant of each has the same key for every
word, in any order (score 0.8), raised to 0.95 when both birth dates are known and equal;
known birth dates that cannot be the same day rule the pair out.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from django.utils.translation import gettext as _

from tracker.lib.partial_dates import parse_partial_date

from . import names
from .models import Person, PersonName


def _full_keys(text: str, language: str = "") -> set[tuple[str, ...]]:
    """Order-independent keys of a whole name (one per reading); single words don't count."""
    return {tuple(sorted(reading)) for reading in names.keys(text, language) if len(reading) > 1}


def _compatible(a: str, b: str) -> bool | None:
    first, second = parse_partial_date(a), parse_partial_date(b)
    if first is None or second is None:
        return None
    return first.earliest <= second.latest and second.earliest <= first.latest


def _score(a: Person, b: Person) -> float | None:
    compatible = _compatible(a.birth_date, b.birth_date)
    if compatible is False:
        return None
    if compatible and a.birth_date == b.birth_date and len(a.birth_date) == 10:
        return 0.95
    return 0.8


def probable_duplicates() -> list[tuple[float, Person, Person, str]]:
    """Every probable pair, best first: (score, person, person, shared key)."""
    people_by_key: dict[tuple, set[int]] = defaultdict(set)
    for person_id, name, language in PersonName.objects.values_list(
        "person_id", "name", "language"
    ).iterator():
        for key in _full_keys(name, language):
            people_by_key[key].add(person_id)
    for person_id, name in Person.objects.values_list("pk", "name").iterator():
        for key in _full_keys(name):
            people_by_key[key].add(person_id)
    pairs: dict[tuple[int, int], str] = {}
    for key, ids in people_by_key.items():
        for pair in combinations(sorted(ids), 2):
            pairs.setdefault(pair, " ".join(key))
    people = Person.objects.in_bulk({pk for pair in pairs for pk in pair})
    found = []
    for (a, b), key in pairs.items():
        score = _score(people[a], people[b])
        if score is not None:
            found.append((score, people[a], people[b], key))
    return sorted(found, key=lambda row: (-row[0], row[1].pk, row[2].pk))


def duplicates_of(person: Person) -> list[tuple[Person, str]]:
    """Other people who are probably ``person``, with the reason."""
    spellings = [(person.name, ""), *person.names.values_list("name", "language")]
    wanted = set().union(*(_full_keys(text, language) for text, language in spellings))
    if not wanted:
        return []
    found = {}
    candidates = PersonName.objects.exclude(person=person).select_related("person")
    for key in wanted:
        condition = candidates
        for word in key:
            condition = condition.filter(search_key__contains=f" {word} ")
        for variant in condition:
            if (
                _full_keys(variant.name, variant.language) & wanted
                and _score(person, variant.person) is not None
            ):
                found.setdefault(
                    variant.person, _("same name key as “%(name)s”") % {"name": variant.name}
                )
    return sorted(found.items(), key=lambda item: item[0].pk)
