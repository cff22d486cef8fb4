"""
Withheld names never leave the database.

When a family asks for a person's name to be withheld, no public output may identify them
by name: not their records, not another record's description, a source's title, a quote,
a URL. Every public response (API and exports) passes through ``Redactor``, which finds
each mention of each withheld person in every string and replaces it with
``[name withheld]``. It finds mentions the way search finds people (``prisoners.names``),
so that whatever an outsider could search for is also what gets hidden.

What counts as a mention
------------------------
Every text is first read as a reader's eye takes it (``reading``): Unicode NFKC
(fullwidth letters, ligatures and other compatibility forms become the usual letters),
and every default-ignorable or format character removed (soft hyphen, zero-width space,
joiners, word joiner, bidi controls, variation selectors, byte-order mark). A browser
shows ``Kvyat\u00adkovsky`` as "Kvyatkovsky", and so it is read. What is found in the
reading is replaced in the original text, over the whole span it came from, with the
unseen characters on its edges: no fragment of a name is left.

Every spelling of a withheld person (``Person.name`` and every ``PersonName``, in any
state) is split into words; each word gets the spelling-independent keys of
``prisoners.names`` (any script or transliteration: Іваноў, Иванов, Ivanov, Iwanow, Ivanoŭ
are all ``vnv``). A text is split into words the same way (letters only: spaces, line
breaks, no-break spaces, hyphens, underscores, dots, slashes all separate words; ь, ъ and a
Belarusian apostrophe inside a Cyrillic word do not).

1. A *run* is a sequence of adjacent words of the text that are all words of the same
   withheld person, in any order ("Ivanov Ivan", "Иванов Иван Иванович"). Adjacent means
   that at most three punctuation characters and any whitespace, but no digit, stand
   between them ("Ivan  Ivanov", "Ivan\\nIvanov", "Ivanov, Ivan", "ivanov-ivan",
   "ivan_ivanov", "ivan.ivanov").
2. A run is hidden when it contains the surname and at least one more name word (the full
   name, in any order), or when it contains a surname whose key is *distinctive*: at least
   three consonants (``vnv`` for Ivanov, ``lsk`` for Losik). A surname with a shorter key
   ("Li", "Ra", "Tsoi", "Лях") would match everyday words, so it is hidden only next to the
   person's given name or patronymic. A spelling of one word only (an alias) is hidden
   on its own whatever its length (a short one only as stored, give or take case).
3. Inflection: keys drop vowels, so endings made of vowels (Иванова, Иванову, Іванава,
   Ивановой, Бабарыкі) already share the key. Endings that add a consonant are the
   instrumental and dative-plural ``-ом/-ым/-ем/-ам/-ім/-ами`` (adds ``m``) and the
   adjectival genitive or plural ``-ого/-ага/-ых/-их`` (adds ``g``: Тихановского,
   Ціханоўскага): a text word whose key is a name key plus one ``m`` or ``g`` also counts.
4. Keys ignore vowels, so a key match also requires the text word to begin with a vowel
   exactly when the name word does (Losik ``lsk`` is not Alaska ``lsk``), and a surname
   alone must also be spelled alike: within one edit per four letters of a stored
   spelling, after folding transliteration differences, о/а and и/ы/й and case endings
   (Лосіка, Łosik and Lasik are Losik; Lusaka is not).
5. Words with a key of fewer than three consonants (Ivan, Li, Anna, Yury) are not compared
   by key, which would match far too much ("even" for Ivan), but by their spelling with
   transliteration differences and common case endings removed (Ивана, Иваном, Iwan,
   Юрия all count as Ivan).
6. Which word is the surname: in a spelling of three or more words, the one word after
   the first that ends like a patronymic (-ovich, -avich, -ovna, -auna, -ichna, …) is
   not; a word whose key is a common Belarusian or Russian given name (``GIVEN_NAMES``)
   is not; every other word is. If that leaves no surname, the last word (the first
   where the spelling ends with a patronymic) is the surname. Erring this way hides
   more, never less.
7. Initials next to a hidden run go with it: "I. I. Ivanov" becomes ``[name withheld]``.
8. A word written apart is one word: pieces joined by a hyphen, dash or underscore (a
   space or a line break on either side at most: a line-end hyphenation), and a
   capitalised piece followed by a space and a lower-case piece, or two pieces in
   capitals ("Kvyat-kovsky", "Kvyat kovsky", "KVYAT KOVSKY", "Kvy at kov sky"), are read
   together when together they say more of a withheld person than the first piece alone
   (a surname rather than a given name, a hidden word rather than nothing); the longest
   such. The pieces' keys are added up first (``Matcher.keys``, ``prefixes``), so that
   only pieces that may add up to a name key are ever read together.
9. A letter-spaced run, three or more single letters with a space, dot, hyphen or the
   like between them (``K v y a t k o v s k y``, ``К в я т к о в с к и й``), is read as
   one word; when any part of it spells a name word, the whole run is hidden.

URLs
----
A URL that mentions a withheld person (after percent-decoding, UTF-8 or Windows-1251,
then read as above: ``%C2%AD`` is a soft hyphen; any two words of a URL may be pieces of
one) is replaced as a whole by ``[name withheld]``: a partly replaced URL is broken and its
remaining parts (an id, a date, the rest of the slug) can still find the page. A value
that starts with ``http://`` or ``https://`` is one URL; inside a free text, a URL is what
starts with ``http(s)://`` or ``www.`` up to the next whitespace (trailing punctuation
excluded), and any other whitespace-delimited chunk with a percent escape is treated the
same way.

What it deliberately does not catch
-----------------------------------
A given name or patronymic alone, or both without the surname (hiding every "Aliaksandr"
would hide other people); a short-key surname alone; words glued without a separator
("ivanovivan", "IvanIvanov", unless letter-spaced); in a running text, two lower-case
pieces with only a space between ("kvyat kovsky"): reading every pair of ordinary words
together would join ordinary words and cost more than the rest of redaction (in a URL
they are read together); a name cut inside a letter group that the keys cannot put
back ("T-sikhanouski", ts cut in two); nicknames and diminutives that are not stored as variants
(Vanya, Sasha); initials alone; inflections that change a consonant (Belarusian dative
Бабарыцы) or drop a vowel of a short name (Лев, Льва); descriptions that identify without
naming. Conversely, an ordinary word that happens to be spelled like a distinctive surname
within the tolerance of rule 4 is hidden too (Lasik for Losik, boundary for Bondar:
privacy before readability), and so is a published namesake mentioned in a free text:
only a person's own name fields, wrapped in ``OwnName``, are shown untouched.

Cost: one query per response reads the spellings (``from_database``); the matcher is built
once per set of spellings and cached; ``text`` is linear in the length of the text, with
word keys cached, and returns its argument itself when nothing is withheld or found. A
text in which no word names anyone is looked at for words written apart only where one
may begin (``_SITES``, one scan by the regular expression engine).
Records of a withheld person additionally leave out their name spellings, identifiers and
citations (see ``prisoners.public``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice
from typing import NamedTuple
from urllib.parse import unquote

from rapidfuzz.distance import Levenshtein

from . import names
from .models import Person

WITHHELD = "[name withheld]"


class OwnName(str):
    """
    A published person's own name (their ``name`` or one of their ``names``).

    ``Redactor`` leaves it untouched even when a withheld person has the same name: another
    person's own name is never redacted.
    """

    __slots__ = ()


class Whole(dict):
    """
    A record's shown fields, some of which are withheld together (``prisoners.telling``):
    ``groups`` of (texts, hidden), where, when any of the texts names a withheld person,
    every key of ``hidden`` present in the data is shown as its function makes it (the
    title as ``[withheld]``, the URL empty, the date as its year). ``Redactor.data`` reads
    it; anything else sees a plain dict.
    """

    def __init__(self, data, groups: Iterable[tuple[tuple, dict]]):
        super().__init__(data)
        self.groups = tuple(groups)

    def shown(self, redactor: Redactor) -> dict:
        data = dict(self)
        for texts, hidden in self.groups:
            if redactor.names(*texts):
                for key, conceal in hidden.items():
                    if key in data:
                        data[key] = conceal(data[key])
        return data


# Common given names, in one transliteration or two: a word with the key of one of them
# (or for a short key, the spelling of one of them) is not taken for a surname (rule 6).
_GIVEN_NAMES = """
    Aleksandr Aliaksandr Alexander Aleksandra Aliaksandra Alexandra Aleksei Aliaksei Alexei
    Anatoly Anatol Andrei Andrey Anton Arkady Arkadz Arseni Artem Artsiom Artur Albert
    Bahdan Bogdan Barys Boris Daniil Danila Denis Dzianis Dmitry Dzmitry Zmitser Eduard
    Edvard Fiodar Fedor Fyodor Filip Gennady Hienadz Georgy Heorhi Grigory Ryhor Gleb Hleb
    Kanstantsin Konstantin Kiryl Kirill Leanid Leonid Maksim Maxim Mark Matvei Mikhail
    Mikhas Michael Mikalai Nikolai Mikita Nikita Miraslau Miroslav Pavel Piotr Petr Pyotr
    Peter Raman Roman Ruslan Sergei Sergey Siarhei Stanislau Stanislav Sciapan Stepan
    Stefan Taras Timur Tsimur Uladzimir Vladimir Uladzislau Vladislav Vadim Vadzim Valery
    Valiantsin Valentin Vasily Vasil Viachaslau Vyacheslav Viktar Viktor Victor Vital
    Vitaly Vitali Yauhen Yevgeny Evgeny Yaraslau Yaroslav Kastus
    Aksana Oksana Alena Angelina Anastasia Nastassia Antanina Antonina Darya Daria
    Dziana Diana Ekaterina Katerina Katsiaryna Kaciaryna Elizaveta Lizaveta Galina Halina
    Karina Kristina Kristsina Christina Ksenia Kseniya Larisa Larysa Liubou Lyubov
    Liudmila Lyudmila Ludmila Margarita Marharyta Marina Maryna Nadezhda Nadzeya Natalia
    Natallia Palina Polina Svetlana Sviatlana Tamara Tatiana Tatsiana Valentina
    Valiantsina Valeria Valeryia Veronika Veranika Viktoria Viktoryia Volha Olga Yauheniya
    Evgenia Zinaida
    Ivan Ian Yan Jan Aleh Oleg Ihar Igor Yahor Egor Yury Yuri Ilya Illia Lev Leu Ales
    Anna Hanna Iryna Irina Inna Nina Yana Elena Yelena Maria Maryia Yulia Julia
    Zoya Raisa Ilona Lilia Liliya Alla Emma Vera Ina Ira Eva Ada Asia
