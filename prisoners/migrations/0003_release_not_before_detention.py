"""
A release cannot precede its detention.

The rule spans two tables, so a CHECK constraint cannot hold it; these triggers do, on
SQLite and PostgreSQL alike. Both fire after the row is written, when the generated
bound columns are computed, and abort the statement. ``Release.clean()`` gives the same
rule as a form error.
"""

from django.db import migrations

MESSAGE = "prisoners_release_not_before_detention: a release cannot precede its detention"

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER prisoners_release_not_before_detention_{event}
    AFTER {event.upper()} ON prisoners_release
    WHEN NEW.released_on_latest < (
        SELECT started_on_earliest FROM prisoners_detention WHERE id = NEW.detention_id
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
    for event in ("insert", "update")
] + [
    f"""
    CREATE TRIGGER prisoners_detention_not_after_release_update
    AFTER UPDATE ON prisoners_detention
    WHEN EXISTS (
        SELECT 1 FROM prisoners_release
        WHERE detention_id = NEW.id AND released_on_latest < NEW.started_on_earliest
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS prisoners_release_not_before_detention_insert",
    "DROP TRIGGER IF EXISTS prisoners_release_not_before_detention_update",
    "DROP TRIGGER IF EXISTS prisoners_detention_not_after_release_update",
]

POSTGRES_CREATE = [
    f"""
    CREATE FUNCTION prisoners_release_not_before_detention() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'prisoners_release' THEN
            IF EXISTS (
                SELECT 1 FROM prisoners_detention d
                WHERE d.id = NEW.detention_id AND NEW.released_on_latest < d.started_on_earliest
            ) THEN
                RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{MESSAGE}',
                    CONSTRAINT = 'prisoners_release_not_before_detention';
            END IF;
        ELSIF EXISTS (
            SELECT 1 FROM prisoners_release r
            WHERE r.detention_id = NEW.id AND r.released_on_latest < NEW.started_on_earliest
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{MESSAGE}',
                CONSTRAINT = 'prisoners_release_not_before_detention';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER prisoners_release_not_before_detention
    AFTER INSERT OR UPDATE ON prisoners_release
    FOR EACH ROW EXECUTE FUNCTION prisoners_release_not_before_detention()
    """,
    """
    CREATE TRIGGER prisoners_detention_not_after_release
    AFTER UPDATE OF started_on ON prisoners_detention
    FOR EACH ROW EXECUTE FUNCTION prisoners_release_not_before_detention()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS prisoners_detention_not_after_release ON prisoners_detention",
    "DROP TRIGGER IF EXISTS prisoners_release_not_before_detention ON prisoners_release",
    "DROP FUNCTION IF EXISTS prisoners_release_not_before_detention()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No trigger for {schema_editor.connection.vendor}; the tracker supports "
                "SQLite and PostgreSQL."
            )
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
