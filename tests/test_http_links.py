"""
Links to other sites are http(s) only (``tracker.lib.links``): refused by the models'
validation and by the database, and never shown as a link where one was stored anyway.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from prisoners.models import Person, PersonIdentifier, Recognition
from sources.models import Organisation, Source

from .factories import (
    CitationFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentifierFactory,
    RecognitionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

EVIL = "javascript:alert(document.cookie)"
LINKS = [
    (Source, "url", SourceFactory),
    (Source, "archive_url", SourceFactory),
    (Organisation, "url", OrganisationFactory),
    (Person, "photo_url", PersonFactory),
    (PersonIdentifier, "url", PersonIdentifierFactory),
    (Recognition, "statement_url", RecognitionFactory),
]
IDS = [f"{model.__name__}.{field}" for model, field, _ in LINKS]


@pytest.mark.parametrize(("model", "field", "factory"), LINKS, ids=IDS)
@pytest.mark.parametrize("value", [EVIL, "data:text/html,hi", "ftp://example.org/a", " http://x"])
def test_a_link_of_another_scheme_is_refused_by_the_model(model, field, factory, value):
    record = factory.build(**{field: value}) if model is not Source else factory()
    setattr(record, field, value)
    with pytest.raises(Exception) as error:
        record.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(("model", "field", "factory"), LINKS, ids=IDS)
def test_a_link_of_another_scheme_is_refused_by_the_database(model, field, factory):
    record = factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=record.pk).update(**{field: EVIL})


@pytest.mark.parametrize("value", ["https://example.org/a", "HTTP://EXAMPLE.ORG/B", ""])
def test_http_links_and_no_link_are_kept(value):
    source = SourceFactory()
    Source.objects.filter(pk=source.pk).update(url=value, archive_url=value)
    source.refresh_from_db()
    assert source.url == value


def plant_in_edition(table: str, column: str, pk: int) -> None:
    """Write a link of another scheme into the edition's table (it has no check)."""
    with connection.cursor() as cursor:
        # Names of this test's own tables and columns, not input.
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [EVIL, pk])  # noqa: S608


def plant(table: str, column: str, pk: int) -> None:
    """Write a link of another scheme past the database's check (as a restore of an old
    dump could), to see what the public side does with it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_http")
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        # Names of this test's own tables and columns, not input.
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [EVIL, pk])  # noqa: S608
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def test_a_planted_link_of_another_scheme_is_never_shown_as_a_link(client):
    person = PersonFactory()
    source = SourceFactory()
    CitationFactory(record=person, source=source)
    # What the public reads is the edition: a bad link planted there (as a restore of an
    # old dump could) is still never shown as a link.
    plant_in_edition("edition_source", "url", source.pk)
    plant_in_edition("edition_source", "archive_url", source.pk)
    api = client.get(f"/api/v1/sources/{source.pk}/").json()
    assert api["source_url"] == "" and api["archive_url"] == ""
    cited = client.get(f"/api/v1/prisoners/{person.pk}/").json()["citations"]
    assert cited[0]["source"]["source_url"] == ""
    for url in (f"/en/sources/{source.pk}/", f"/en/prisoners/{person.pk}/"):
        assert b"javascript:" not in client.get(url).content
