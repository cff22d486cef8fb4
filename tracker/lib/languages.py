"""
Labels of the data in three languages: Belarusian, Russian and English.

What readers and editors read as labels of the data itself (an article's title, a
facility's name and city, an organisation's name, an event's title) is stored once per
language, as plain fields named ``<field>_be``, ``<field>_ru`` and ``<field>_en``: no
library rewrites queries behind the scenes, history records every language like any
other field, and each file column holds one language.

A label is read in a language with a fallback: the language asked for, else English,
else whichever language is filled (Belarusian, then Russian), else "". ``label`` does it
for a record or a row, ``label_expression`` for a query (ordering, annotations).

Text sorts in its language's collation (``collated``): on PostgreSQL the ICU collation of
that language (``COLLATIONS``), so that a Belarusian reader finds Ё after Е, І after З and
Ў after У, and a Russian reader Ё among the Е, where the code-point order would put all
three before А. SQLite has no such collations: there the order is the plain one (code
points), which is why tests of the order run on PostgreSQL. ``ALPHABETS`` are the letters a
name can begin with, in each language's order, for finding people by their initial.

Usage::

    label(facility, "name", "be")   # "СІЗА КДБ", or the English name if none in Belarusian
    labels(facility, "name")        # {"be": …, "ru": …, "en": …}
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q, Value
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header

from .csv_streams import Column, field_column

LANGUAGES = ("be", "ru", "en")
DEFAULT = "en"
# After the language asked for: English, then any language that is filled.
FALLBACK = ("en", "be", "ru")


def variants(field: str) -> list[str]:
    """The per-language field names of a label: ``name_be``, ``name_ru``, ``name_en``."""
    return [f"{field}_{language}" for language in LANGUAGES]


def known_language(code: str | None) -> str | None:
    """The data language of a language code ("be-BY" is "be"), or None."""
    if not code:
        return None
    code = code.lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGES else None


def accepted_language(header: str) -> str | None:
    """The first of our languages in an ``Accept-Language`` header (by its weights), or None."""
    for code, _quality in parse_accept_lang_header(header or ""):
        language = known_language(code)
        if language:
            return language
    return None


def active_language() -> str:
    """The active (Django) language as a data language; English when it is none of them."""
    return known_language(get_language()) or DEFAULT


def _value(record, name: str) -> str:
    if isinstance(record, Mapping):
        return record.get(name) or ""
    return getattr(record, name, "") or ""


def labels(record, field: str, prefix: str = "") -> dict[str, str]:
    """Every language's value of ``field`` of a record, or of a row read with ``prefix``."""
    return {language: _value(record, f"{prefix}{field}_{language}") for language in LANGUAGES}


def pick(values: Mapping[str, str], language: str | None = None) -> str:
    """The value in ``language`` (default: the active one), with the fallback."""
    for candidate in (language or active_language(), *FALLBACK):
        if values.get(candidate):
            return values[candidate]
    return ""


def label(record, field: str, language: str | None = None, prefix: str = "") -> str:
    """``field`` of a record (or of a row read with ``prefix``) in ``language``."""
    return pick(labels(record, field, prefix), language)


def label_expression(field: str, language: str | None = None, prefix: str = ""):
    """The label in ``language``, with the fallback, as a query expression."""
    order = dict.fromkeys((language or active_language(), *FALLBACK))
    return Coalesce(
        *(NullIf(F(f"{prefix}{field}_{code}"), Value("")) for code in order),
        Value(""),
    )


# Each language's collation on PostgreSQL: the ICU collations that initdb creates when the
# server is built with ICU (Debian's and the official images are).
COLLATIONS = {"be": "be-x-icu", "ru": "ru-x-icu", "en": "en-x-icu"}


class Collated(Collate):
    """An expression in a language's collation on PostgreSQL (``COLLATE "be-x-icu"``); on
    other databases (SQLite) the expression itself, in their plain order."""

    def __init__(self, expression, language: str):
        super().__init__(expression, COLLATIONS[language])

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return compiler.compile(self.get_source_expressions()[0])
        return super().as_sql(compiler, connection, **extra_context)


