"""
Bulk writes for derived tables, which the edition's writer fills by the thousand rows.

Django's ``bulk_create`` and ``bulk_update`` compile one SQL statement per batch with a
parameter per value (``bulk_update`` a ``CASE WHEN`` per field and row): at 100,000 people
the statements' compilation and the client-side binding of their parameters took more
time than PostgreSQL's work (``benchmarks/`` profile of ``manage.py rebuild_edition``). On
PostgreSQL these write the same rows with ``COPY`` and one ``UPDATE … FROM (VALUES …)``;
elsewhere (SQLite) they are Django's own. No signal is sent either way, as with Django's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, models

UPDATE_BATCH = 1000


def _postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


# Fields whose Python value is what the database stores (psycopg writes it as it is).
_AS_THEY_ARE = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.EmailField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SlugField,
        models.SmallIntegerField,
        models.TextField,
        models.URLField,
    }
)


def _as_it_is(field) -> bool:
    if isinstance(field, models.ForeignKey):
        return _as_it_is(field.target_field)
    return type(field) in _AS_THEY_ARE


def insert(model: type[models.Model], rows: Sequence[models.Model | dict], using="default") -> None:
    """
    Insert these new rows, as ``bulk_create`` would: model instances, or dicts of their
    values by ``attname`` (a field left out gets its default). Either every row has its
    primary key or, for an automatic one, none has (then the sequence numbers them).
    """
    if not rows:
        return
    if not _postgresql(using):
        model._default_manager.using(using).bulk_create(
            [row if isinstance(row, models.Model) else model(**row) for row in rows]
        )
        return
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    first = rows[0]
    if (
        isinstance(model._meta.pk, models.AutoField)
        and (first.pk if isinstance(first, models.Model) else first.get(model._meta.pk.attname))
        is None
    ):
        fields.remove(model._meta.pk)  # numbered by the table's sequence
    plain = [_as_it_is(f) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    missing = object()
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = []
            for field, as_it_is in zip(fields, plain, strict=True):
                if isinstance(row, models.Model):
                    value = getattr(row, field.attname)
                else:
                    value = row.get(field.attname, missing)
                    if value is missing:
                        value = field.get_default()
                values.append(value if as_it_is else field.get_db_prep_save(value, connection))
            copy.write_row(values)


def update(
    model: type[models.Model],
    objs: Sequence[models.Model],
    names: Iterable[str],
    using="default",
) -> None:
    """Write these fields of these existing rows, as ``bulk_update`` would."""
    names = list(names)
    if not objs or not names:
        return
    if not _postgresql(using):
        model._default_manager.using(using).bulk_update(objs, names)
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    columns = [pk, *fields]
    row = "(" + ", ".join(f"%s::{f.cast_db_type(connection)}" for f in columns) + ")"
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    aliases = ", ".join(quote(f.column) for f in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), UPDATE_BATCH):
            batch = objs[start : start + UPDATE_BATCH]
            params = [
                f.get_db_prep_save(getattr(obj, f.attname), connection)
                for obj in batch
                for f in columns
            ]
            cursor.execute(  # identifiers quoted by the backend; every value a parameter
                f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "  # noqa: S608
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v({aliases}) "
                f"WHERE t.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )


def delete_all(model: type[models.Model], using="default") -> None:
    """Delete every row of ``model``'s table in one statement: no collection of related
    rows, no signal (its dependants are emptied by the caller, in the same transaction)."""
    queryset = model._default_manager.using(using).all()
    queryset._raw_delete(using)
