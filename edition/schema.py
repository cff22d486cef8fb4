"""
On PostgreSQL the edition lives in a schema of its own, ``edition``.

So that one grant covers exactly what the public may read (``manage.py public_role``) and
one publication replicates exactly that (``CREATE PUBLICATION edition FOR TABLES IN SCHEMA
edition``, PostgreSQL 15+): a replica holds the edition and nothing else. Django names
the tables ``edition_<model>`` as ever; the connections' ``search_path`` is
``public, edition`` (``tracker.settings``), so every query finds them where they are.
Migrations create new tables in ``public``; after every ``migrate`` (``post_migrate``)
``place_edition`` moves the edition's tables into the schema, gives search the trigram
indexes it uses, and gives lists of people sorted by name the index of each language's
order: the name in that language's script in its ICU collation, then the id
(``ORDER_INDEXES``), so that a page of such a list reads the index instead of sorting every
person. The publication is created where replicas are set up (a superuser's
statement: ``scripts/replica-check`` shows it). SQLite has no schemas: there the tables stay
where Django puts them.
"""

from django.apps import apps
from django.db import connections

from tracker.lib.languages import COLLATIONS

SCHEMA = "edition"
PUBLICATION = "edition"
# The texts that name search matches by trigrams (prisoners.search), as on the editorial
# tables (prisoners' migrations 0004 and 0007).
TRIGRAM_INDEXES = {
    "edition_personname": ("search_text", "search_key"),
    "edition_person": ("public_name",),
}

# People in each language's order (website.selectors.by_shown_name, the API's
# ordering=display_name): ORDER BY display_name_<language> COLLATE "<collation>", id.
ORDER_INDEXES = {
    f"edition_person_display_name_{language}_order": (f"display_name_{language}", collation)
    for language, collation in COLLATIONS.items()
}


def edition_tables() -> list[str]:
    return sorted(model._meta.db_table for model in apps.get_app_config("edition").get_models())


def place_edition(using: str = "default") -> None:
    """Move the edition's tables into their schema (idempotent); PostgreSQL only."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        for table in edition_tables():
            cursor.execute(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relname = %s AND c.relkind = 'r'",
                [table],
            )
            found = [row[0] for row in cursor.fetchall()]
            if "public" in found and SCHEMA not in found:
                cursor.execute(f'ALTER TABLE public."{table}" SET SCHEMA {SCHEMA}')
        for table, columns in TRIGRAM_INDEXES.items():
            for column in columns:
                index = f"{table}_{column}_trgm"
                cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [index])
                if cursor.fetchone() is None:
                    cursor.execute(
                        f'CREATE INDEX "{index}" '
                        f'ON {SCHEMA}."{table}" USING gin ("{column}" public.gin_trgm_ops)'
                    )
        for index, (column, collation) in ORDER_INDEXES.items():
            # Looked up first, as above: a CREATE INDEX, even one that exists, is refused on
            # a table with pending deferred-constraint events (a later migrate in the same
            # transaction as edition writes, as in a test).
            cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [index])
            if cursor.fetchone() is None:
                cursor.execute(
                    f'CREATE INDEX "{index}" '
                    f'ON {SCHEMA}.edition_person (("{column}" COLLATE "{collation}"), id)'
                )
