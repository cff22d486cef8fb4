#!/usr/bin/env python
"""
The one generator of test data at scale: the seed, plus generated people, for the
benchmark (``make bench``), the load, fault and backup tests.

    scripts/with-postgres .venv/bin/python scripts/load_data.py --people 100000

Migrates (and creates the cache table, as deployments do), loads the seed fixture, then
adds ``--people`` people on top of it, deterministically (a fixed random seed: the same
``--people`` gives the same rows). Every record and every part is published, so the
public API, its filters and the exports see all of it; about one person in 500 has a
withheld name (a descriptor instead), as in real data. Per person, on average:

- 2.85 spellings of the name: Belarusian Cyrillic (``Марыя Калеснікава``), Russian
  Cyrillic with the patronymic (``Колесникова Мария Александровна``), the Latin of the
  passport (``Maryia Kalesnikava``, also the display name), and for some a Łacinka
  (``Maryja Kalesnikava``) or a Latin spelling from the Russian (``Mariya Kolesnikova``).
  Real given names and surnames, with their gendered forms (Kalesnikau/Kalesnikava,
  Калеснікаў/Калеснікава, Колесников/Колесникова), come from ``scripts/names.json``;
  surnames are drawn with falling weights, so some are common and some rare;
- 3 detentions, each with one or two charges, one or two facility stays, most with a
  court decision, a third of them ended by a release (into exile, pardon, …);
- 10 citations (4 of the person, 2 per detention or its parts) of 2,000 sources;
- an identifier in Viasna's database and a recognition by Viasna (most people);
- plus events with participants and reported figures.

Rows go straight into the tables (PostgreSQL ``COPY``, or batched ``INSERT`` on SQLite),
with ids assigned here, without history rows: 100,000 people take a few minutes. The
name search columns are computed by the app's own ``PersonName.set_search_fields``; the
stored status by the app's own rule (``prisoners.services.derive_status``), so ``manage.py
refresh_statuses --check`` agrees; the published edition (custody periods included) by
``prisoners.publishing.adopt_published``; the possible duplicates by
``prisoners.duplicates.rebuild``, as ``manage.py find_duplicates`` finds them. The database
is ANALYZEd at the end.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime
import functools
import itertools
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
NAMES_FILE = Path(__file__).with_name("names.json")

if __name__ == "__main__":  # as a script; imported (by a test), Django is set up already
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "load-data-only-not-a-secret")
    os.environ.setdefault("DJANGO_HTTPS", "false")
    import django

    django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from prisoners import duplicates, publishing  # noqa: E402
from prisoners.models import (  # noqa: E402
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Event,
    EventParticipant,
    Facility,
    FacilityName,
    FacilityStay,
    Person,
    PersonIdentifier,
    PersonName,
    Recognition,
    Release,
    ReportedFigure,
)
from prisoners.services import (  # noqa: E402
    derive_status,
    refresh_statuses,
)
from sources.models import Citation, Organisation, Source  # noqa: E402
from tracker.lib.partial_dates import parse_partial_date  # noqa: E402

PUBLISHED = "published"
SEED = 20200809
FIRST_DAY = datetime.date(2020, 5, 1)
LAST_DAY = datetime.date(2025, 10, 31)

# --- names -------------------------------------------------------------------------------


def _load_names() -> dict:
    return json.loads(NAMES_FILE.read_text(encoding="utf-8"))


def feminine_be(surname: str) -> str:
    """Калеснікаў → Калеснікава, Ціханоўскі → Ціханоўская, Ільін → Ільіна, Жук → Жук."""
    for masculine, feminine in (
        ("аў", "ава"),
        ("яў", "ява"),
        ("оў", "ова"),
        ("ёў", "ёва"),
        ("еў", "ева"),
        ("скі", "ская"),
        ("цкі", "цкая"),
        ("ін", "іна"),
        ("ын", "ына"),
        ("ы", "ая"),
    ):
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
    return surname


def feminine_ru(surname: str) -> str:
    """Колесников → Колесникова, Тихановский → Тихановская, Белый → Белая, Жук → Жук."""
    for masculine, feminine in (
        ("ский", "ская"),
        ("цкий", "цкая"),
        ("ый", "ая"),
        ("ой", "ая"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ёв", "ёва"),
        ("ин", "ина"),
        ("ын", "ына"),
    ):
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
    return surname


VOWELS_BE = set("аеёіоуыэюяАЕЁІОУЫЭЮЯ")
# Vowels after which (and at the start of a word, and after ь, ', ў) я/е/ё/ю are written
# with y in the passport Latin: Ya-, -aya-; after consonants and і/ы with i: Sia-, Maryia.
OPEN_VOWELS_BE = set("аеёоуэюяАЕЁОУЭЮЯ")
IOTATED = {"я": "a", "е": "e", "ё": "o", "ю": "u"}
PASSPORT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "ж": "zh",
    "з": "z",
    "і": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "ы": "y",
    "ь": "",
    "'": "",
    "э": "e",
}
LACINKA = {
    **PASSPORT,
    "й": "j",
    "ў": "ŭ",
    "ж": "ž",
    "х": "ch",
    "ц": "c",
    "ч": "č",
    "ш": "š",
}
LACINKA_SOFT = {"з": "ź", "с": "ś", "ц": "ć", "н": "ń", "л": "l", "д": "dź"}
RUSSIAN = {
    **PASSPORT,
    "г": "g",
    "и": "i",
    "й": "y",
    "ъ": "",
    "щ": "shch",
    "е": "e",
    "ё": "yo",
    "ю": "yu",
    "я": "ya",
}


def _cased(latin: str, upper: bool) -> str:
    return latin[:1].upper() + latin[1:] if upper else latin


def _word_passport(word: str) -> str:
    out = []
    for i, char in enumerate(word):
        lower, previous = char.lower(), word[i - 1].lower() if i else ""
        if lower in IOTATED:
            if i == 0 or previous in OPEN_VOWELS_BE or previous in "ьў'":
                latin = "y" + IOTATED[lower]
            elif lower == "е" and previous not in VOWELS_BE:
                latin = "e"  # Belarus, Statkevich: e after a consonant
            else:
                latin = "i" + IOTATED[lower]
        elif lower == "й" and i == len(word) - 1 and previous == "ы":
            latin = ""  # Дзмітрый → Dzmitry: the й after ы is not written
        else:
            latin = PASSPORT.get(lower, lower)
        out.append(_cased(latin, char.isupper()))
    return "".join(out)


def _word_lacinka(word: str) -> str:
    out = []
    for i, char in enumerate(word):
        lower = char.lower()
        previous = word[i - 1].lower() if i else ""
        following = word[i + 1].lower() if i + 1 < len(word) else ""
        if lower in IOTATED:
            if i == 0 or previous in VOWELS_BE or previous in "ьў'":
                latin = "j" + IOTATED[lower]
            elif previous == "л":
                latin = IOTATED[lower]  # ля → la: the l is already soft
            else:
                latin = "i" + IOTATED[lower]
        elif lower == "л":
            latin = "l" if following in ("і", "ь") or following in IOTATED else "ł"
        elif following == "ь" and lower in LACINKA_SOFT:
            latin = LACINKA_SOFT[lower]
        else:
            latin = LACINKA.get(lower, lower)
        out.append(_cased(latin, char.isupper()))
    return "".join(out)


def _word_russian(word: str) -> str:
    out = []
    for i, char in enumerate(word):
        lower = char.lower()
        previous = word[i - 1].lower() if i else ""
        if lower == "е" and (i == 0 or previous in "аеёиоуыэюяьъ"):
            latin = "ye"
        elif lower in ("й",) and i == len(word) - 1 and previous in "иы":
            out[-1] = "y"  # Тихановский → Tikhanovsky, Юрий → Yury
            latin = ""
        else:
            latin = RUSSIAN.get(lower, lower)
        out.append(_cased(latin, char.isupper()))
    return "".join(out)


def _each_word(function, text: str) -> str:
    return " ".join("-".join(function(part) for part in word.split("-")) for word in text.split())


def passport_latin(text: str) -> str:
    """Belarusian Cyrillic as Belarusian passports write it: Калеснікава → Kalesnikava."""
    return _each_word(_word_passport, text)


def lacinka(text: str) -> str:
    """Belarusian Cyrillic in Łacinka: Ціханоўскі → Cichanoŭski, Лосік → Łosik."""
    return _each_word(_word_lacinka, text)


def russian_latin(text: str) -> str:
    """Russian Cyrillic in English-style Latin: Тихановский → Tikhanovsky."""
    return _each_word(_word_russian, text)


def female_patronymic(male: str, given: str = "") -> str:
    """Игоревич → Игоревна (or the list's own feminine form: Ильич → Ильинична)."""
    return given or male[:-2] + "на"


class NameMaker:
    """Draws realistic names: gendered, in three scripts, common surnames more often."""

    def __init__(self, rng: random.Random):
        data = _load_names()
        self.rng = rng
        self.surnames = data["surnames"]
        self.male = data["given_male"]
        self.female = data["given_female"]
        # Falling weights: the first names of each list are the most common.
        self.surname_weights = list(
            itertools.accumulate(1 / (rank + 8) for rank in range(len(self.surnames)))
        )
        self.male_weights = list(itertools.accumulate(1 / (r + 4) for r in range(len(self.male))))
        self.female_weights = list(
            itertools.accumulate(1 / (r + 4) for r in range(len(self.female)))
        )

    def _pick(self, items: list, weights: list[float]):
        return items[bisect.bisect(weights, self.rng.random() * weights[-1]) % len(items)]

    def person(self, gender: str) -> list[tuple[str, str, str, str]]:
        """The spellings of one person: (name, language, script, kind), display name first."""
        surname_be, surname_ru = self._pick(self.surnames, self.surname_weights)
        father = self._pick(self.male, self.male_weights)
        if gender == "female":
            given_be, given_ru = self._pick(self.female, self.female_weights)
            surname_be, surname_ru = feminine_be(surname_be), feminine_ru(surname_ru)
            patronymic = female_patronymic(father[2], father[3] if len(father) > 3 else "")
        else:
            given_be, given_ru, *_ = self._pick(self.male, self.male_weights)
            patronymic = father[2]
        be = f"{given_be} {surname_be}"
        spellings = [(passport_latin(be), "en", "Latn", "transliteration")]
        if self.rng.random() < 0.9:
            spellings.append((f"{surname_ru} {given_ru} {patronymic}", "ru", "Cyrl", "official"))
        if self.rng.random() < 0.85:
            spellings.append((be, "be", "Cyrl", "official"))
        extra = self.rng.random()
        if extra < 0.05:
            spellings.append((lacinka(be), "be", "Latn", "transliteration"))
        elif extra < 0.10:
            spellings.append(
                (russian_latin(f"{given_ru} {surname_ru}"), "en", "Latn", "as_in_source")
            )
        seen, unique = set(), []
        for spelling in spellings:
            if spelling[0] not in seen:
                seen.add(spelling[0])
                unique.append(spelling)
        return unique


# --- other vocabularies ------------------------------------------------------------------

CITIES = [
    "Minsk",
    "Brest",
    "Homiel",
    "Hrodna",
    "Mahilioŭ",
    "Viciebsk",
    "Baranavichy",
    "Babrujsk",
    "Pinsk",
    "Barysaŭ",
    "Navapolatsk",
    "Salihorsk",
    "Lida",
    "Maladziečna",
    "Zhodzina",
    "Shklou",
    "Horki",
    "Ivacevičy",
]
REGIONS = ["Minsk", "Minsk region", "Brest", "Homiel", "Hrodna", "Mahilioŭ", "Viciebsk"]
OCCUPATIONS = [
    "engineer",
    "teacher",
    "journalist",
    "IT specialist",
    "doctor",
    "student",
    "worker",
    "entrepreneur",
    "lawyer",
    "artist",
    "pensioner",
    "driver",
    "musician",
    "",
    "",
]
STREETS = ["Centralnaja", "Lienina", "Savieckaja", "Kalinoŭskaha", "Niezaliežnasci"]
AUTHORITIES = ["GUBOPiK", "KGB", "police", "Investigative Committee", "DFR of the State Control"]
# (number, title, weight): the articles political cases are brought under, most often 342.
ARTICLES = [
    ("342", "Organisation and preparation of actions that grossly violate public order", 30),
    ("361-1", "Creation of or participation in an extremist formation", 10),
    ("361-4", "Facilitating extremist activity", 8),
    ("130", "Incitement to racial, national, religious or other social hatred", 8),
    ("369", "Insulting a representative of the authorities", 8),
    ("368", "Insulting the President", 7),
    ("367", "Defamation of the President", 3),
    ("293", "Mass riots", 6),
    ("364", "Violence or threat of violence against a police officer", 5),
    ("361", "Calls for actions against national security", 4),
    ("356", "Treason to the state", 2),
    ("357", "Conspiracy to seize state power", 1),
    ("289", "Act of terrorism", 1),
    ("191", "Obstruction of the exercise of electoral rights", 1),
    ("243", "Tax evasion", 2),
    ("411", "Malicious disobedience to the administration of a correctional institution", 3),
    ("369-1", "Discrediting the Republic of Belarus", 1),
]
PENALTIES = [
    ("colony_general", 40),
    ("colony_medium", 15),
    ("colony_high", 4),
    ("prison", 2),
    ("imprisonment", 4),
    ("restricted_freedom_open", 12),
    ("restricted_freedom_home", 6),
    ("fine", 7),
    ("suspended", 6),
    ("arrest", 4),
]
RELEASES = [
    ("end_of_term", 40),
    ("pardon", 24),
    ("restraint_lifted", 10),
    ("house_arrest", 8),
    ("amnesty", 8),
    ("exile", 6),
    ("acquittal", 3),
    ("death", 0.3),
]
PUBLISHERS = [
    "Viasna",
    "Nasha Niva",
    "Zerkalo",
    "RFE/RL",
    "Belsat",
    "Dissidentby",
    "Mediazona Belarus",
    "BelaPAN",
    "Onliner",
    "DW",
    "Reuters",
    "AFP",
]
QUOTES = [
    "was detained at home early in the morning",
    "the court sentenced him to {n} years in a penal colony",
    "she was recognised as a political prisoner",
    "was transferred to the colony in {city}",
    "the trial took place behind closed doors in {city}",
    "was charged under article {article}",
    "was released after serving the full term",
    "relatives learned of the detention {n} days later",
    "the appeal was dismissed",
    "was placed in the pre-trial detention centre in {city}",
]


def _weighted(rng: random.Random, items: list[tuple]) -> object:
    return rng.choices([i[0] for i in items], [i[-1] for i in items])[0]


def partial(day: datetime.date, rng: random.Random) -> str:
    """The day as a source gives it: mostly the day, sometimes only the month or year."""
    precision = rng.random()
    if precision < 0.08:
        return f"{day.year}"
    if precision < 0.25:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


@functools.cache
def _bounds(value: str) -> dict:
    parsed = parse_partial_date(value)
    return {
        "earliest": parsed.earliest if parsed else None,
        "latest": parsed.latest if parsed else None,
    }


@functools.lru_cache(maxsize=200_000)
def _search_fields(name: str, language: str) -> tuple[str, str]:
    """The name's search columns, as the app computes them (many names recur)."""
    variant = PersonName(name=name, language=language)
    variant.set_search_fields()
    return variant.search_text, variant.search_key


# --- writing -----------------------------------------------------------------------------


class Writer:
    """
    Rows straight into the tables, ids assigned here: ``COPY`` on PostgreSQL, batched
    ``INSERT`` elsewhere. Fields not given take the model's default (timestamps: now);
    generated columns are left to the database.
    """

    def __init__(self, models: list, now: datetime.datetime):
        self.models = models  # in an order foreign keys allow
        self.rows: dict = defaultdict(list)
        self.next_id = {}
        self.fields = {}
        self.defaults = {}
        for model in models:
            self.next_id[model] = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
            fields = [f for f in model._meta.concrete_fields if not f.generated]
            self.fields[model] = fields
            self.defaults[model] = [
                f.get_db_prep_save(
                    now
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                    else f.get_default(),
                    connection,
                )
                for f in fields
            ]

    def add(self, model, **values) -> int:
        pk = values["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.rows[model].append(values)
        return pk

    def _tuples(self, model):
        fields, defaults = self.fields[model], self.defaults[model]
        for values in self.rows[model]:
            row = []
            for field, default in zip(fields, defaults, strict=True):
                if field.attname in values:
                    value = values[field.attname]
                    if not isinstance(value, (str, int, type(None))):
                        value = field.get_db_prep_save(value, connection)
                    row.append(value)
                else:
                    row.append(default)
            yield row

    def flush(self) -> None:
        with transaction.atomic():
            for model in self.models:
                if self.rows[model]:
                    self._write(model)
                    self.rows[model] = []

    def _write(self, model) -> None:
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields[model])
        if connection.vendor == "postgresql":
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in self._tuples(model):
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.fields[model]))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    list(self._tuples(model)),
                )

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@contextlib.contextmanager
def bulk_load(models):
    """
    PostgreSQL's advice for populating a database: drop the foreign keys and the secondary
    indexes of these tables, load, then create them again (each foreign key is then checked
    in one pass over the table instead of once per row, and each index built once). Primary
    keys, unique constraints and checks stay. Elsewhere, nothing to do.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield  # (in a transaction, e.g. a test's, rows may already wait for their checks)
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


# --- generating --------------------------------------------------------------------------

MODELS = [
    Source,
    Facility,
    FacilityName,
    CriminalArticle,
    Person,
    PersonName,
    PersonIdentifier,
    Recognition,
    Detention,
    Charge,
    FacilityStay,
    CourtDecision,
    Release,
    Event,
    EventParticipant,
    ReportedFigure,
    Citation,
]
CITED_PARTS = (Charge, FacilityStay, CourtDecision, Release)


class Generator:
    def __init__(self, people: int, *, batch: int = 5000, withheld_every: int = 500, log=None):
        self.people = people
        self.batch = batch
        self.withheld_every = withheld_every
        self.log = log or (lambda text: print(text, flush=True))
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.writer = Writer(MODELS, self.now)
        self.names = NameMaker(self.rng)
        self.content_types = {m: ContentType.objects.get_for_model(m).pk for m in MODELS}
        self.person_ids: list[int] = []

    # Shared records, once.

    def setup(self) -> None:
        rng, add = self.rng, self.writer.add
        self.sources = [
            add(
                Source,
                kind=rng.choice(["news_article", "news_article", "ngo_statement", "interview"]),
                title=f"{rng.choice(PUBLISHERS)} report {n + 1}",
                publisher=rng.choice(PUBLISHERS),
                url=f"https://example.org/generated/source-{n + 1}",
                language=rng.choice(["be", "ru", "en"]),
                state=PUBLISHED,
            )
            for n in range(2000)
        ]
        self.facilities = list(Facility.objects.values_list("pk", "kind"))  # the seed's
        taken = set(Facility.objects.values_list("name_en", "city_en"))
        for n, city in enumerate(CITIES):
            for kind, label in (
                ("pretrial_detention", "Pre-trial detention centre No. {n}"),
                ("penal_colony", "Penal colony No. {n}"),
                ("temporary_detention", "Temporary detention centre No. {n}"),
            ):
                if (label.format(n=n + 1), city) in taken:
                    continue
                pk = add(
                    Facility,
                    name_en=label.format(n=n + 1),
                    kind=kind,
                    city_en=city,
                    address=f"{rng.randint(1, 120)} {rng.choice(STREETS)} St., {city}",
                    state=PUBLISHED,
                )
                self.facilities.append((pk, kind))
                if rng.random() < 0.2:
                    add(
                        FacilityName,
                        facility_id=pk,
                        name=f"{city} {label.split()[0]}",
                        language="en",
                        state=PUBLISHED,
                    )
        self.pretrial = [pk for pk, kind in self.facilities if kind != "penal_colony"]
        self.colonies = [pk for pk, kind in self.facilities if kind == "penal_colony"]
        existing = {a.number: a.pk for a in CriminalArticle.objects.filter(code="BY-CC")}
        self.articles = []
        for number, title, weight in ARTICLES:
            pk = existing.get(number) or add(
                CriminalArticle, number=number, title_en=title, state=PUBLISHED
            )
            self.articles.append((pk, number, weight))
        self.viasna = Organisation.objects.get_or_create(
            slug="viasna",
            defaults={
                "name_en": "Human Rights Centre “Viasna”",
                "short_name_en": "Viasna",
                "kind": "human_rights",
                "state": PUBLISHED,
            },
        )[0].pk
        self.writer.flush()

    # One person and every record of theirs.

    def person(self, n: int) -> None:
        rng, add, ct = self.rng, self.writer.add, self.content_types
        gender = "female" if rng.random() < 0.28 else "male"
        spellings = self.names.person(gender)
        withheld = self.withheld_every and n % self.withheld_every == self.withheld_every // 2
        occupation = rng.choice(OCCUPATIONS)
        region = rng.choice(REGIONS)
        city = rng.choice(CITIES)
        first = _day(rng, FIRST_DAY, LAST_DAY - datetime.timedelta(days=200))
        biography = ""
        if rng.random() < 0.3:
            biography = (
                f"{(occupation or 'resident').capitalize()} from {city}. "
                f"Detained after the protests of {first.year}."
            )
        person = add(
            Person,
            name=spellings[0][0],
            name_withheld=bool(withheld),
            public_descriptor=f"{occupation or 'resident'} from {city}" if withheld else "",
            gender=gender,
            birth_date=partial(
                _day(rng, datetime.date(1950, 1, 1), datetime.date(2004, 12, 31)), rng
            ),
            region=region,
            occupation=occupation,
            biography=biography,
            state=PUBLISHED,
        )
        self.person_ids.append(person)
        for name, language, script, kind in spellings:
            search_text, search_key = _search_fields(name, language)
            add(
                PersonName,
                person_id=person,
                name=name,
                language=language,
                script=script,
                kind=kind,
                search_text=search_text,
                search_key=search_key,
                state=PUBLISHED,
            )
        if rng.random() < 0.85:
            add(
                PersonIdentifier,
                person_id=person,
                scheme="viasna",
                identifier=str(100000 + person),
                url=f"https://prisoners.spring96.org/en/person/{100000 + person}",
                external_status="active",
                state=PUBLISHED,
            )
        if rng.random() < 0.8:
            recognised = partial(first + datetime.timedelta(days=rng.randint(5, 120)), rng)
            add(
                Recognition,
                person_id=person,
                organisation_id=self.viasna,
                recognised_on=recognised,
                statement_url=f"https://spring96.org/en/news/{200000 + person}",
                state=PUBLISHED,
            )
        cited = [(ct[Person], person)] * 4
        detentions = []
        count = rng.randint(1, 5)
        days = sorted(_day(rng, first, LAST_DAY) for _ in range(count))
        for index, day in enumerate(days):
            started_on = partial(day, rng)
            detention = add(
                Detention,
                person_id=person,
                started_on=started_on,
                place=city,
                authority=rng.choice(AUTHORITIES),
                state=PUBLISHED,
            )
            own_parts = []
            for pk, number, _ in rng.sample(self.articles, rng.choice([1, 1, 1, 2])):
                part = str(rng.randint(1, 3)) if number in ("342", "293", "130", "361-1") else ""
                own_parts.append(
                    (
                        Charge,
                        add(
                            Charge,
                            detention_id=detention,
                            article_id=pk,
                            part=part,
                            state=PUBLISHED,
                        ),
                    )
                )
            stay_end = ""
            if rng.random() < 0.6:
                moved = day + datetime.timedelta(days=rng.randint(30, 300))
                stay_end = moved.isoformat()
            own_parts.append(
                (
                    FacilityStay,
                    add(
                        FacilityStay,
                        detention_id=detention,
                        facility_id=rng.choice(self.pretrial),
                        started_on=day.isoformat(),
                        ended_on=stay_end,
                        state=PUBLISHED,
                    ),
                )
            )
            if stay_end:
                own_parts.append(
                    (
                        FacilityStay,
                        add(
                            FacilityStay,
                            detention_id=detention,
                            facility_id=rng.choice(self.colonies),
                            started_on=stay_end,
                            state=PUBLISHED,
                        ),
                    )
                )
            decisions, releases = [], []
            if rng.random() < 0.7:
                decided = partial(day + datetime.timedelta(days=rng.randint(60, 360)), rng)
                kind = _weighted(rng, PENALTIES)
                months = (
                    None
                    if kind in ("fine",)
                    else rng.choice([3, 6, 12, 18, 24, 36, 48, 60, 84, 120, 168])
                )
                pk = add(
                    CourtDecision,
                    detention_id=detention,
                    decided_on=decided,
                    court=f"{rng.choice(CITIES)} district court",
                    penalty_kind=kind,
                    term_months=months,
                    term_text=f"{months // 12} years" if months and months >= 12 else "",
                    state=PUBLISHED,
                )
                own_parts.append((CourtDecision, pk))
                decisions.append(
                    SimpleNamespace(
                        pk=pk,
                        penalty_kind=kind,
                        penalty_starts_on="",
                        decided_on=decided,
                        **{f"decided_on_{k}": v for k, v in _bounds(decided).items()},
                    )
                )
            last = index == len(days) - 1
            if rng.random() < (0.5 if last else 0.25):
                kind = _weighted(rng, RELEASES)
                released_on = partial(
                    min(
                        day + datetime.timedelta(days=rng.randint(30, 1500)),
                        datetime.date(2026, 6, 30),
                    ),
                    rng,
                )
                pk = add(
                    Release,
                    detention_id=detention,
                    released_on=released_on,
                    kind=kind,
                    destination_country="LT" if kind == "exile" else "",
                    state=PUBLISHED,
                )
                own_parts.append((Release, pk))
                releases.append(
                    SimpleNamespace(
                        pk=pk,
                        kind=kind,
                        released_on=released_on,
                        **{f"released_on_{k}": v for k, v in _bounds(released_on).items()},
                    )
                )
            detentions.append(
                SimpleNamespace(
                    pk=detention,
                    started_on=started_on,
                    published_decisions=decisions,
                    published_releases=releases,
                    **{f"started_on_{k}": v for k, v in _bounds(started_on).items()},
                )
            )
            cited.append((ct[Detention], detention))
            model, pk = rng.choice(own_parts)
            cited.append((ct[model], pk))
        status, since = derive_status(detentions)
        self.writer.rows[Person][-1].update(current_status=status, status_since=since)
        for content_type, object_id in cited:
            field, stated = "", ""
            if content_type == ct[Detention] and rng.random() < 0.1:
                field = "started_on"
                stated = next(d.started_on for d in detentions if d.pk == object_id)
            add(
                Citation,
                source_id=rng.choice(self.sources),
                content_type_id=content_type,
                object_id=object_id,
                field=field,
                stated_value=stated,
                quote=rng.choice(QUOTES).format(
                    n=rng.randint(2, 15),
                    city=rng.choice(CITIES),
                    article=rng.choice(self.articles)[1],
                ),
                locator=f"para. {rng.randint(1, 12)}",
                confidence=rng.choice(["high", "medium", "medium", "low"]),
                state=PUBLISHED,
            )

    # Events and figures, once the people exist.

    def events(self) -> None:
        rng, add = self.rng, self.writer.add
        for n in range(max(3, self.people // 200)):
            day = _day(rng, FIRST_DAY, LAST_DAY)
            kind = rng.choice(["trial", "trial", "protest", "mass_release", "meeting"])
            facility = rng.choice([pk for pk, _ in self.facilities]) if rng.random() < 0.4 else None
            event = add(
                Event,
                title_en=f"{kind.replace('_', ' ').capitalize()} in {rng.choice(CITIES)} ({n + 1})",
                kind=kind,
                happened_on=partial(day, rng),
                facility_id=facility,
                participant_count=None,
                state=PUBLISHED,
            )
            for person in rng.sample(
                self.person_ids, min(len(self.person_ids), rng.randint(2, 20))
            ):
                add(EventParticipant, event_id=event, person_id=person, state=PUBLISHED)
        for _ in range(max(5, self.people // 1000)):
            add(
                ReportedFigure,
                value=rng.randint(900, 1500),
                qualifier=rng.choice(["exactly", "about", "more_than"]),
                counted="political prisoners",
                counted_be="палітвязні",
                counted_ru="политзаключённые",
                as_of=partial(_day(rng, FIRST_DAY, LAST_DAY), rng),
                counted_by="Viasna",
                counted_by_be="Вясна",
                counted_by_ru="Весна",
                state=PUBLISHED,
            )

    def run(self) -> None:
        self.setup()
        with bulk_load(MODELS):
            for start in range(0, self.people, self.batch):
                for n in range(start, min(start + self.batch, self.people)):
                    self.person(n)
                self.writer.flush()
                self.log(f"  generated {min(start + self.batch, self.people):,} people")
            self.events()
            self.writer.flush()
            self.log("  indexes and foreign keys…")
        self.writer.reset_sequences()


def generate(people: int, **options) -> None:
    """Add ``people`` generated people (and their records) to the database, with their
    published edition (custody periods included, which the in-custody series reads) and the
    possible duplicates among everyone (which the editors' dashboard reads): rows written
    past the signals."""
    Generator(people, **options).run()
    # COPY bypassed the publishing services: each generated published row becomes its
    # published version, and the edition (with the custody periods) is derived from them.
    publishing.adopt_published()
    log = options.get("log") or (lambda text: print(text, flush=True))
    duplicates.rebuild(progress=lambda text: log(f"  possible duplicates: {text}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=8000)
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("loaddata", "seed", verbosity=0)
    seeded = list(Person.objects.values_list("pk", flat=True))
    generate(args.people)
    refresh_statuses(person_ids=seeded)  # the seed's; generated people have theirs already
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        m.__name__: m.objects.count()
        for m in (Person, PersonName, Detention, CourtDecision, Release, Citation)
    }
    print(
        "rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )


if __name__ == "__main__":
    main()
