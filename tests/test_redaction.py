"""
Withheld names are not identifiable in free texts (prisoners.redaction).

The forms below were tried as an outsider would: the surname alone, reversed names, odd
whitespace, inflected Cyrillic, other transliterations, URL slugs and encoded URLs. Every
form that is not a stored spelling passed through the previous redactor, which replaced
only the exact stored spellings.
"""

from urllib.parse import quote

import pytest

from prisoners.models import Person, PersonName
from prisoners.redaction import WITHHELD, OwnName, Redactor
from tracker.lib.editorial import EditorialState

W = WITHHELD

pytestmark = pytest.mark.django_db


def withhold(name, descriptor, *variants, state=EditorialState.PUBLISHED):
    person = Person.objects.create(
        name=name, name_withheld=True, public_descriptor=descriptor, state=state
    )
    for spelling, language, script, kind in variants:
        PersonName.objects.create(
            person=person, name=spelling, language=language, script=script, kind=kind, state=state
        )
    return person


@pytest.fixture
def withheld_people(db):
    """Three withheld people: a generic name, a less generic one, a short surname."""
    withhold(
        "Ivan Ivanov",
        "teacher from Hrodna",
        ("Ivan Ivanov", "en", "Latn", "transliteration"),
        ("Іван Іваноў", "be", "Cyrl", "official"),
        ("Иван Иванов", "ru", "Cyrl", "official"),
        # An official list's order, with the patronymic.
        ("Иванов Иван Иванович", "ru", "Cyrl", "as_in_source"),
    )
    withhold(
        "Uladzimir Shchyrakou",
        "engineer from Mahilioŭ",
        ("Uladzimir Shchyrakou", "be", "Latn", "transliteration"),
        ("Уладзімір Шчыракоў", "be", "Cyrl", "official"),
        ("Владимир Щиряков", "ru", "Cyrl", "official"),
    )
    withhold(
        "Aleh Kim",
        "student from Minsk",
        ("Aleh Kim", "be", "Latn", "transliteration"),
        ("Алег Кім", "be", "Cyrl", "official"),
        ("Олег Ким", "ru", "Cyrl", "official"),
    )


@pytest.fixture
def redactor(withheld_people):
    return Redactor.from_database()


def cp1251(text):
    return quote(text, encoding="cp1251")


CAUGHT = [
    # The surname alone, in any case.
    ("Ivanov", W),
    ("IVANOV", W),
    ("ivanov", W),
    ("Детали: Иванов.", f"Детали: {W}."),
    # Reversed, with a comma, or with any whitespace between the names.
    ("ivanov ivan", W),
    ("Ivanov, Ivan", W),
    ("Ivan  Ivanov", W),
    ("Ivan\nIvanov", W),
    ("Ivan\u00a0Ivanov", W),
    ("Ivan\t Ivanov", W),
    ("Іваноў Іван", W),
    # Russian and Belarusian case endings, on the surname and on both names.
    ("Суд над Ивановым", f"Суд над {W}"),
    ("Иванова задержали", f"{W} задержали"),
    ("письмо Иванову", f"письмо {W}"),
    ("Ивана Иванова", W),
    ("с Иваном Ивановым", f"с {W}"),
    ("Іванава затрымалі", f"{W} затрымалі"),
    ("разам з Іванавым", f"разам з {W}"),
    ("Ивановой", W),
    # Other transliterations: Łacinka, German, Polish.
    ("Ivanoŭ", W),
    ("Iwanow", W),
    ("Iwan Iwanow", W),
    # Initials go with the name.
    ("И. И. Иванов", W),
    ("Иванов И.И. осуждён", f"{W} осуждён"),
    # Slugs and addresses.
    ("ivanov-ivan", W),
    ("ivan_ivanov", W),
    ("ivan.ivanov@example.org", f"{W}@example.org"),
    # The less generic name, in every script and spelling.
    ("Шчыракоў", W),
    ("Шчыракова", W),
    ("Щирякову", W),
    ("Щиряковым", W),
    ("Уладзіміра Шчыракова", W),
    ("Владимиром Щиряковым", W),
    ("Ščyrakoŭ", W),
    ("Uładzimir Ščyrakoŭ", W),
    ("Schtschirjakow", W),
    ("Szczyrakow", W),
    ("SHCHYRAKOU Uladzimir", W),
    ("shchyrakou_uladzimir", W),
    ("uladzimir.shchyrakou", W),
    ("Щиряков, Владимир", W),
    # A short surname, with the given name in any order and case.
    ("Oleg Kim", W),
    ("Kim Aleh", W),
    ("Алега Кіма", W),
    ("Олегом Кимом", f"{W}"),
    ("KIM, OLEG", W),
    # URLs: the whole URL goes.
    ("https://example.org/news/ivanov-ivan-arrested", W),
    ("https://example.org/news/2021/05/ivanov", W),
    ("http://example.org/?q=ivan+ivanov&page=2", W),
    ("https://example.org/" + quote("Иванов-Иван"), W),
    ("https://example.org/" + quote("Щиряков"), W),
    ("https://example.org/" + cp1251("Щиряков"), W),
    ("https://web.archive.org/web/2021/https://news.example.org/shchyrakou-sentenced", W),
    ("https://news.example.org/photos/Uladzimir_Shchyrakou.jpg", W),
]


