"""
The one search function for people: the API's ``q``, the CSV exports, the admin search and
the duplicate warning all call ``search_people``, so improving it improves them all.

A query matches a person when one of their name variants matches it, in three ranks
(``search_score``):

3. exact: the query, normalised (any script, no accents, any case), is the variant or
   whole words of it: "babariko", "Ігар Лосік", "liliya vlasova";
2. key: every word of the query has the same spelling-independent key (``names``) as a
   word of the variant: "Babaryka", "Бабарыка" and "babariko" are all ``bbrk``;
1. fuzzy: every word's key is within one edit of a word key of the variant (keys of four
   letters or more): a typo, or Tsikhanouski for Tikhanovsky (Belarusian ць for ть).

Words may come in any order, and a surname alone is enough. The stored keys are indexed;
on PostgreSQL a trigram index narrows the fuzzy candidates, on SQLite every key is read
(fine for a local database). Both give the same results: the final fuzzy test is the same
Python function.

On the public side only public name variants are searched (``prisoners.public``): never
those of a person whose name is withheld (a hit would reveal the name), whose public
descriptor alone is searched, and never a variant still waiting for review.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    IntegerField,
    Lookup,
    Q,
    QuerySet,
    Value,
    When,
)
from rapidfuzz.distance import Levenshtein

from . import names
from .models import PersonName
from .public import rows as public_rows

EXACT, KEY, FUZZY = 3, 2, 1
FUZZY_MIN_LENGTH = 4


@CharField.register_lookup
class WordSimilarTo(Lookup):
    """PostgreSQL (pg_trgm): the value is word-similar to part of the column (``<%``)."""

    lookup_name = "word_similar_to"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]


def _contains_words(field: str, words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": f" {word} "})
    return condition


def _fuzzy_word(word: str, variant_words: list[str]) -> bool:
    if word in variant_words:
        return True
    if len(word) < FUZZY_MIN_LENGTH:
        return False
    return any(Levenshtein.distance(word, other, score_cutoff=1) <= 1 for other in variant_words)


def fuzzy_matches(readings: list[list[str]], search_key: str) -> bool:
    """Whether every query word of some reading is within one edit of a word of the key."""
    variant_words = search_key.split()
    return any(all(_fuzzy_word(w, variant_words) for w in reading) for reading in readings)


def _fuzzy_candidates(variants: QuerySet, readings: list[list[str]]) -> QuerySet:
    words = sorted({w for reading in readings for w in reading if len(w) >= FUZZY_MIN_LENGTH})
    if not words:
        return variants.none()
    if connection.vendor == "postgresql":
        # "<%" is pg_trgm's word-similarity operator: it uses the GIN trigram index, with
        # the threshold set on the connection (0.3: one edit in a key of four letters or
        # more keeps at least 0.4). Any word of any reading may be the near one.
        near = Q()
        for word in words:
            near |= Q(search_key__word_similar_to=word)
        return variants.filter(near)
    return variants


def search_people(queryset: QuerySet, query: str, *, public: bool = True) -> QuerySet:
    """
    The people of ``queryset`` who match ``query``, annotated with ``search_score`` (3, 2 or
    1) and ordered by it (then by name).
    """
    text = names.normalise(query)
    readings = names.keys(query)
    if not text or not readings:
        return queryset.annotate(search_score=Value(None, output_field=IntegerField()))

    # The public searches only public name variants: never a withheld person's.
    variants = public_rows(PersonName) if public else PersonName.objects.all()
    # The matching people come from the names table first (trigram-indexed on PostgreSQL),
    # then the people table is filtered by id: no per-person subquery.
    exact_ids = variants.filter(search_text__contains=f" {text} ").values("person_id")
    by_key = Q()
    for reading in readings:
        by_key |= _contains_words("search_key", reading)
    keyed_ids = variants.filter(by_key).values("person_id")
    fuzzy_ids = {
        person_id
        for person_id, key in _fuzzy_candidates(variants, readings).values_list(
            "person_id", "search_key"
        )
        if fuzzy_matches(readings, key)
    }
    query = query.strip()
    own_name = (
        Q(public_name__icontains=query)
        if public
        else Q(name__icontains=query) | Q(public_descriptor__icontains=query)
    )
    exact, keyed = Q(pk__in=exact_ids), Q(pk__in=keyed_ids)
    return (
        queryset.filter(exact | keyed | own_name | Q(pk__in=fuzzy_ids))
        .annotate(
            search_score=Case(
                When(exact, then=Value(EXACT)),
                When(keyed | own_name, then=Value(KEY)),
                default=Value(FUZZY),
                output_field=IntegerField(),
            )
        )
        .order_by("-search_score", "public_name", "pk")
    )
