"""
The database's own speed for the exports: PostgreSQL ``COPY (…) TO STDOUT`` of what each
file holds, read to the end by the client, as the yardstick of ``/exports/prisoners.csv``
and ``/exports/datapackage.zip``.

- ``prisoners_sql()``: one statement with the columns of ``/exports/prisoners.csv`` (names,
  status, first and latest detention, current facility and its address, articles, latest
  decision and release, recognitions, number of sources, API URL), every related value
  aggregated per person in one pass over its table. It reads the published state of each
  row as the public rule's first clause does; the generated data is all published, so this
  is the same set of rows.
- ``package_sqls()``: for each table of the data package, its columns (from the package's
  own table definitions), straight from the edition's table the package reads.
"""

from __future__ import annotations

import time

from django.db import connection

from prisoners.exports.datapackage import TABLES

PRISONERS_SQL = """
WITH
types AS (SELECT id, model FROM django_content_type WHERE app_label = 'prisoners'),
names AS (
  SELECT n.person_id, string_agg(n.name, '; ' ORDER BY n.id) AS variants
  FROM prisoners_personname n WHERE n.state = 'published' GROUP BY n.person_id),
detentions AS (
  SELECT d.person_id,
    (array_agg(d.started_on ORDER BY d.started_on_earliest, d.id)
      FILTER (WHERE d.started_on <> ''))[1] AS first_on,
    (array_agg(d.started_on ORDER BY d.started_on_earliest DESC NULLS LAST, d.id DESC))[1]
      AS latest_on,
    (array_agg(d.id ORDER BY d.started_on_earliest DESC NULLS LAST, d.id DESC))[1] AS latest_id
  FROM prisoners_detention d WHERE d.state = 'published' GROUP BY d.person_id),
open_stays AS (
  SELECT DISTINCT ON (s.detention_id) s.detention_id, f.name_en AS name, f.address
  FROM prisoners_facilitystay s JOIN prisoners_facility f ON f.id = s.facility_id
  WHERE s.state = 'published' AND f.state = 'published' AND s.ended_on = ''
  ORDER BY s.detention_id, s.started_on_earliest DESC NULLS LAST, s.id DESC),
articles AS (
  SELECT d.person_id, string_agg(DISTINCT
    CASE WHEN c.part <> '' THEN a.number || '-' || c.part ELSE a.number END, '; ') AS codes
  FROM prisoners_charge c JOIN prisoners_detention d ON d.id = c.detention_id
  JOIN prisoners_criminalarticle a ON a.id = c.article_id
  WHERE c.state = 'published' AND d.state = 'published' AND a.state = 'published'
  GROUP BY d.person_id),
decisions AS (
  SELECT DISTINCT ON (d.person_id) d.person_id, x.decided_on, x.term_months, x.term_text,
    x.penalty_kind
  FROM prisoners_courtdecision x JOIN prisoners_detention d ON d.id = x.detention_id
  WHERE x.state = 'published' AND d.state = 'published'
  ORDER BY d.person_id, x.decided_on_earliest DESC NULLS LAST, x.id DESC),
releases AS (
  SELECT DISTINCT ON (d.person_id) d.person_id, r.released_on, r.kind
  FROM prisoners_release r JOIN prisoners_detention d ON d.id = r.detention_id
  WHERE r.state = 'published' AND d.state = 'published'
  ORDER BY d.person_id, r.released_on_earliest DESC NULLS LAST, r.id DESC),
recognitions AS (
  SELECT r.person_id, string_agg(DISTINCT o.name_en, '; ') AS names
  FROM prisoners_recognition r JOIN sources_organisation o ON o.id = r.organisation_id
  WHERE r.state = 'published' AND o.state = 'published' GROUP BY r.person_id),
cited AS (
  SELECT c.object_id AS person_id, c.source_id FROM sources_citation c
  JOIN types t ON t.id = c.content_type_id AND t.model = 'person' WHERE c.state = 'published'
  UNION ALL
  SELECT r.person_id, c.source_id FROM sources_citation c
  JOIN types t ON t.id = c.content_type_id AND t.model = 'recognition'
  JOIN prisoners_recognition r ON r.id = c.object_id WHERE c.state = 'published'
  UNION ALL
  SELECT d.person_id, c.source_id FROM sources_citation c
  JOIN types t ON t.id = c.content_type_id AND t.model = 'detention'
  JOIN prisoners_detention d ON d.id = c.object_id WHERE c.state = 'published'
  UNION ALL
  SELECT d.person_id, c.source_id FROM sources_citation c
  JOIN types t ON t.id = c.content_type_id AND t.model = 'charge'
  JOIN prisoners_charge x ON x.id = c.object_id
  JOIN prisoners_detention d ON d.id = x.detention_id WHERE c.state = 'published'
  UNION ALL
  SELECT d.person_id, c.source_id FROM sources_citation c
  JOIN types t ON t.id = c.content_type_id AND t.model = 'facilitystay'
  JOIN prisoners_facilitystay x ON x.id = c.object_id
  JOIN prisoners_detention d ON d.id = x.detention_id WHERE c.state = 'published'
  UNION ALL
  SELECT d.person_id, c.source_id FROM sources_citation c
  JOIN types t ON t.id = c.content_type_id AND t.model = 'courtdecision'
  JOIN prisoners_courtdecision x ON x.id = c.object_id
  JOIN prisoners_detention d ON d.id = x.detention_id WHERE c.state = 'published'
  UNION ALL
  SELECT d.person_id, c.source_id FROM sources_citation c
  JOIN types t ON t.id = c.content_type_id AND t.model = 'release'
  JOIN prisoners_release x ON x.id = c.object_id
  JOIN prisoners_detention d ON d.id = x.detention_id WHERE c.state = 'published'),
sources AS (
  SELECT person_id, count(DISTINCT source_id) AS n FROM cited GROUP BY person_id)
SELECT p.id, p.public_name, CASE WHEN p.name_withheld THEN '' ELSE names.variants END,
  p.gender, CASE WHEN p.name_withheld THEN substr(p.birth_date, 1, 4) ELSE p.birth_date END,
  p.country, p.region, p.occupation, p.current_status, p.status_since,
  detentions.first_on, detentions.latest_on,
  CASE WHEN p.current_status = 'in_custody' THEN open_stays.name END,
  CASE WHEN p.current_status = 'in_custody' THEN open_stays.address END,
  articles.codes, decisions.decided_on, decisions.term_months, decisions.term_text,
  decisions.penalty_kind, releases.released_on, releases.kind, recognitions.names,
  CASE WHEN p.name_withheld THEN 0 ELSE coalesce(sources.n, 0) END, p.updated_at,
  'http://127.0.0.1/api/v1/prisoners/' || p.id || '/'
FROM prisoners_person p
LEFT JOIN names ON names.person_id = p.id
LEFT JOIN detentions ON detentions.person_id = p.id
LEFT JOIN open_stays ON open_stays.detention_id = detentions.latest_id
LEFT JOIN articles ON articles.person_id = p.id
LEFT JOIN decisions ON decisions.person_id = p.id
LEFT JOIN releases ON releases.person_id = p.id
LEFT JOIN recognitions ON recognitions.person_id = p.id
LEFT JOIN sources ON sources.person_id = p.id
WHERE p.state = 'published'
ORDER BY p.id
"""