@pytest.mark.parametrize(("text", "expected"), CAUGHT, ids=[t for t, _ in CAUGHT])
def test_every_form_of_a_withheld_name_is_caught(redactor, text, expected):
    assert redactor.text(text) == expected


UNTOUCHED = [
    "The court in Hrodna sentenced a teacher to three years in a penal colony.",
    "Ivan Petrov was released on 12 August.",
    "Ivan the Terrible",
    "Сергей Иванович Петров",
    "Ivanovich",
    "Ivanovka is a village near Minsk.",
    "Ivanovsky Street, 12",
    "Ivanovskaya",
    "Alaska and Lusaka",
    "Kim Jong-un",
    "Kim",
    "even Oleg Petrov came",
    "Shchyrakouski",
    "Vitali Shkliarov and Viktar Babaryka",
    "https://spring96.org/en/news/105563",
    "in_custody",
    "2020-08-31",
    "",
]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_texts_that_do_not_name_a_withheld_person_are_returned_as_they_are(redactor, text):
    assert redactor.text(text) is text


@pytest.mark.parametrize(
    "name", ["Ivan Ivanov", "Иван Иванов", "Іваноў Іван", "Uladzimir Shchyrakou", "Aleh Kim"]
)
def test_a_persons_own_name_is_never_redacted(redactor, name):
    """A published namesake of a withheld person keeps their own name."""
    own = OwnName(name)
    assert redactor.text(own) is own
    assert redactor.data({"name": own, "names": [own]}) == {"name": name, "names": [name]}
    assert redactor.text(name) == W  # the same words elsewhere are still hidden


def test_a_published_namesake_keeps_their_name_but_not_in_free_texts(withheld_people):
    namesake = Person.objects.create(name="Ivan Ivanov", state=EditorialState.PUBLISHED)
    PersonName.objects.create(
        person=namesake, name="Иван Иванов", language="ru", script="Cyrl", kind="official"
    )
    record = {
        "id": namesake.pk,
        "name": OwnName(namesake.name),
        "names": [OwnName(n) for n in namesake.names.values_list("name", flat=True)],
        "biography": "Ivan Ivanov, an engineer.",
    }
    assert Redactor.from_database().data(record) == {
        "id": namesake.pk,
        "name": "Ivan Ivanov",
        "names": ["Иван Иванов"],
        "biography": f"{W}, an engineer.",
    }


