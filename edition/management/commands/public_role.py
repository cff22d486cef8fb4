"""Create or update a PostgreSQL login role that can read the published edition and nothing else."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from edition.schema import SCHEMA, place_edition


class Command(BaseCommand):
    help = (
        "Create or update a login role that may SELECT the edition's tables and nothing "
        "else (no editorial table, no history, no users, no sessions). Its password comes "
        "from PUBLIC_ROLE_PASSWORD when set. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The role's name, e.g. tracker_public.")

    def handle(self, *args, name, **options):
        if connection.vendor != "postgresql":
            raise CommandError("public_role needs PostgreSQL: SQLite has no roles.")
        place_edition()
        role = sql.Identifier(name)
        password = os.environ.get("PUBLIC_ROLE_PASSWORD")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            exists = cursor.fetchone() is not None
            verb = sql.SQL("ALTER ROLE" if exists else "CREATE ROLE")
            statement = sql.SQL("{} {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                verb, role
            )
            if password:
                statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
            cursor.execute(statement)
            schema = sql.Identifier(SCHEMA)
            database = sql.Identifier(connection.settings_dict["NAME"])
            for template in (
                "GRANT CONNECT ON DATABASE {database} TO {role}",
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}",
                # Nothing else: no table of the public schema (editorial records, history,
                # users, sessions), even one granted to PUBLIC by mistake later.
                "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
                "REVOKE CREATE ON SCHEMA public FROM {role}",
                "ALTER ROLE {role} SET search_path = public, " + SCHEMA,
                "ALTER ROLE {role} SET default_transaction_read_only = on",
            ):
                cursor.execute(
                    sql.SQL(template).format(role=role, schema=schema, database=database)
                )
        self.stdout.write(
            f"Role {name} {'updated' if exists else 'created'}: it may read the schema "
            f"{SCHEMA} and nothing else."
        )
