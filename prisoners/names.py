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
language is not known, both readings are kept: a word has one or two keys (``word_keys``).
A query is a list of words, each with its own one or two keys (``query_keys``), never the
product of the words' readings: a name of n such words would have 2ⁿ readings.

Before the letters are compared, some spellings of one sound are made one word and one
letter group: ь and ъ, and an apostrophe inside a word, are no word break (Татьяна,
Tat'jana and Tatiana are one word, ``ttn``), and Łacinka šč is щ like shch, szcz and
schtsch (all ``s``). A stored name keeps the keys of its words split at the apostrophe too
(``search_key``), so that a query spelled either way finds it.
"""

from __future__ import annotations

import re
from itertools import product
from math import prod

from anyascii import anyascii

_NON_LETTERS = re.compile(r"[^a-z ]+")
_VOWELS = set("aeiouy")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# ь and ъ, and an apostrophe between two Cyrillic letters (Мар'я): part of the word.
_SOFT = re.compile(r"[ьЬъЪ]|(?<=[\u0400-\u04ff])['’ʼ](?=[\u0400-\u04ff])")
# An apostrophe (or a prime standing for ь or ъ) between two letters of any script.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’ʼʹʺ‘`´](?=[^\W\d_])")
# Łacinka (and Czech) šč is щ; anyascii would make it "sc".
_SHCH = re.compile("[šŠ][čČ]")

MAX_KEYS_PER_WORD = 2  # the "ch" of a word read as ч or as х
MAX_READINGS = 64  # ``keys``: past this, only the all-ч and the all-х reading

# Multigraphs whose "ch" is part of a longer group (щ, German ч): before "ch" is read.
_BEFORE_CH = [("schtsch", "s"), ("shch", "s"), ("tsch", "c")]
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
    """
    Lower-case ASCII letters and single spaces: "Ігар  Лосік" → "igar losik". A ь or ъ (or
    an apostrophe between Cyrillic letters) is part of the word: "Татьяна" → "tatyana";
    Łacinka šč is written shch, as anyascii writes щ.
    """
    text = _SHCH.sub("shch", _SOFT.sub("", text or ""))
    return " ".join(_NON_LETTERS.sub(" ", anyascii(text).lower()).split())


def search_words(text: str) -> list[str]:
    """
    The words of a name or a query as the search reads them: ``normalise``d, with an
    apostrophe between two letters of any script part of the word ("Tat'jana" → "tatjana").
    """
    return normalise(_APOSTROPHE.sub("", text or "")).split()


def _split_words(text: str) -> list[str]:
    """The words with every apostrophe, ь and ъ a word break ("Tat'jana" → "tat", "jana")."""
    return _NON_LETTERS.sub(" ", anyascii(_SHCH.sub("shch", text or "")).lower()).split()


def is_cyrillic(text: str) -> bool:
    """Whether a name is written (at least partly) in Cyrillic."""
    return bool(_CYRILLIC.search(text or ""))


def _reading_language(text: str, language: str) -> str:
    # A Cyrillic name has one reading: anyascii writes ч as "ch" and х as "kh".
    return "cyrillic" if _CYRILLIC.search(text or "") else language


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
    for old, new in _BEFORE_CH + _READINGS[reading] + _COMMON:
        word = word.replace(old, new)
    word = re.sub(r"(.)\1+", r"\1", word)  # doubled letters once
    consonants = "".join(letter for letter in word if letter not in _VOWELS and letter != "j")
    return consonants or word


def word_keys(word: str, language: str = "") -> list[str]:
    """The key of one normalised word, or both keys where "ch" is ambiguous (at most two)."""
    language = (language or "").split("-")[0].lower()
    if "ch" not in word or language in READING_OF_LANGUAGE or language == "cyrillic":
        return [_skeleton(word, READING_OF_LANGUAGE.get(language, "c"))]
    return list(dict.fromkeys(_skeleton(word, reading) for reading in ("c", "g")))


def query_keys(text: str, language: str = "") -> list[tuple[str, ...]]:
    """
    The keys of each distinct word of a query, in order: [("srg",), ("tcnvsk", "tgnvsk")].
    A name matches when every word has one of its keys among the name's word keys; the
    list grows with the words (at most ``MAX_KEYS_PER_WORD`` keys each), never as the
    product of their readings.
    """
    language = _reading_language(text, language)
    found = {}
    for word in dict.fromkeys(search_words(text)):
        found[tuple(word_keys(word, language)[:MAX_KEYS_PER_WORD])] = None
    return list(found)


def keys(text: str, language: str = "") -> list[list[str]]:
    """
    Every reading of a whole name as a list of word keys: [["srg", "tcnvsk"], ["srg",
    "tgnvsk"]] (for ``duplicates``, which compares whole names). Cyrillic names have one
    reading. A name with more than ``MAX_READINGS`` has only its all-ч and all-х readings:
    the list never grows as 2ⁿ. Searching uses ``query_keys``.
    """
    words = search_words(text)
    if not words:
        return []
    language = _reading_language(text, language)
    alternatives = [word_keys(word, language) for word in words]
    if prod(len(options) for options in alternatives) <= MAX_READINGS:
        return [list(choice) for choice in product(*alternatives)]
    first = [options[0] for options in alternatives]
    last = [options[-1] for options in alternatives]
    return [first, last] if first != last else [first]


def search_key(text: str, language: str = "") -> str:
    """
    The stored key of a name: every key of every word, space-padded for LIKE, of the name
    as ``search_words`` reads it and of the name split at its apostrophes (and ь, ъ).
    """
    language = _reading_language(text, language)
    words = dict.fromkeys([*search_words(text), *_split_words(text)])
    found = dict.fromkeys(key for word in words for key in word_keys(word, language))
    return f" {' '.join(found)} " if found else ""


def search_text(text: str) -> str:
    """The stored normalised text of a name (``search_words``), space-padded for LIKE."""
    normal = " ".join(search_words(text))
    return f" {normal} " if normal else ""
