"""
Single measurements in process, on a benchmark's database, each rolled back
(``benchmarks/results-2026-12-07-spot.md``)::

    DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.spot withhold

``withhold``: an Editor's withhold of the published person ``edition_figures`` picks, by
the service. ``admin-withhold``: the same through the admin's change form (the third
person by id), as ``bench-editor``. ``autocomplete``: the admin's autocomplete of a
release's detention, "Kavaliou", 6 requests. ``publication``: ``edition_figures`` without
its rebuild. Run ``benchmarks.run`` first: it makes the users and the database.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "spot-only-not-a-secret")  # as benchmarks.profile


class _RolledBack(Exception):
    pass


def _client():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-editor"))
    return client


def withhold() -> str:
    from prisoners import publishing
    from prisoners.models import Person

    named = Person.objects.filter(state="published", name_withheld=False).order_by("pk")
    person = named[named.count() // 2]
    started = time.perf_counter()
    publishing.withhold(person=person, descriptor="a person of the benchmark")
    return f"withhold of person {person.pk}: {time.perf_counter() - started:.1f} s"


def admin_withhold() -> str:
    from django.apps import apps
    from django.test.utils import setup_test_environment

    from prisoners.models import Person
    from tests.admin_client import form_data

    setup_test_environment()  # the response's context, for the form as it was shown
    client = _client()
    named = Person.objects.filter(state="published", name_withheld=False).order_by("pk")
    person = named[named.count() // 3]
    url = f"/admin/prisoners/person/{person.pk}/change/"
    data = form_data(client.get(url, secure=True))
    data.update(name_withheld="on", public_descriptor="a person of the benchmark", _save="Save")
    started = time.perf_counter()
    response = client.post(url, data, secure=True)
    seconds = time.perf_counter() - started
    shown = apps.get_model("edition", "Person").objects.get(pk=person.pk).name
    return f"POST {response.status_code} after {seconds:.1f} s; the edition shows {shown!r}"


def autocomplete() -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    query = {"term": "Kavaliou", "app_label": "prisoners", "model_name": "release"}
    query["field_name"] = "detention"
    times = []
    for _ in range(6):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/admin/autocomplete/", query, secure=True)
            times.append((time.perf_counter() - started) * 1000)
    return (
        f"{response.status_code}, {len(response.json()['results'])} results, "
        f"{len(queries)} queries; ms {[round(t) for t in times]}, "
        f"median of the last 5 {statistics.median(times[1:]):.0f}"
    )


def publication() -> str:
    from benchmarks import run
    from prisoners import publishing

    rebuild, publishing.rebuild = publishing.rebuild, lambda *args, **kwargs: None
    try:
        figures = run.edition_figures()
    finally:
        publishing.rebuild = rebuild
    times = figures["publish_ms"]
    return f"publication ms {[round(t) for t in times]}, median {statistics.median(times):.0f}"


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.db import transaction

    measures = {
        "withhold": withhold,
        "admin-withhold": admin_withhold,
        "autocomplete": autocomplete,
        "publication": publication,
    }
    if len(argv) != 1 or argv[0] not in measures:
        print(f"usage: python -m benchmarks.spot {{{','.join(measures)}}}", file=sys.stderr)
        return 2
    try:
        with transaction.atomic():
            print(measures[argv[0]](), flush=True)
            raise _RolledBack
    except _RolledBack:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
