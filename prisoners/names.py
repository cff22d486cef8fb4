"""
Name keys: one spelling-independent key for every way a Belarusian or Russian name is
written.

The same person is Бабарыка, Бабарико, Babaryka and Babariko; Ціханоўскі, Тихановский,
Tsikhanouski, Tikhanovsky and Tichanovsky. ``name_key`` turns any of them into a skeleton
of consonant classes that the spellings share:

1. Any script to ASCII Latin with ``anyascii`` (Cyrillic, Łacinka, diacritics: č → c).
2. Letter groups of each transliteration system to one class: ts/tz/c/cz/ch(English)/č
   → ``c``; sh/sz/sch/shch/szcz/š → ``s``; zh/rz/ż → ``z``; kh/ch(German, Polish)/h/g →
   ``g`` (Belarusian г is h, Russian г is g, х is kh or ch); w → ``v``; dz → ``d``.
3. A Belarusian ў, written u after a vowel or at the start before a consonant, reads as
   v (Tsikhanouski → -nov-, Ulasava → Vlasava), as Russian spells it.
4. Doubled letters once; then the vowels (and j, y) go: Babaryka and Babariko are both
   ``bbrk``.

A Latin "ch" is ч in English but х in German and Polish; where a word has one and the
language is not known, both readings are kept (``keys`` returns every alternative).
"""

from __future__ import annotations

import re
from itertools import product

from anyascii import anyascii

_NON_LETTERS = re.compile(r"[^a-z ]+")
_VOWELS = set("aeiouy")

# Multigraphs, longest first. "ch" is decided by the reading (see _READINGS).
_COMMON = [
    ("shch", "s"),
    ("szcz", "s"),
    ("schtsch", "s"),
    ("tsch", "c"),
    ("sch", "s"),
    ("sh", "s"),
    ("sz", "s"),
    ("zh", "z"),
    ("rz", "z"),
    ("kh", "g"),
    ("ts", "c"),
    ("tz", "c"),
    ("cz", "c"),
    ("dz", "d"),
    ("ph", "f"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("h", "g"),
]
# ч (English "ch") or х (German and Polish "ch").
_READINGS = {"c": [("ch", "c")], "g": [("ch", "g")]}
READING_OF_LANGUAGE = {"de": "g", "pl": "g", "cs": "g", "sk": "g", "hr": "g", "lt": "g"}


def normalise(text: str) -> str:
    """Lower-case ASCII letters and single spaces: "Ігар  Лосік" → "igar losik"."""
    return " ".join(_NON_LETTERS.sub(" ", anyascii(text or "").lower()).split())


def _ay_as_v(word: str) -> str:
    """A Belarusian ў: initial u before a consonant, or u after a vowel, reads as v."""
    if len(word) > 1 and word[0] == "u" and word[1] not in _VOWELS:
        word = "v" + word[1:]
    out = []
    for index, letter in enumerate(word):
        follows_vowel = index > 0 and word[index - 1] in "aeio"
        before_consonant = index + 1 == len(word) or word[index + 1] not in _VOWELS
        out.append("v" if letter == "u" and follows_vowel and before_consonant else letter)
    return "".join(out)


def _skeleton(word: str, reading: str) -> str:
    word = _ay_as_v(word)
    for old, new in _READINGS[reading] + _COMMON:
        word = word.replace(old, new)
    word = re.sub(r"(.)\1+", r"\1", word)  # doubled letters once
    consonants = "".join(letter for letter in word if letter not in _VOWELS and letter != "j")
    return consonants or word


def word_keys(word: str, language: str = "") -> list[str]:
    """The key of one normalised word, or both keys where "ch" is ambiguous."""
    language = (language or "").split("-")[0].lower()
    if "ch" not in word or language in READING_OF_LANGUAGE or language == "cyrillic":
        return [_skeleton(word, READING_OF_LANGUAGE.get(language, "c"))]
    return list(dict.fromkeys(_skeleton(word, reading) for reading in ("c", "g")))


def keys(text: str, language: str = "") -> list[list[str]]:
    """
    Every reading of a name as a list of word keys: [["srg", "tcnvsk"], ["srg", "tgnvsk"]].

    Cyrillic names have one reading (anyascii writes ч as ch and х as kh).
    """
    words = normalise(text).split()
    if not words:
        return []
    if re.search(r"[\u0400-\u04ff]", text or ""):
        language = "cyrillic"  # anyascii writes ч as "ch" and х as "kh"
    return [list(choice) for choice in product(*(word_keys(w, language) for w in words))]


def search_key(text: str, language: str = "") -> str:
    """The stored key of a name: every word key of every reading, space-padded for LIKE."""
    words = dict.fromkeys(key for reading in keys(text, language) for key in reading)
    return f" {' '.join(words)} " if words else ""


def search_text(text: str) -> str:
    """The stored normalised text of a name, space-padded for whole-word LIKE."""
    normal = normalise(text)
    return f" {normal} " if normal else ""