def collated(field: str, language: str | None = None) -> Collated:
    """``field`` in the collation of ``language`` (default: the active one), for ordering."""
    return Collated(F(field), language or active_language())


# The letters a name can begin with, in each language's alphabetical order (no word begins
# with Ў, Ы, Ь or Ъ); Russian files Ё with Е, as its collation and its dictionaries do.
ALPHABETS = {
    "be": "АБВГДЕЁЖЗІЙКЛМНОПРСТУФХЦЧШЭЮЯ",
    "ru": "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ",
    "en": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
}
FILED_WITH = {"ru": {"Е": "ЕЁ"}}


def initials(letter: str, language: str) -> str:
    """The capital letters a name filed under ``letter`` in ``language`` begins with:
    "ЕЁ" for the Russian Е, else the letter itself (in capitals)."""
    letter = letter.upper()
    return FILED_WITH.get(language, {}).get(letter, letter)


# The script each language is written in unless its tag says otherwise (BCP 47's
# Suppress-Script), for the languages names are spelled in.
USUAL_SCRIPTS = {
    "be": "Cyrl",
    "ru": "Cyrl",
    "uk": "Cyrl",
    "en": "Latn",
    "pl": "Latn",
    "lt": "Latn",
    "lv": "Latn",
    "de": "Latn",
    "fr": "Latn",
    "cs": "Latn",
}
SCRIPT_CODES = ("Latn", "Cyrl")


def language_tag(language: str, script: str) -> str:
    """
    The ``lang`` of a spelling in ``language`` (BCP 47) written in ``script`` (ISO 15924):
    the language where the script is its usual one ("be" for Ігар Лосік, "en" for Ihar
    Losik), with the script where it is not ("be-Latn" for Ihar Losik as Belarusian in
    Latin letters, "ru-Latn"); "" where the language is not known.
    """
    if not language:
        return ""
    primary, *rest = language.split("-")
    if (
        script not in SCRIPT_CODES
        or USUAL_SCRIPTS.get(primary.lower()) == script
        or any(len(part) == 4 and part.isalpha() for part in rest)
    ):
        return language
    return "-".join([primary, script, *rest])


def labelled_constraint(field: str, message) -> CheckConstraint:
    """The database's check that a label is given in at least one language."""
    return CheckConstraint(
        condition=~Q(**dict.fromkeys(variants(field), "")),
        name=f"%(app_label)s_%(class)s_{field}_given",
        violation_error_message=message,
    )


# Letters that occur in Belarusian and not in Russian, and the reverse.
BELARUSIAN_LETTERS = frozenset("іўІЎ")
RUSSIAN_LETTERS = frozenset("иъщИЪЩ")


def language_of(text: str) -> str:
    """
    The data language a label is written in, by its letters: Cyrillic with і or ў is
    Belarusian, other Cyrillic Russian, anything else English. For moving a label that
    was kept in one field into the field of its language (a migration).
    """
    letters = set(text)
    if letters & BELARUSIAN_LETTERS and not letters & RUSSIAN_LETTERS:
        return "be"
    if any("\u0400" <= char <= "\u04ff" for char in text):
        return "ru"
    return "en"


def require_label(record, field: str, message) -> None:
    """``labelled_constraint`` as a form error, on the field of the active language."""
    if not any(labels(record, field).values()):
        raise ValidationError({f"{field}_{active_language()}": message})


LANGUAGE_NAMES = {"be": "Belarusian", "ru": "Russian", "en": "English"}


def language_columns(field: str, what: str, note: str = "") -> list[Column]:
    """One file column per language of a label: ``name_be``, ``name_ru``, ``name_en``."""
    return [
        field_column(
            f"{field}_{language}",
            "string",
            f"{what} in {LANGUAGE_NAMES[language]}.{f' {note}' if note else ''}",
        )
        for language in LANGUAGES
    ]
