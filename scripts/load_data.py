#!/usr/bin/env python
"""
A realistic database for the load and fault tests: the seed, plus generated people.

    scripts/with-postgres .venv/bin/python scripts/load_data.py --people 8000

Migrates (and creates the cache table, as deployments do), loads the seed fixture, then
adds ``--people`` published people on top of it (deterministic: a fixed random seed),
each with three spellings of the name (be, ru, en), one to three detentions with charges
and facility stays, most with a court decision, about half released, and citations of a
handful of sources. Every part is published, so the public API, its filters and the
exports see all of it. Stored statuses are then recomputed from the records
(``refresh_statuses``), and the database is ANALYZEd. Not a test; used by
scripts/load-test, scripts/fault-test and scripts/backup-test (BACKUP_PEOPLE).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "load-data-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "false")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from prisoners import names  # noqa: E402
from prisoners.models import (  # noqa: E402
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Facility,
    FacilityStay,
    Person,
    PersonName,
    Release,
)
from prisoners.services import refresh_statuses  # noqa: E402
from sources.models import Citation, Source  # noqa: E402

# (Belarusian, Russian) first names; surnames are a stem and an ending, in Belarusian
# Cyrillic; Russian and Latin spellings are derived from it, as the real data has them.
FIRST = [
    ("Ігар", "Игорь"),
    ("Алесь", "Алесь"),
    ("Марыя", "Мария"),
    ("Віктар", "Виктор"),
    ("Лілія", "Лилия"),
    ("Сяргей", "Сергей"),
    ("Кацярына", "Екатерина"),
    ("Мікалай", "Николай"),
    ("Уладзімір", "Владимир"),
    ("Павел", "Павел"),
    ("Дзмітрый", "Дмитрий"),
    ("Юрый", "Юрий"),
    ("Марына", "Марина"),
    ("Ганна", "Анна"),
    ("Аляксандр", "Александр"),
    ("Вольга", "Ольга"),
]
STEMS = [
    "Лос",
    "Бабар",
    "Улас",
    "Рабцэв",
    "Васкрасен",
    "Калеснік",
    "Бялят",
    "Статкев",
    "Золат",
    "Стэфанов",
    "Севярын",
    "Андрэ",
    "Лабков",
    "Ціханоў",
    "Шкляр",
    "Макей",
    "Навумчык",
    "Каваленк",
    "Жук",
    "Шыман",
    "Дземід",
    "Корзун",
    "Пашкев",
    "Малец",
]
ENDS = ["ік", "ыка", "ава", "іч", "скі", "ец", "енка", "ін", "оў", "ская", "ка", "юк"]
# Belarusian letters that Russian spells differently (a rough, deterministic Russian form).
BE_TO_RU = str.maketrans({"і": "и", "І": "И", "ў": "в", "ы": "ы", "э": "е", "Э": "Е"})
ARTICLES = ["130", "293", "342", "361", "361-1", "367", "368", "369", "411", "423"]
REGIONS = ["Minsk", "Brest", "Homiel", "Hrodna", "Mahilioŭ", "Viciebsk", "Minsk region"]
OCCUPATIONS = ["engineer", "teacher", "journalist", "IT specialist", "doctor", "student", ""]


def partial_date(rng: random.Random, first_year: int, last_year: int) -> str:
    year = rng.randint(first_year, last_year)
    precision = rng.random()
    if precision < 0.1:
        return str(year)
    if precision < 0.3:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate(people: int, batch: int = 2000) -> None:
    rng = random.Random(20200809)
    sources = Source.objects.bulk_create(
        [
            Source(
                kind=rng.choice(["news_article", "ngo_statement"]),
                title=f"Generated report {n}",
                publisher=rng.choice(["Viasna", "Nasha Niva", "Zerkalo", "RFE/RL"]),
                url=f"https://example.org/generated/{n}",
                language=rng.choice(["be", "ru", "en"]),
                state="published",
            )
            for n in range(200)
        ]
    )
    facilities = Facility.objects.bulk_create(
        [
            Facility(
                name_en=f"Generated colony No. {n}",
                kind=rng.choice(["penal_colony", "pretrial_detention"]),
                city_en=rng.choice(REGIONS),
                state="published",
            )
            for n in range(40)
        ]
    )
    facilities += list(Facility.objects.exclude(pk__in=[f.pk for f in facilities]))
    existing = {a.number: a for a in CriminalArticle.objects.filter(code="BY-CC")}
    articles = list(existing.values()) + CriminalArticle.objects.bulk_create(
        [
            CriminalArticle(number=number, state="published")
            for number in ARTICLES
            if number not in existing
        ]
    )
    person_type = ContentType.objects.get_for_model(Person)
    detention_type = ContentType.objects.get_for_model(Detention)

    for start in range(0, people, batch):
        count = min(batch, people - start)
        with transaction.atomic():
            spellings = []
            for n in range(start, start + count):
                (first_be, first_ru), stem = rng.choice(FIRST), rng.choice(STEMS)
                surname = stem + rng.choice(ENDS)
                be = f"{first_be} {surname}"
                ru = f"{first_ru} {surname.translate(BE_TO_RU)}"
                en = names.normalise(be).title()
                if n % 5 == 0:  # some share a name; a number keeps them apart
                    en += f" {n % 89}"
                spellings.append((be, ru, en))
            persons = Person.objects.bulk_create(
                [
                    Person(
                        name=en,
                        gender=rng.choice(["male", "female"]),
                        birth_date=partial_date(rng, 1950, 2004),
                        region=rng.choice(REGIONS),
                        occupation=rng.choice(OCCUPATIONS),
                        state="published",
                    )
                    for _, _, en in spellings
                ]
            )
            variants = []
            for person, (be, ru, en) in zip(persons, spellings, strict=True):
                for text, language, script in (
                    (be, "be", "Cyrl"),
                    (ru, "ru", "Cyrl"),
                    (en, "en", "Latn"),
                ):
                    variant = PersonName(
                        person=person,
                        name=text,
                        language=language,
                        script=script,
                        kind="official",
                        state="published",
                    )
                    variant.set_search_fields()
                    variants.append(variant)
            PersonName.objects.bulk_create(variants, ignore_conflicts=True)

            detentions = Detention.objects.bulk_create(
                [
                    Detention(
                        person=person,
                        state="published",
                        started_on=partial_date(rng, 2020, 2025),
                        place=rng.choice(REGIONS),
                    )
                    for person in persons
                    for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))
                ]
            )
            Charge.objects.bulk_create(
                [
                    Charge(
                        detention=d, article=article, part=str(rng.randint(1, 3)), state="published"
                    )
                    for d in detentions
                    for article in rng.sample(articles, rng.choice([1, 1, 2]))
                ]
            )
            FacilityStay.objects.bulk_create(
                [
                    FacilityStay(detention=d, facility=rng.choice(facilities), state="published")
                    for d in detentions
                ]
            )
            decisions, releases = [], []
            for d in detentions:
                year = int(d.started_on[:4])
                if rng.random() < 0.7:
                    months = rng.choice([6, 12, 18, 24, 36, 48, 60, 120])
                    decisions.append(
                        CourtDecision(
                            detention=d,
                            state="published",
                            decided_on=str(min(year + 1, 2025)),
                            court=f"{rng.choice(REGIONS)} district court",
                            penalty_kind=rng.choice(["colony_general", "colony_medium", "prison"]),
                            term_months=months,
                        )
                    )
                if rng.random() < 0.5:
                    kind = rng.choice(["end_of_term", "pardon", "restraint_lifted", "exile"])
                    releases.append(
                        Release(
                            detention=d,
                            state="published",
                            kind=kind,
                            destination_country="LT" if kind == "exile" else "",
                            released_on=str(rng.randint(year, 2025)),
                        )
                    )
            CourtDecision.objects.bulk_create(decisions)
            Release.objects.bulk_create(releases)
            citations = [
                Citation(
                    source=rng.choice(sources),
                    content_type=person_type,
                    object_id=p.pk,
                    quote="Generated quote.",
                    state="published",
                )
                for p in persons
                for _ in range(rng.randint(1, 3))
            ]
            citations += [
                Citation(
                    source=rng.choice(sources),
                    content_type=detention_type,
                    object_id=d.pk,
                    quote="Generated quote.",
                    state="published",
                )
                for d in detentions
            ]
            Citation.objects.bulk_create(citations)
        print(f"  generated {start + count:,} people", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=8000)
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # as deployed: the rate limits' cache
    call_command("loaddata", "seed", verbosity=0)
    generate(args.people)
    changed = refresh_statuses()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        m.__name__: m.objects.count()
        for m in (Person, PersonName, Detention, CourtDecision, Release, Citation)
    }
    print(
        "rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        f"({changed:,} statuses derived; {time.perf_counter() - started:.0f} s)",
        flush=True,
    )


if __name__ == "__main__":
    main()