def test_data_redacts_every_string_of_nested_structures_and_leaves_keys_alone(redactor):
    value = {
        "Ivanov": "key stays",
        "count": 3,
        "empty": None,
        "flag": True,
        "summary": "Ivanov and Shchyrakou were tried together.",
        "sources": [
            {"title": "Иванова осудили", "url": "https://example.org/ivanov-ivan"},
            {"title": "Report", "url": "https://example.org/report-1"},
        ],
        "pair": ("Ivan Ivanov", 1),
        "deep": [[["Олег Ким"]]],
        "own": OwnName("Ivan Ivanov"),
    }
    assert redactor.data(value) == {
        "Ivanov": "key stays",
        "count": 3,
        "empty": None,
        "flag": True,
        "summary": f"{W} and {W} were tried together.",
        "sources": [
            {"title": f"{W} осудили", "url": W},
            {"title": "Report", "url": "https://example.org/report-1"},
        ],
        "pair": (W, 1),
        "deep": [[[W]]],
        "own": "Ivan Ivanov",
    }


def test_a_url_in_a_free_text_is_replaced_whole_keeping_the_punctuation_after_it(redactor):
    text = (
        "Reported (https://example.org/news/ivanov-ivan-sentenced?id=7). "
        "See also www.example.org/Щиряков, and https://example.org/report-1."
    )
    assert redactor.text(text) == (
        f"Reported ({W}). See also {W}, and https://example.org/report-1."
    )


def test_an_encoded_path_outside_a_url_is_decoded_too(redactor):
    assert redactor.text("path: /news/" + quote("Шчыракоў") + " (2021)") == f"path: {W} (2021)"


def test_a_url_that_names_no_one_is_the_same_object(redactor):
    url = "https://example.org/news/" + quote("Минск") + "?page=2"
    assert redactor.text(url) is url


def test_no_withheld_person_means_every_value_comes_back_as_it_is(db):
    redactor = Redactor.from_database()
    text = "Ivan Ivanov"
    data = {"a": [text]}
    assert redactor.text(text) is text
    assert redactor.data(data) is data
    assert Redactor([]).text(text) is text


def test_spellings_in_every_editorial_state_are_used(db):
    """A draft variant of a withheld name is still that person's name: hidden too."""
    withhold(
        "Hanna Zhukouskaya",
        "nurse from Brest",
        ("Ганна Жукоўская", "be", "Cyrl", "official"),
        state=EditorialState.DRAFT,
    )
    assert Redactor.from_database().text("Жукоўскай") == W


def test_the_spellings_are_read_in_one_query(withheld_people, django_assert_num_queries):
    with django_assert_num_queries(1):
        redactor = Redactor.from_database()
    with django_assert_num_queries(0):
        redactor.text("Ivanov")


def test_one_word_spellings_are_hidden_on_their_own():
    redactor = Redactor(["Лілія Уласава", "Vlasova", ""])
    assert redactor.text("ЛІЛІЯ УЛАСАВА і Vlasova") == f"{W} і {W}"
    assert redactor.text("Vlasovas and nonvlasova stay") == "Vlasovas and nonvlasova stay"
    assert redactor.data({"a": ["vlasova", 3, None], "vlasova": "x"}) == {
        "a": [W, 3, None],
        "vlasova": "x",
    }
    short = Redactor([["Li"]])
    assert short.text("Li said") == f"{W} said"
    assert short.text("a lie") == "a lie"


def test_a_short_surname_alone_is_not_hidden_but_with_the_given_name_it_is():
    redactor = Redactor([[("Wei Li", "en")]])
    assert redactor.text("Li said") == "Li said"
    assert redactor.text("even Li") == "even Li"
    assert redactor.text("Li Wei and Wei  Li") == f"{W} and {W}"


def test_a_given_name_or_patronymic_alone_is_not_hidden(redactor):
    text = "Иван Иванович пришёл, Уладзімір — таксама"
    assert redactor.text(text) is text


def test_names_far_apart_are_not_one_name():
    redactor = Redactor([[("Wei Li", "en")]])
    assert redactor.text("Wei 2020 Li") == "Wei 2020 Li"
    assert redactor.text("Wei. (...) Li") == "Wei. (...) Li"


def test_a_long_text_is_redacted_in_one_pass(redactor):
    paragraph = "The court in Hrodna heard the case of Ivanov on 12 May. " * 2000
    assert redactor.text(paragraph) == paragraph.replace("Ivanov", W)