"""
GIVEN_NAMES = tuple(_GIVEN_NAMES.split())

_VOWELS = "aeiouy"
_CYRILLIC = r"[\u0400-\u04ff]"
_LETTER = r"[^\W\d_][\u0300-\u036f]*"
# A word of a text: letters (with combining accents), and a Belarusian apostrophe between
# two Cyrillic letters (Мар'я, Вераб'ёў).
_TOKEN = re.compile(rf"{_LETTER}(?:(?:(?<={_CYRILLIC})['’ʼ](?={_CYRILLIC}))?{_LETTER})*")
# The same for the usual text, without accents to combine or apostrophes to keep (faster).
_PLAIN_TOKEN = re.compile(r"[^\W\d_]+")
_NOT_PLAIN = re.compile(rf"[\u0300-\u036f]|{_CYRILLIC}['’ʼ]")
# Letters that transliterate as an apostrophe and would split a word in two.
_SOFT = re.compile(rf"[ьЬъЪ]|(?<={_CYRILLIC})['’ʼ](?={_CYRILLIC})")
_SHCH = re.compile("[šŠ][čČ]")
_SHCH_LATIN = re.compile("szcz|schtsch")
_PATRONYMIC = re.compile(
    r"(?:ov|ev|av|iev|jev|yev)(?:ich|ic|itch|itsch|icz|ych)$"
    r"|(?:ov|ev|av|au|eu|iv)na$|i(?:ch|c|sh)na$"
)
# Case endings of a short word written with the vowel classes of ``_vowel_form``.
_ENDINGS = (
    "a", "u", "e", "i", "ia", "iu", "ie", "ii", "ai", "ei", "am", "em", "im", "iam", "iem",
    "ami", "imi", "ag", "ig", "aga", "ama", "amu", "imu", "emu", "iei", "aia", "uiu",
)  # fmt: skip
_VOWEL_CLASSES = str.maketrans({"o": "a", "y": "i", "j": "i"})
_DOUBLED = re.compile(r"(.)\1+")
# Case endings that add a consonant to a key: -ом/-ым/-ами/-ому (m), -ого/-ага/-ых (g).
_INFLECTED = re.compile(r"(?:[aeiouy]m[aiu]?|[aeo](?:g|h)[oa]|[aoiy](?:kh|h))$")
DISTINCTIVE = 3  # consonants in a key for a surname to be hidden on its own

_LINK = re.compile(r"(?i)(?:https?://|www\.)[^\s<>\"]+|(?<!\S)[^\s%]*%[0-9a-f]{2}\S*")
_WHOLE_URL = re.compile(r"(?i)\s*https?://")
_LINK_TRAILER = ".,;:!?)]}'\"»”’"
_INITIALS_BEFORE = re.compile(r"(?:(?<![^\W\d_])[^\W\d_]\.\s{0,2}){1,3}$")
_INITIALS_AFTER = re.compile(r"(?:\s{0,2}[^\W\d_]\.){1,3}")

SURNAME, ALONE, WORD = 1, 2, 4  # flags of a name word
_NO_HITS: dict[int, int] = {}  # shared by the words that name no one: never modified

# Characters a reader does not see: every format character (Unicode category Cf: soft
# hyphen, zero-width space, joiners, word joiner, bidi controls, byte-order mark, …) and
# every other default-ignorable code point (variation selectors, the combining grapheme
# joiner, Hangul fillers, Mongolian variation selectors, tags). ``tests/test_redaction``
# checks that every Cf character of the running Python's Unicode is in it.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)

# What may stand inside a word that a reader still reads as one: a space or a line break,
# a hyphen or dash (a line-end hyphenation), or a dot, underscore, middle dot, star, slash
# or plus (a letter-spaced name, a URL's query); with two spaces on either side at most.
_BRIDGE = re.compile(r"\s{0,2}[-\u2010-\u2015\u2212_.\u00b7\u2022*/+]?\s{0,2}")
_BRIDGE_MAX = 5  # characters
# What may join any two pieces of a word (``_may_lead``).
_HYPHENS = re.compile(r"[-\u2010-\u2015\u2212_]")
# Where a word written apart may begin: three single letters in a row; a piece before a
# hyphen; a capitalised piece before a space and a
# lower-case letter, or two pieces in capitals. Capitals and lower case of the Latin and
# Cyrillic alphabets (Latin Extended-A and the Cyrillic supplement in both lists).
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u0400-\u042f\u0460-\u052f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f\u0430-\u045f\u0460-\u052f"
_SITES = re.compile(
    r"(?<![^\W\d_])(?:"
    r"[^\W\d_](?=(?:[\s\-\u2010-\u2015\u2212_.\u00b7\u2022*/]{1,5}[^\W\d_](?![^\W\d_])){2})"
    r"|[^\W\d_]++(?=\s{0,2}[-\u2010-\u2015\u2212_]\s{0,2}[^\W\d_])"
    rf"|[{_UPPER}][^\W\d_]*+(?=\s{{1,2}}[{_LOWER}])"
    rf"|[{_UPPER}]{{2,}}(?=\s{{1,2}}[{_UPPER}]{{2}})"
    r")"
)
_JOIN_PIECES = 40  # pieces (letters, when a name is letter-spaced) in one bridged word
_JOIN_LETTERS = 40
_SPACED = 3  # single letters in a row that make a letter-spaced run


class _Reading(NamedTuple):
    """
    A text as a reader's eye takes it: NFKC, without the characters nobody sees; and for
    each of its characters, where in the original text it came from (None: the same).
    """

    text: str
    starts: list[int] | None
    ends: list[int] | None
    source: str = ""

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that a span of the reading covers, with the
        unseen characters on either side of it (a direction mark left alone would turn
        what replaces the name around)."""
        if self.starts is None:
            return start, end
        start, end = self.starts[start], self.ends[end - 1]
        source = self.source
        while start > 0 and _IGNORABLE.match(source, start - 1):
            start -= 1
        while end < len(source) and _IGNORABLE.match(source, end):
            end += 1
        return start, end


