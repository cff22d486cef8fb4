#!/usr/bin/env python
"""
Benchmark at the scale we design for: 100,000 people, 300,000 detentions, 1,000,000
citations on PostgreSQL. Not a test: it prints figures for the README.

    scripts/with-postgres .venv/bin/python scripts/benchmark.py [--people 100000]

Measures, on a freshly generated database:
- name search (prisoners.search.search_people) over every spelling: median and p95;
- the API's list endpoints through Django's test client (routing, filters,
  serialization, JSON): median, with their query counts;
- the CSV of everyone (/exports/prisoners.csv), against PostgreSQL's own COPY of the
  same columns to /dev/null.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_API_ANON_RATE", "off")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from prisoners import names  # noqa: E402
from prisoners.models import (  # noqa: E402
    Charge,
    CriminalArticle,
    Detention,
    Facility,
    FacilityStay,
    Person,
    PersonName,
    Release,
)
from prisoners.search import search_people  # noqa: E402
from sources.models import Citation, Source  # noqa: E402

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


def generate(people: int) -> None:
    rng = random.Random(20201010)
    call_command("flush", interactive=False, verbosity=0)
    source = Source.objects.create(kind="news_article", title="Generated", state="published")
    facilities = Facility.objects.bulk_create(
        [
            Facility(
                name_en=f"Colony {n}", kind="penal_colony", city_en=f"City {n}", state="published"
            )
            for n in range(40)
        ]
    )
    articles = CriminalArticle.objects.bulk_create(
        [
            CriminalArticle(number=str(n), state="published")
            for n in (130, 243, 293, 342, 361, 368, 369, 411)
        ]
    )
    batch = 5000
    person_type = ContentType.objects.get_for_model(Person)
    detention_type = ContentType.objects.get_for_model(Detention)
    for start in range(0, people, batch):
        chunk = []
        for n in range(start, min(start + batch, people)):
            (first_be, first_ru), stem = rng.choice(FIRST), rng.choice(STEMS)
            surname = stem + rng.choice(ENDS) + ("" if n % 3 else str(n % 97))
            chunk.append((n, f"{first_be} {surname}", f"{first_ru} {surname}"))
        persons = Person.objects.bulk_create(
            [
                Person(
                    name=names.normalise(be).title(),
                    gender="male",
                    state="published",
                    current_status=rng.choice(["in_custody", "released", "restricted"]),
                    status_since="2021",
                )
                for _, be, _ in chunk
            ]
        )
        variants = []
        for person, (_, be, ru) in zip(persons, chunk, strict=True):
            for text, language in ((be, "be"), (ru, "ru"), (person.name, "en")):
                variant = PersonName(
                    person=person,
                    name=text,
                    language=language,
                    script="Latn" if language == "en" else "Cyrl",
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
                    started_on=f"{rng.randint(2020, 2024)}-{rng.randint(1, 12):02d}",
                )
                for person in persons
                for _ in range(3)
            ]
        )
        Charge.objects.bulk_create(
            [
                Charge(
                    detention=d,
                    article=rng.choice(articles),
                    part=str(rng.randint(1, 3)),
                    state="published",
                )
                for d in detentions
            ]
        )
        FacilityStay.objects.bulk_create(
            [
                FacilityStay(detention=d, facility=rng.choice(facilities), state="published")
                for d in detentions
            ]
        )
        Release.objects.bulk_create(
            [
                Release(
                    detention=d,
                    state="published",
                    kind="end_of_term",
                    released_on=f"{int(d.started_on[:4]) + 1}",
                )
                for d in detentions[::3]
            ]
        )
        citations = [
            Citation(
                source=source,
                content_type=person_type,
                object_id=p.pk,
                quote="q",
                state="published",
            )
            for p in persons
            for _ in range(4)
        ]
        citations += [
            Citation(
                source=source,
                content_type=detention_type,
                object_id=d.pk,
                quote="q",
                state="published",
            )
            for d in detentions
            for _ in range(2)
        ]
        Citation.objects.bulk_create(citations)
        print(f"  generated {min(start + batch, people):,} people", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(label: str, samples: list[float], extra: str = "") -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{label:58} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms {extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run under scripts/with-postgres"
    call_command("migrate", verbosity=0)
    if not args.skip_generate:
        started = time.perf_counter()
        generate(args.people)
        print(f"generated in {time.perf_counter() - started:.0f} s")
    counts = {m.__name__: m.objects.count() for m in (Person, PersonName, Detention, Citation)}
    print("rows:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    published = Person.objects.filter(state="published")
    queries = [
        "Лосік",
        "Losik",
        "Ihar Losik",
        "Бабарыка",
        "Babaryka",
        "Babariko",
        "Уласава",
        "Vlasova",
        "Vlasowa",
        "Kalesnikava",
        "Kolesnikova",
        "Tsikhanouski",
        "Tikhanovsky",
        "Statkiewicz",
        "Sieviaryniec",
        "Marыя",
        "Zolatava Maryna",
        "Rabcevič",
        "Labkovich",
        "Andrejewa",
    ]
    samples = []
    for query in queries:
        samples += timed(lambda q=query: list(search_people(published, q)[:50]), 3)
    report("name search, first 50 matches (20 spellings x 3)", samples)

    client = Client()
    endpoints = [
        "/api/v1/prisoners/?limit=50",
        "/api/v1/prisoners/?status=in_custody&article=342&limit=50",
        "/api/v1/prisoners/?q=Kalesnikava&limit=50",
        "/api/v1/prisoners/?detained_after=2022-01-01&detained_before=2022-06-30&limit=50",
        "/api/v1/detentions/?limit=50",
        "/api/v1/releases/?released_after=2023-01-01&limit=50",
        "/api/v1/sources/?limit=50",
    ]
    # Query counts per endpoint are pinned by tests/test_api_queries.py.
    for url in endpoints:
        client.get(url)
        report(url, timed(lambda u=url: client.get(u), 15))

    def export():
        response = client.get("/exports/prisoners.csv")
        return sum(len(chunk) for chunk in response.streaming_content)

    size = export()
    report(f"CSV of everyone ({size / 1e6:.0f} MB)", timed(export, 3))

    copy_sql = """
        COPY (
          SELECT p.id, p.public_name,
            (SELECT string_agg(n.name, '; ' ORDER BY n.id) FROM prisoners_personname n
               WHERE n.person_id = p.id),
            p.gender, p.birth_date, p.country, p.region, p.occupation, p.current_status,
            p.status_since,
            (SELECT min(d.started_on) FROM prisoners_detention d WHERE d.person_id = p.id),
            (SELECT max(d.started_on) FROM prisoners_detention d WHERE d.person_id = p.id),
            (SELECT string_agg(DISTINCT a.number || '-' || c.part, '; ')
               FROM prisoners_charge c JOIN prisoners_detention d ON d.id = c.detention_id
               JOIN prisoners_criminalarticle a ON a.id = c.article_id
               WHERE d.person_id = p.id),
            (SELECT max(r.released_on) FROM prisoners_release r
               JOIN prisoners_detention d ON d.id = r.detention_id WHERE d.person_id = p.id),
            (SELECT count(DISTINCT s.source_id) FROM sources_citation s
               WHERE s.object_id = p.id AND s.content_type_id = (
                 SELECT id FROM django_content_type
                 WHERE app_label = 'prisoners' AND model = 'person')),
            p.updated_at
          FROM prisoners_person p WHERE p.state = 'published' ORDER BY p.id
        ) TO STDOUT WITH CSV HEADER
    """

    def copy():
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(copy_sql) as stream:
            return sum(len(block) for block in stream)

    connection.ensure_connection()
    report("PostgreSQL COPY of the same columns", timed(copy, 3))


if __name__ == "__main__":
    main()