# What a reader's eye reads: invisible characters, split and letter-spaced names ------------

SPLIT = Redactor(
    [
        [
            ("Aliaksei Kvyatkovsky", "en"),
            ("Алексей Квятковский", "ru"),
            ("Аляксей Квяткоўскі", "be"),
        ]
    ]
)

READ_AS_ONE = [
    # Invisible: soft hyphen, zero-width space, joiner, non-joiner, word joiner, byte-order
    # mark, variation selector, combining grapheme joiner, bidi controls.
    ("Kvyat\u00adkovsky detained", f"{W} detained"),
    ("Kvyat\u200bkovsky", W),
    ("Kvy\u200dat\u200ckov\u2060sky", W),
    ("Kvyat\ufeffkovsky", W),
    ("Kvyatkov\ufe0fsky", W),
    ("Kvyat\u034fkovsky", W),
    ("\u202eKvyatkovsky\u202c said", f"{W} said"),
    ("\u2067Квят\u00adковский\u2069", W),
    ("Квят\u00adковского", W),
    # Compatibility forms: fullwidth letters.
    ("Ｋｖｙａｔｋｏｖｓｋｙ", W),
    # Hyphens and spaces inside the word, a line-end hyphenation.
    ("Kvyat-kovsky", W),
    ("kvyat-kovsky", W),
    ("Kvyat\u2010kovsky", W),
    ("Kvyat-\nkovsky was detained", f"{W} was detained"),
    ("Kvyat kovsky was detained", f"{W} was detained"),
    ("KVYAT KOVSKY", W),
    ("Kvy at kov sky", W),
    ("Квят-ковский", W),
    ("Квят ковскому", W),
    # Letter-spaced, in Latin and Cyrillic, with a given name.
    ("K v y a t k o v s k y", W),
    ("k v y a t k o v s k y", W),
    ("К в я т к о в с к и й", W),
    ("K.v.y.a.t.k.o.v.s.k.y.", f"{W}."),
    ("A l i a k s e i  K v y a t k o v s k y", W),
    ("Aliaksei K v y a t k o v s k y", W),
    # URLs, after percent-decoding.
    ("https://news.example.org/kvyat%C2%ADkovsky-detained", W),
    ("https://news.example.org/kvyat-kovsky-detained", W),
    ("https://news.example.org/?q=kvyat+kovsky", W),
    ("see https://news.example.org/" + quote("Квят\u200bковский") + " (2021)", f"see {W} (2021)"),
]


@pytest.mark.parametrize(("text", "expected"), READ_AS_ONE, ids=[t for t, _ in READ_AS_ONE])
def test_a_name_a_reader_reads_as_one_is_caught_whole(text, expected):
    assert SPLIT.text(text) == expected


def test_no_fragment_of_the_name_is_left_around_what_replaces_it():
    text = "Суд над \u200bКвят\u00adков\u200dским\u200b начался"
    assert SPLIT.text(text) == f"Суд над {W} начался"


READ_APART = [
    "the court heard it on a day in May",
    "в и у Минске",
    "A. B. C. Smith",
    "well-known facts, a half-hearted reply",
    "Kvyat",  # a piece alone names no one
    "kovsky",
    "ＭＩＮＳＫ",
    "Минск\u00adский",
]


@pytest.mark.parametrize("text", READ_APART)
def test_ordinary_words_are_not_read_together(text):
    assert SPLIT.text(text) is text


def test_a_piece_that_is_a_hidden_name_is_not_glued_to_the_next_word():
    """ "Иванов и Петров" keeps its "и": Иванов alone is already the whole name."""
    redactor = Redactor([[("Иван Иванов", "ru")]])
    assert redactor.text("Иванов и Петров") == f"{W} и Петров"


def test_every_format_character_is_ignorable():
    import sys
    import unicodedata

    from prisoners.redaction import _IGNORABLE

    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf" and not _IGNORABLE.match(chr(code))
    ]
    assert not missing
