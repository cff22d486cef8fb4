"""Query plans of the statements a page ran, for the tests that check an index is read."""

from django.db import connection


def the_statement(queries, *marks: str) -> str:
    """The one statement of a ``CaptureQueriesContext`` that holds every mark."""
    [sql] = [q["sql"] for q in queries if all(mark in q["sql"] for mark in marks)]
    return sql


def plan_of(sql: str, *, off: tuple[str, ...] = ("seqscan",)) -> str:
    """
    PostgreSQL's plan of ``sql`` with these scans off (in the test's transaction): on a
    test's few rows the planner would read the table without any index.
    """
    with connection.cursor() as cursor:
        for scan in off:
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
