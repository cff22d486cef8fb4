"""
Properties of redaction (``prisoners.redaction``), tried on random inputs by Hypothesis:
a withheld name with any invisible characters inside it, split by a hyphen, written
letter-spaced, in any case, inside any sentence, is still replaced whole; and an
ordinary text is left as it is.
"""

import re
import unicodedata

from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from prisoners.redaction import WITHHELD, Redactor

REDACTOR = Redactor(
    [
        [
            ("Aliaksei Kvyatkovsky", "en"),
            ("Алексей Квятковский", "ru"),
            ("Аляксей Квяткоўскі", "be"),
        ]
    ]
)
SURNAMES = ["Kvyatkovsky", "Квятковский", "Квяткоўскі", "KVYATKOVSKY", "kvyatkovsky"]
# Invisible characters a copy from a web page brings in: soft hyphen, zero-width space,
# non-joiner, joiner, word joiner, byte-order mark, bidi marks, embeddings, overrides and
# isolates, variation selectors, the combining grapheme joiner.
INVISIBLE = [
    "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
    "\u2069", "\ufe0f", "\ufe0e", "\u034f", "\u180e",
]  # fmt: skip
STEMS = ("kvyat", "kviat", "tkovsk", "tkousk")
SENTENCE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.", max_size=30).map(str.strip)


def readable(text: str) -> str:
    """Every letter a reader sees, run together, in ASCII."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cf", "Mn"))
    return re.sub(r"[^a-z]+", "", anyascii(text).lower())


@st.composite
def with_invisibles(draw):
    """A surname with invisible characters put anywhere inside it."""
    surname = draw(st.sampled_from(SURNAMES))
    out = []
    for letter in surname:
        out.append(letter)
        out += draw(st.lists(st.sampled_from(INVISIBLE), max_size=2))
    return "".join(out)


@st.composite
def split(draw):
    """A surname cut in one to three places by a hyphen (with or without a line break),
    or, when capitalised, by a space."""
    surname = draw(st.sampled_from(SURNAMES))
    cuts = sorted(draw(st.sets(st.integers(1, len(surname) - 1), min_size=1, max_size=3)))
    separators = ["-", "-\n", "\u2010", "- "]
    if surname[0].isupper() and not surname.isupper():
        separators.append(" ")
    separator = draw(st.sampled_from(separators))
    pieces = [surname[a:b] for a, b in zip([0, *cuts], [*cuts, len(surname)], strict=True)]
    return separator.join(pieces)


@st.composite
def letter_spaced(draw):
    """A surname with a space, two, a dot or a hyphen after every letter."""
    surname = draw(st.sampled_from(SURNAMES))
    separator = draw(st.sampled_from([" ", "  ", ".", ". ", "-", "\u00a0"]))
    return separator.join(surname)


def assert_hidden(form: str, before: str, after: str) -> None:
    text = f"{before} {form} {after}".strip()
    shown = REDACTOR.text(text)
    assert WITHHELD in shown, (text, shown)
    letters = readable(shown)
    assert not any(stem in letters for stem in STEMS), (text, shown)


@settings(max_examples=150, deadline=None)
@given(with_invisibles(), SENTENCE, SENTENCE)
def test_invisible_characters_inside_a_name_do_not_hide_it(form, before, after):
    assert_hidden(form, before, after)


@settings(max_examples=150, deadline=None)
@given(split(), SENTENCE, SENTENCE)
def test_a_name_cut_by_a_hyphen_or_a_space_is_still_hidden(form, before, after):
    assert_hidden(form, before, after)


@settings(max_examples=100, deadline=None)
@given(letter_spaced(), SENTENCE, SENTENCE)
def test_a_letter_spaced_name_is_still_hidden(form, before, after):
    assert_hidden(form, before, after)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzабвгдеклмнопрст -.\u00ad\u200b", max_size=60))
def test_a_text_that_does_not_spell_the_name_is_left_as_it_is(text):
    if any(stem in readable(text) for stem in ("kvyat", "kviat", "kvjat", "kwiat")):
        return
    shown = REDACTOR.text(text)
    assert shown == text or WITHHELD in shown
    if WITHHELD not in shown:
        assert shown is text
