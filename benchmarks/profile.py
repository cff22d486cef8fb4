#!/usr/bin/env python
"""
Where one request's time goes, in process: a pyinstrument profile, the SQL it ran with
each statement's time, and ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest statements.

    DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.profile \\
        '/api/v1/prisoners/?limit=50' '/api/v1/stats/' [--explain 2] [--repeat 5]
    … -m benchmarks.profile --as Editor '/admin/' '/admin/prisoners/person/?q=Kavaliou'

Runs through Django's test client with the benchmark's settings (debug off), on a database
filled by ``scripts/load_data.py``. With ``--as Editor`` or ``--as Reviewer``, signed in
as a member of that group (``bench-editor``, ``bench-reviewer``, made if missing; the second
factor is off in this process). Not a test; its output is for reading.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "profile-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_OTP_REQUIRED_FOR", "off")
for _name in (
    "DJANGO_API_ANON_RATE",
    "DJANGO_EXPORT_RATE",
    "DJANGO_DATAPACKAGE_RATE",
    "DJANGO_SITE_RATE",
):
    os.environ.setdefault(_name, "off")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def timed_queries():
    """An execute wrapper that records (seconds, sql, params) of each statement."""
    log = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            log.append((time.perf_counter() - started, sql, params))

    return log, wrapper


def member(group: str):
    """A staff user in ``group`` (the benchmark's own, ``bench-editor`` or ``bench-reviewer``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(
        username=f"bench-{group.lower()}", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # the public requests' limit, if set
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=5, help="profiled runs after a warm-up")
    parser.add_argument("--explain", type=int, default=2, help="slowest statements to explain")
    parser.add_argument("--as", dest="group", choices=["Editor", "Reviewer"], help="sign in")
    args = parser.parse_args()
    client = Client()
    if args.group:
        client.force_login(member(args.group))
    for path in args.paths:
        client.get(path)  # warm-up
        profiler = Profiler(interval=0.0005)
        log, wrapper = timed_queries()
        started = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            profiler.start()
            for _ in range(args.repeat):
                response = client.get(path)
                if response.streaming:
                    for _chunk in response.streaming_content:
                        pass
            profiler.stop()
        elapsed = (time.perf_counter() - started) / args.repeat
        sql_seconds = sum(seconds for seconds, _, _ in log) / args.repeat
        print(
            f"\n===== {path}: {response.status_code}, {elapsed * 1000:.0f} ms per request, "
            f"{len(log) // args.repeat} queries, {sql_seconds * 1000:.0f} ms of SQL"
        )
        print(profiler.output_text(unicode=True, color=False))
        once = log[: len(log) // args.repeat]
        for seconds, sql, params in sorted(once, key=lambda q: -q[0])[: args.explain]:
            if connection.vendor == "postgresql" and sql.lstrip().upper().startswith("SELECT"):
                print(f"--- {seconds * 1000:.0f} ms: {sql[:300]}…")
                print(explain(sql, params))


if __name__ == "__main__":
    main()