def reading(text: str) -> _Reading:
    """
    ``text`` as it reads: Unicode NFKC (fullwidth and other compatibility forms to the
    usual letters, composed accents), and every default-ignorable or format character
    removed (``_IGNORABLE``), with the way back to the original text's positions.
    """
    if text.isascii() or (
        _IGNORABLE.search(text) is None and unicodedata.is_normalized("NFKC", text)
    ):
        return _Reading(text, None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # A letter with the combining marks after it is normalised as one cluster; every
    # character that comes out of it points back to the whole cluster.
    cluster_start, cluster = 0, ""
    for index, char in enumerate(text):
        if _IGNORABLE.match(char):
            continue
        if cluster and unicodedata.combining(char):
            cluster += char
            continue
        if cluster:
            _emit(cluster, cluster_start, index, out, starts, ends)
        cluster_start, cluster = index, char
    if cluster:
        _emit(cluster, cluster_start, len(text), out, starts, ends)
    return _Reading("".join(out), starts, ends, text)


def _emit(cluster: str, start: int, end: int, out: list, starts: list, ends: list) -> None:
    for char in unicodedata.normalize("NFKC", cluster):
        out.append(char)
        starts.append(start)
        ends.append(end)


def _strength(hits: dict[int, int]) -> int:
    """How much a word says of a withheld person: 3 hidden alone, 2 a surname, 1 a name word."""
    best = 0
    for flags in hits.values():
        best = max(best, 3 if flags & ALONE else 2 if flags & SURNAME else 1)
    return best


def _bridges(text: str, end: int, start: int) -> bool:
    """Whether the characters between two pieces may stand inside one word (``_BRIDGE``)."""
    return 0 < start - end <= _BRIDGE_MAX and _BRIDGE.fullmatch(text, end, start) is not None


def _may_lead(text: str, token: str, after: tuple[int, int, str], end: int) -> bool:
    """
    Whether a token of a running text may be the first piece of a word written apart
    (other than the first of a letter-spaced run): a piece joined to the next by a
    hyphen, dash or underscore; or a capitalised piece followed after a space by a
    lower-case one, or both in capitals ("Kvyat kovsky", "KVYAT KOVSKY"). Two lower-case
    words with a space between are two words: bridging every such pair of a text would
    cost as much as the rest of redaction, and would join ordinary words.
    """
    gap = text[end : after[0]]
    if _HYPHENS.search(gap):
        return True
    if not token[0].isupper() or not gap.isspace():
        return False
    following = after[2]
    return following[0].islower() or (
        len(token) > 1 and token.isupper() and len(following) > 1 and following.isupper()
    )


def _vowels_only(key: str) -> set[str]:
    """What a piece of vowels adds to a key: nothing, or a v where a u in it is a Belarusian
    ў cut off the letters around it (Квятко-ў-скі: after a vowel, before a consonant)."""
    return {"", "v"} if "u" in key else {""}


def _glue(left: str, right: str) -> str:
    """Two keys written together (keys have no doubled letters)."""
    if left and right and left[-1] == right[0]:
        return left + right[1:]
    return left + right


def _consonants(key: str) -> int:
    return 0 if any(letter in _VOWELS for letter in key) else len(key)


def _words(text: str) -> list[str]:
    """
    Normalised words, with щ written "shch" in every spelling (Łacinka šč, which anyascii
    makes "sc"; Polish szcz; German schtsch), so that they all get the key of Cyrillic щ.
    """
    normal = names.normalise(_SHCH.sub("shch", _SOFT.sub("", text)))
    return _SHCH_LATIN.sub("shch", normal).split()


def _reading_language(text: str, language: str) -> str:
    return "cyrillic" if re.search(_CYRILLIC, text) else language


def _starts_with_vowel(word: str) -> bool:
    """Whether a normalised word starts with a vowel (an initial ў-like u before a consonant
    reads as v, as in ``prisoners.names``)."""
    if word[0] == "u" and len(word) > 1 and word[1] not in _VOWELS:
        return False
    return word[0] in "aeiouyj"


def _vowel_form(word: str, reading: str) -> str:
    """A short word's spelling with transliteration differences removed but vowels kept."""
    word = names._ay_as_v(word)
    for old, new in names._READINGS[reading] + names._COMMON:
        word = word.replace(old, new)
    return _DOUBLED.sub(r"\1", word.translate(_VOWEL_CLASSES))


def _vowel_forms(word: str, language: str) -> set[str]:
    language = (language or "").split("-")[0].lower()
    if "ch" not in word or language == "cyrillic":
        readings = ("c",)
    elif language in names.READING_OF_LANGUAGE:
        readings = (names.READING_OF_LANGUAGE[language],)
    else:
        readings = ("c", "g")
    return {_vowel_form(word, reading) for reading in readings}


def _stems(form: str) -> set[str]:
    """A short word's form without each case ending it may have (at least two letters)."""
    return {
        form[: -len(ending)]
        for ending in _ENDINGS
        if form.endswith(ending) and len(form) - len(ending) >= 2
    }


@lru_cache(maxsize=100_000)
def _token(token: str) -> tuple[tuple[str, ...], bool, tuple[str, ...], tuple[str, ...]]:
    """
    What a word of a text can match: its keys (and the keys without an inflection
    consonant), whether it starts with a vowel, its short-word forms, and these forms
    without a case ending.
    """
    word = "".join(_words(token))
    if not word:
        return (), False, (), ()
    language = _reading_language(token, "")
    keys = []
    for key in names.word_keys(word, language):
        keys.append(key)
        if len(key) > 1 and key[-1] in "mg" and _INFLECTED.search(word):
            keys.append(key[:-1])
    forms = _vowel_forms(word, language)
    stems = {stem for form in forms for stem in _stems(form)} - forms
    return tuple(keys), _starts_with_vowel(word), tuple(forms), tuple(stems)


def _spelled_alike(stems: Iterable[str], spellings: Iterable[str]) -> bool:
    """Whether a word of a text is spelled close enough to a surname to stand for it alone:
    within one edit per four letters, vowels and case endings included (rule 4)."""
    for spelling in spellings:
        limit = max(1, len(spelling) // 4)
        for stem in stems:
            if Levenshtein.distance(stem, spelling, score_cutoff=limit) <= limit:
                return True
    return False


def _given_names() -> tuple[frozenset[str], frozenset[str]]:
    """The keys of the given names that have distinctive keys, the forms of the others."""
    keys, forms = set(), set()
    for name in GIVEN_NAMES:
        word = _words(name)[0]
        for key in names.word_keys(word):
            if _consonants(key) >= DISTINCTIVE:
                keys.add(key)
            else:
                forms |= _vowel_forms(word, "")
    return frozenset(keys), frozenset(forms)


_GIVEN_KEYS, _GIVEN_FORMS = _given_names()


def _is_given_name(word: str, keys: list[str], language: str) -> bool:
    if any(_consonants(key) >= DISTINCTIVE for key in keys):
        return any(key in _GIVEN_KEYS for key in keys)
    return bool(_vowel_forms(word, language) & _GIVEN_FORMS)


def _surnames(words: list[str], word_keys: list[list[str]], language: str) -> set[int]:
    """The positions of the words of one spelling that may be its surname (rule 6)."""
    count = len(words)
    if count == 1:
        return {0}
    patronymics = [i for i in range(1, count) if _PATRONYMIC.search(words[i])]
    patronymic = patronymics[0] if count >= 3 and len(patronymics) == 1 else None
    rest = [i for i in range(count) if i != patronymic]
    surnames = {i for i in rest if not _is_given_name(words[i], word_keys[i], language)}
    if surnames:
        return surnames
    return {0 if patronymic == count - 1 else rest[-1]}


class _Matcher:
    """The name words of every withheld person, indexed by key and by short-word stem."""

    def __init__(self, people: tuple[tuple[tuple[str, str], ...], ...]):
        # key -> [(person, flags, starts with a vowel, forms and stems for rule 4)];
        # a short word's form -> [(person, flags)]; its form and stems -> [(person, flags)]
        self.by_key: dict[str, list[tuple[int, int, bool, frozenset[str]]]] = {}
        self.by_form: dict[str, list[tuple[int, int]]] = {}
        self.by_stem: dict[str, list[tuple[int, int]]] = {}
        self.hits_of: dict[str, dict[int, int]] = {}
        # Every key of every name word (and with an inflection consonant), and every
        # beginning of one: what pieces of a text written apart can add up to.
        self.keys: set[str] = set()
        self.keys_of: dict[str, tuple[str, ...]] = {}
        self.lead_of: dict[str, frozenset[str]] = {}
        self.steps: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        for person, spellings in enumerate(people):
            for spelling, language in spellings:
                self._add(person, spelling, language)
        self.keys |= {key + consonant for key in self.keys for consonant in "mg"}
        self.prefixes = {key[:end] for key in self.keys for end in range(len(key) + 1)}

    def _add(self, person: int, spelling: str, language: str) -> None:
        words = _words(spelling)
        if not words:
            return
        language = _reading_language(spelling, language)
        word_keys = [names.word_keys(word, language) for word in words]
        surnames = _surnames(words, word_keys, language)
        for index, (word, keys) in enumerate(zip(words, word_keys, strict=True)):
            flags = WORD | (SURNAME if index in surnames else 0)
            self.keys.update(key for key in keys if _consonants(key))
            forms = _vowel_forms(word, language)
            long_keys = [key for key in keys if _consonants(key) >= DISTINCTIVE]
            for key in long_keys:
                alone = ALONE if flags & SURNAME else 0
                spellings = frozenset(forms.union(*map(_stems, forms)))
                entry = (person, flags | alone, _starts_with_vowel(word), spellings)
                self.by_key.setdefault(key, []).append(entry)
            if len(long_keys) == len(keys):
                continue
            # A short word: its form as stored (a one-word alias is hidden on its own, as
            # spelled), and for a text word with a case ending, the form and its stems.
            alone = ALONE if len(words) == 1 else 0
            for form in forms:
                self.by_form.setdefault(form, []).append((person, flags | alone))
                for stem in {form, *_stems(form)}:
                    self.by_stem.setdefault(stem, []).append((person, flags))

    def hits(self, token: str) -> dict[int, int]:
        """The withheld people this word of a text may belong to, with the word's flags."""
        found = self.hits_of.get(token)
        if found is not None:
            return found
        keys, vowel, forms, stems = _token(token)
        found = {}
        for key in keys:
            for person, flags, starts_with_vowel, spellings in self.by_key.get(key, ()):
                if starts_with_vowel != vowel:
                    continue
                if flags & ALONE and not _spelled_alike(forms + stems, spellings):
                    flags &= ~ALONE
                found[person] = found.get(person, 0) | flags
        for table, values in ((self.by_form, forms), (self.by_stem, stems)):
            for value in values:
                for person, flags in table.get(value, ()):
                    found[person] = found.get(person, 0) | flags
        if len(self.hits_of) > 100_000:
            self.hits_of.clear()
        self.hits_of[token] = found or _NO_HITS
        return found or _NO_HITS

    def _keys_of(self, token: str) -> tuple[str, ...]:
        found = self.keys_of.get(token)
        if found is None:
            found = tuple(names.word_keys("".join(_words(token)), _reading_language(token, "")))
            if len(self.keys_of) > 100_000:
                self.keys_of.clear()
            self.keys_of[token] = found
        return found

    def _lead(self, token: str) -> frozenset[str]:
        """
        What the first piece of a word written apart may begin its key with: its key
        (nothing for a piece of vowels only), or its key less its last letter, since a
        letter group cut in two ("Tsik-hanouski": ck + gnvsk) reads as two letters; only
        those that begin a name key.
        """
        found = self.lead_of.get(token)
        if found is None:
            shown = set()
            for key in self._keys_of(token):
                shown |= _vowels_only(key) if not _consonants(key) else {key, key[:-1]}
            found = frozenset(shown & self.prefixes)
            self.lead_of[token] = found
        return found

    def _step(self, candidates: frozenset[str], piece: str) -> frozenset[str]:
        """The keys so far with one more piece (its key, or less its first or last
        letter), each that still begins a name key."""
        memo = (candidates, piece)
        found = self.steps.get(memo)
        if found is None:
            variants = set()
            for key in self._keys_of(piece):
                variants |= _vowels_only(key) if not _consonants(key) else {key, key[1:], key[:-1]}
            prefixes = self.prefixes
            found = frozenset(
                glued
                for key in candidates
                for variant in variants
                if (glued := _glue(key, variant)) in prefixes
            )
            if len(self.steps) > 100_000:
                self.steps.clear()
            self.steps[memo] = found
        return found

    def any_join(self, text: str, pattern: re.Pattern, anywhere: bool) -> bool:
        """
        Whether a text in which no word names anyone has pieces of a word written apart
        that do: looked for only where a word may begin (``_SITES``, found by the regular
        expression engine; every word of a URL), so that the usual text costs one scan.
        """
        lead_of = self.lead_of
        if anywhere:
            return self._any_join_anywhere(text, pattern)
        for site in _SITES.finditer(text):
            following = pattern.finditer(text, site.start())
            pieces = [(match.start(), match.end(), match.group()) for match in islice(following, 2)]
            if len(pieces) < 2:
                continue
            first = pieces[0][2]
            lead = lead_of.get(first)
            if lead is None:
                lead = self._lead(first)
            # Most sites end here: the next piece begins no name key with this one.
            if not lead or not self._step(lead, pieces[1][2]):
                continue
            if len(first) != 1 and not _may_lead(text, first, pieces[1], pieces[0][1]):
                continue
            letters = sum(end - start for start, end, _ in pieces)
            for match in following:
                if letters > _JOIN_LETTERS or len(pieces) == _JOIN_PIECES:
                    break
                pieces.append((match.start(), match.end(), match.group()))
                letters += match.end() - match.start()
            if self._joined(text, pieces, [_NO_HITS] * len(pieces), 0, lead):
                return True
        return False

    def _any_join_anywhere(self, text: str, pattern: re.Pattern) -> bool:
        """``any_join`` where every word may begin a word written apart (a URL's words):
        the words read once, each with the ones after it."""
        tokens = [(match.start(), match.end(), match.group()) for match in pattern.finditer(text)]
        lead_of = self.lead_of
        count = len(tokens)
        for index in range(count - 1):
            first = tokens[index][2]
            lead = lead_of.get(first)
            if lead is None:
                lead = self._lead(first)
            if not lead or not self._step(lead, tokens[index + 1][2]):
                continue
            pieces = tokens[index : index + 2]
            letters = sum(end - start for start, end, _ in pieces)
            for following in range(index + 2, count):
                if letters > _JOIN_LETTERS or len(pieces) == _JOIN_PIECES:
                    break
                pieces.append(tokens[following])
                letters += tokens[following][1] - tokens[following][0]
            if self._joined(text, pieces, [_NO_HITS] * len(pieces), 0, lead):
                return True
        return False

    def words(self, text: str, tokens: list[tuple[int, int, str]], anywhere: bool) -> list[list]:
        """
        The words of a text as a reader reads them, each ``[start, end, hits, count]``:
        its tokens, where pieces of one word written apart are one word (rules 8 and 9 of
        the module). ``count`` is how many name words it holds (more than one for a
        letter-spaced run that spells a whole name).
        """
        known, lead_of = self.hits_of, self.lead_of
        hits = [known.get(token) or self.hits(token) for _start, _end, token in tokens]
        words: list[list] = []
        spans: list[tuple[int, int]] = []  # the tokens of each word
        index, count = 0, len(tokens)
        while index < count:
            start, end, token = tokens[index]
            joined = None
            # (the usual case first: a word in lower case and one space)
            if index + 1 < count and (
                anywhere
                or (
                    (token[0].isupper() or tokens[index + 1][0] - end != 1 or text[end] != " ")
                    and _may_lead(text, token, tokens[index + 1], end)
                )
                or (
                    len(token) == 1
                    and index + 2 < count
                    and len(tokens[index + 1][2]) == 1
                    and len(tokens[index + 2][2]) == 1
                )
            ):
                lead = lead_of.get(token)
                if lead is None:
                    lead = self._lead(token)
                if lead:
                    joined = self._joined(text, tokens, hits, index, lead)
            if joined is None:
                words.append([start, end, hits[index], 1])
                spans.append((index, index))
                index += 1
            else:
                last, found = joined
                words.append([start, tokens[last][1], found, 1])
                spans.append((index, last))
                index = last + 1
        return self._letter_spaced(text, tokens, words, spans)

    def _joined(self, text, tokens, hits, first: int, lead) -> tuple[int, dict] | None:
        """
        The tokens from ``first`` on that, written together, make a word that says more
        of a withheld person than the first token alone: the longest of the strongest,
        as (its last token, its hits); None if there is none.
        """
        alone = _strength(hits[first])
        if alone == 3:
            return None
        keys = self.keys
        candidates = lead
        letters = len(tokens[first][2])
        best, best_strength = None, alone
        for index in range(first + 1, min(len(tokens), first + _JOIN_PIECES)):
            piece = tokens[index][2]
            candidates = self._step(candidates, piece)
            if not candidates:
                break
            letters += len(piece)
            if letters > _JOIN_LETTERS or not _bridges(
                text, tokens[index - 1][1], tokens[index][0]
            ):
                break
            if not candidates.isdisjoint(keys):
                found = self.hits("".join(token for _s, _e, token in tokens[first : index + 1]))
                strength = _strength(found)
                if strength > alone and strength >= best_strength:
                    best, best_strength = (index, found), strength
        return best

    def _letter_spaced(self, text, tokens, words, spans) -> list[list]:
        """
        A run of single letters (``K v y a t k o v s k y``) that spells a name anywhere
        in it is one word, hidden whole: no letter of it is left to read.
        """
        runs, start = [], None
        for index, (token_start, _end, token) in enumerate(tokens):
            single = len(token) == 1
            if single and start is not None and _bridges(text, tokens[index - 1][1], token_start):
                continue  # the run goes on
            if start is not None and index - start >= _SPACED:
                runs.append((start, index - 1))
            start = index if single else None
        if start is not None and len(tokens) - start >= _SPACED:
            runs.append((start, len(tokens) - 1))
        if not runs:
            return words
        for first, last in runs:
            inside = [
                position
                for position, (a, b) in enumerate(spans)
                if b >= first and a <= last and words[position] is not None
            ]
            named = [words[position] for position in inside if words[position][2]]
            if not named:
                continue
            merged: dict[int, int] = {}
            for word in named:
                for person, flags in word[2].items():
                    merged[person] = merged.get(person, 0) | flags
            head = inside[0]
            words[head] = [
                min(words[p][0] for p in inside),
                max(words[p][1] for p in inside),
                merged,
                sum(word[3] for word in named),
            ]
            for position in inside[1:]:
                words[position] = None
        return [word for word in words if word is not None]


@lru_cache(maxsize=8)
def _matcher(people: tuple[tuple[tuple[str, str], ...], ...]) -> _Matcher | None:
    return _Matcher(people) if people else None


def _joins(text: str, end: int, start: int) -> bool:
    """Whether two words of a text are adjacent: whitespace and at most three punctuation
    characters, no digit, between them."""
    gap = text[end:start]
    if len(gap) <= 1:
        return not gap.isdigit()
    return not any(c.isdigit() for c in gap) and sum(not c.isspace() for c in gap) <= 3


def _hidden(flags: int, count: int) -> bool:
    return bool(flags & ALONE or (flags & SURNAME and count >= 2))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _decodings(chunk: str) -> list[str]:
    """A URL as written, percent-decoded (repeatedly) as UTF-8, and as Windows-1251."""
    found = [chunk]
    if "%" in chunk:
        decoded = chunk
        for _ in range(3):
            step = unquote(decoded.replace("+", " "))
            if step == decoded:
                break
            decoded = step
        found.append(decoded)
        if "\ufffd" in decoded:
            found.append(unquote(chunk.replace("+", " "), encoding="cp1251"))
    return found


class Redactor:
    """
    Hides every mention of every withheld person in strings and nested data.

    ``people`` is an iterable of withheld people, each either one spelling (a ``str``) or
    an iterable of spellings, a spelling being a ``str`` or a ``(name, language)`` pair.
    """

    def __init__(self, people: Iterable = ()):
        canonical = []
        for person in people:
            spellings = [person] if isinstance(person, str) else person
            pairs = tuple(
                sorted(
                    {
                        (s, "") if isinstance(s, str) else (s[0], s[1] or "")
                        for s in spellings
                        if s and (s if isinstance(s, str) else s[0]).strip()
                    }
                )
            )
            if pairs:
                canonical.append(pairs)
        self.matcher = _matcher(tuple(sorted(canonical)))

    @classmethod
    def from_database(cls) -> Redactor:
        """One query: the display name and every name variant of each withheld person."""
        rows = (
            Person.objects.filter(name_withheld=True)
            .order_by()
            .values_list("pk", "name", "names__name", "names__language")
        )
        people: dict[int, set] = {}
        for pk, name, variant, language in rows:
            spellings = people.setdefault(pk, {(name, "")})
            if variant:
                spellings.add((variant, language or ""))
        return cls(people.values())

    def _spans(
        self, text: str, initials: bool = True, anywhere: bool = False
    ) -> list[tuple[int, int]]:
        """
        Where the text mentions a withheld person (rules 1–3, 7–9 of the module), as spans
        of ``text`` itself: found in its reading (``reading``), mapped back. ``anywhere``:
        a word may be written apart after any piece (a URL's words), not only after a
        capital, a single letter or a hyphen.
        """
        matcher = self.matcher
        read = reading(text)
        shown = read.text
        tokens = _TOKEN if _NOT_PLAIN.search(shown) else _PLAIN_TOKEN
        # Most texts mention no one: a quick look first.
        found = tokens.findall(shown)
        known = matcher.hits_of
        for token in found:
            if known.get(token) if token in known else matcher.hits(token):
                break
        else:
            if len(found) < 2 or not matcher.any_join(shown, tokens, anywhere):
                return []
        words = matcher.words(
            shown,
            [(match.start(), match.end(), match.group()) for match in tokens.finditer(shown)],
            anywhere,
        )
        spans: list[tuple[int, int]] = []
        active: dict[int, list[int]] = {}  # person -> [start, end, flags, words]
        for start, end, hits, count in words:
            if not hits and not active:
                continue
            for person in list(active):
                run = active[person]
                if person not in hits or not _joins(shown, run[1], start):
                    del active[person]
                    if _hidden(run[2], run[3]):
                        spans.append((run[0], run[1]))
            for person, flags in hits.items():
                run = active.get(person)
                if run is None:
                    active[person] = [start, end, flags, count]
                else:
                    run[1], run[2], run[3] = end, run[2] | flags, run[3] + count
        spans.extend((run[0], run[1]) for run in active.values() if _hidden(run[2], run[3]))
        if initials:
            spans = [_with_initials(shown, start, end) for start, end in spans]
        return [read.original(start, end) for start, end in spans]

    def _mentions(self, chunk: str) -> bool:
        return any(self._spans(text, initials=False, anywhere=True) for text in _decodings(chunk))

    def names(self, *texts) -> bool:
        """Whether any of these texts mentions a withheld person (``text`` would change it)."""
        if self.matcher is None:
            return False
        return any(isinstance(text, str) and text and self.text(text) is not text for text in texts)

    def text(self, value: str) -> str:
        """The string with every mention of a withheld person replaced (see the module)."""
        if self.matcher is None or not value or isinstance(value, OwnName):
            return value
        if _WHOLE_URL.match(value) and len(value.split()) == 1:
            return WITHHELD if self._mentions(value) else value
        spans = self._spans(value)
        if "%" in value or "//" in value or "ww." in value or "WW." in value:
            for link in _LINK.finditer(value):
                chunk = link.group().rstrip(_LINK_TRAILER)
                if chunk and self._mentions(chunk):
                    spans.append((link.start(), link.start() + len(chunk)))
        if not spans:
            return value
        parts, position = [], 0
        for start, end in _merge(spans):
            parts += [value[position:start], WITHHELD]
            position = end
        parts.append(value[position:])
        return "".join(parts)

    def data(self, value):
        """Redact every string inside nested dicts, lists and tuples (keys are left alone)."""
        if self.matcher is None:
            return value
        # A page repeats many strings (a source's title and URL in each of its citations,
        # dates, choices): each distinct one is looked at once.
        return self._data(value, {})

    def _data(self, value, seen: dict[str, str]):
        kind = type(value)
        if kind is str:
            shown = seen.get(value)
            if shown is None:
                shown = seen[value] = self.text(value)
            return shown
        if kind is OwnName or value is None or kind is int or kind is bool:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Whole):
            value = value.shown(self)
        if isinstance(value, dict):
            return {key: self._data(item, seen) for key, item in value.items()}
        if isinstance(value, list):
            return [self._data(item, seen) for item in value]
        if isinstance(value, tuple):
            return tuple(self._data(item, seen) for item in value)
        return value


def _with_initials(text: str, start: int, end: int) -> tuple[int, int]:
    """A hidden name's span widened over the capital initials next to it ("I. I. Ivanov")."""
    before = _INITIALS_BEFORE.search(text, max(0, start - 12), start)
    if before and before.group().replace(".", "").replace(" ", "").isupper():
        start = before.start()
    after = _INITIALS_AFTER.match(text, end)
    if after and after.group().replace(".", "").replace(",", "").strip().isupper():
        end = after.end()
    return start, end
