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

The cost grows with the query, never faster: each word of the query keeps its own one or
two keys (``names.query_keys``; a Latin "ch" is read as ч and as х), and the SQL has one
condition per word (an OR of its keys), ANDed. Multiplying the readings out would give a
name of n such words 2ⁿ readings, and a query of nine words SQL too deep for SQLite. The
API's ``q`` (and the exports') is bounded too (``validate_query``): at most
``MAX_QUERY_LENGTH`` characters and ``MAX_QUERY_WORDS`` words, no control characters;
``search_people`` itself reads at most ``MAX_QUERY_WORDS`` distinct words (the admin).

On the public side only the published edition is searched (``prisoners.public``): it
holds no name variant of a person whose name is withheld (a hit would reveal the name),
whose public descriptor alone is searched, and no variant still waiting for review. The
admin (``public=False``) searches the editorial tables.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Lookup,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.lookups import IContains
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from rapidfuzz.distance import Levenshtein

from edition import models as edition

from . import names
from .models import Person, PersonName
from .public import rows as public_rows

EXACT, KEY, FUZZY = 3, 2, 1
FUZZY_MIN_LENGTH = 4

# A full name with a patronymic, in two scripts, is six words and well under 200 letters.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
# C0 and C1 control characters and DEL (NUL is refused by Django's CharField already).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_NOT_NUL = re.compile(r"[\x01-\x1f\x7f-\x9f]")
# The same, for the OpenAPI schema (ECMA-262 syntax).
QUERY_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"
QUERY_SCHEMA = {
    "type": "string",
    "maxLength": MAX_QUERY_LENGTH,
    "pattern": QUERY_PATTERN,
    "example": "Tsikhanouski",
    "description": (
        "Name search over every public spelling of a name, in any script and "
        f"transliteration. At most {MAX_QUERY_LENGTH} characters and {MAX_QUERY_WORDS} "
        "words, without control characters; longer is a 400."
    ),
}


def validate_query(value: str) -> None:
    """The bounds of a name search (the API's and the exports' ``q``): a 400 past them."""
    errors = []
    if _CONTROL_NOT_NUL.search(value):
        errors.append(
            ValidationError(_("Enter text without control characters."), code="control_characters")
        )
    if len(names.search_words(value)) > MAX_QUERY_WORDS:
        errors.append(
            ValidationError(
                ngettext_lazy(
                    "Enter at most %(count)s word (a name, in one or two scripts).",
                    "Enter at most %(count)s words (a name, in one or two scripts).",
                    "count",
                ),
                code="too_many_words",
                params={"count": MAX_QUERY_WORDS},
            )
        )
    if errors:
        raise ValidationError(errors)


class ContainsAnyCase(Lookup):
    """
    ``icontains`` that PostgreSQL can answer from a trigram index: ``column ILIKE
    '%text%'`` (Django's ``UPPER(column) LIKE UPPER('%text%')`` cannot use one, and makes
    the name search read every person). Elsewhere, ``icontains`` itself.
    """

    lookup_name = "contains_any_case"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        text = self.rhs.value if isinstance(self.rhs, Value) else self.rhs
        pattern = f"%{connection.ops.prep_for_like_query(text)}%"
        return f"{lhs} ILIKE %s", [*lhs_params, pattern]


@CharField.register_lookup
class WordSimilarTo(Lookup):
    """PostgreSQL (pg_trgm): the value is word-similar to part of the column (``<%``)."""

    lookup_name = "word_similar_to"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]


def _every_word(words: list[tuple[str, ...]]) -> Q:
    """
    The stored key has, for every query word, one of its keys: one condition per word (an
    OR of its one or two keys), ANDed. The SQL grows with the words, no faster.
    """
    condition = Q()
    for keys in words:
        either = Q()
        for key in keys:
            either |= Q(search_key__contains=f" {key} ")
        condition &= either
    return condition


def _fuzzy_word(word: str, variant_words: list[str]) -> bool:
    if word in variant_words:
        return True
    if len(word) < FUZZY_MIN_LENGTH:
        return False
    return any(Levenshtein.distance(word, other, score_cutoff=1) <= 1 for other in variant_words)


def fuzzy_matches(words: list[tuple[str, ...]], search_key: str) -> bool:
    """Whether every query word has a key within one edit of a word of the stored key."""
    variant_words = search_key.split()
    return all(any(_fuzzy_word(key, variant_words) for key in keys) for keys in words)


def _fuzzy_candidates(variants: QuerySet, words: list[tuple[str, ...]]) -> QuerySet:
    near_keys = sorted({key for keys in words for key in keys if len(key) >= FUZZY_MIN_LENGTH})
    if not near_keys:
        return variants.none()  # no key may be one edit off: the key match is all
    if connection.vendor == "postgresql":
        # "<%" is pg_trgm's word-similarity operator: it uses the GIN trigram index, with
        # the threshold set on the connection (0.3). Any key of any word may be the near
        # one: one condition per key, at most two per word. (Not every word: a letter
        # changed inside a key of four letters can fall below the threshold.)
        near = Q()
        for key in near_keys:
            near |= Q(search_key__word_similar_to=key)
        return variants.filter(near)
    return variants


def search_people(queryset: QuerySet, query: str, *, public: bool = True) -> QuerySet:
    """
    The people of ``queryset`` who match ``query``, annotated with ``search_score`` (3, 2 or
    1) and ordered by it (then by name). Only the first ``MAX_QUERY_WORDS`` distinct words
    count (the API refuses more).
    """
    query = _CONTROL.sub(" ", query or "").strip()
    text = " ".join(names.search_words(query))
    words = names.query_keys(query)[:MAX_QUERY_WORDS]
    if not text or not words:
        return queryset.annotate(search_score=Value(None, output_field=IntegerField()))

    # The public searches only public name variants: never a withheld person's.
    variants = public_rows(edition.PersonName) if public else PersonName.objects.all()
    people = edition.Person if public else Person
    # The matching people come from the names table first (trigram-indexed on PostgreSQL),
    # then the people table is filtered by id: one semi-join on the union of the ids each
    # rank finds (an OR of conditions would make PostgreSQL test every person).
    exact_ids = variants.filter(search_text__contains=f" {text} ").order_by().values("person_id")
    by_key = _every_word(words)
    keyed_ids = variants.filter(by_key).order_by().values("person_id")
    # The fuzzy step tests, in Python, the variants the key match has not found.
    fuzzy_ids = {
        person_id
        for person_id, key in _fuzzy_candidates(variants.exclude(by_key), words).values_list(
            "person_id", "search_key"
        )
        if fuzzy_matches(words, key)
    }
    if public:
        own_name = Q(ContainsAnyCase(F("public_name"), query))
    else:
        # The name, or for a withheld name the descriptor too: ``public_name`` (the name,
        # or the descriptor of a withheld one) is trigram-indexed, and the few withheld
        # names have their own index, so no person is read but those that match.
        own_name = Q(ContainsAnyCase(F("public_name"), query)) | Q(
            ContainsAnyCase(F("name"), query), name_withheld=True
        )
    found = [exact_ids, keyed_ids, people.objects.filter(own_name).order_by().values("pk")]
    if fuzzy_ids:
        found.append(people.objects.filter(pk__in=sorted(fuzzy_ids)).order_by().values("pk"))
    exact, keyed = Q(pk__in=exact_ids), Q(pk__in=keyed_ids)
    return (
        queryset.filter(pk__in=found[0].union(*found[1:]))
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