def package_sqls() -> dict[str, str]:
    """
    Each data-package table's columns, read from the edition's table itself, a masked or
    linked column (``public_<field>``) read as the stored field: a yardstick of the
    database's speed, independent of the plan of the app's own query.
    """
    statements = {}
    for table in TABLES:
        model = table.model
        names = {f.name for f in model._meta.get_fields()} | {"pk"}
        fields = [
            name if name.split("__")[0] in names else name.removeprefix("public_")
            for name in table.fields()
        ]
        queryset = model._default_manager.all()  # the edition's table: public rows only
        sql, params = queryset.order_by("pk").values(*fields).query.sql_with_params()
        statements[table.name] = connection.ops.compose_sql(sql, params)
    return statements


def copy(sql: str) -> tuple[float, int]:
    """Seconds and bytes of ``COPY (sql) TO STDOUT WITH CSV HEADER``, read to the end."""
    connection.ensure_connection()
    with connection.cursor() as cursor:  # a yardstick, not a public request: no limit
        cursor.execute("SET statement_timeout = 0")
    started = time.perf_counter()
    size = 0
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as stream,
    ):
        for block in stream:
            size += len(block)
    return time.perf_counter() - started, size


def copy_prisoners() -> tuple[float, int]:
    return copy(PRISONERS_SQL)


def copy_package() -> tuple[float, int]:
    """The sum over the data package's tables."""
    seconds = size = 0
    for sql in package_sqls().values():
        s, b = copy(sql)
        seconds += s
        size += b
    return seconds, size
