"""
The public tier's database account: it reads the published edition and nothing else.

PostgreSQL only (SQLite has no roles). ``manage.py public_role`` creates the role; the
tests switch the test connection to it (``SET ROLE``) after the data is written, so that
every public surface runs with exactly the rights a public process has.
"""

import os
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from psycopg import errors

from prisoners.models import Facility, Person
from sources.models import Source

from .test_public_rule import surfaces

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles are PostgreSQL's (CI runs it there)"
)


@pytest.fixture
def role(db):
    name = f"tracker_public_test_{os.getpid()}"
    call_command("public_role", name, verbosity=0)
    return name


@contextmanager
def as_role(name):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_every_public_surface_answers_with_the_read_only_role(client, seed, role):
    records = [*Person.objects.all(), *Facility.objects.all(), *Source.objects.all()[:3]]
    urls = surfaces(records)
    failures = []
    with as_role(role):
        for url in urls:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            if response.status_code >= 500:
                failures.append(f"{url}: {response.status_code}")
    assert len(urls) > 40
    assert not failures, failures


def _denied(statement: str, role: str) -> bool:
    """Whether the role is refused this statement (permission denied)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
        try:
            with transaction.atomic():  # a savepoint: the test's transaction goes on
                cursor.execute(statement)
        except DatabaseError as error:
            denied = isinstance(error.__cause__, errors.InsufficientPrivilege)
        else:
            denied = False
        cursor.execute("RESET ROLE")
    return denied


def test_the_role_cannot_read_any_editorial_table_or_write_the_edition(seed, role):
    editorial = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label != "edition" and model._meta.managed
    )
    assert "prisoners_person" in editorial and "auth_user" in editorial
    # Table names from the models, not from a request.
    readable = [t for t in editorial if not _denied(f'SELECT 1 FROM "{t}" LIMIT 1', role)]  # noqa: S608
    assert readable == []
    assert _denied(
        "INSERT INTO edition_step (at, action, record_type) VALUES (now(), 'x', '')", role
    )
    assert _denied("DELETE FROM edition_person", role)
    published = Person.objects.filter(state="published").count()
    with as_role(role), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM edition_person")
        assert cursor.fetchone()[0] == published
