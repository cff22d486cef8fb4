"""
What every exported table shares: its columns (``tracker.lib.csv_streams.Column``), the
public query that fills it, and the streaming of its rows.

A ``CsvDownload`` is one ``/exports/<slug>.csv`` file; a ``PackageTable`` one table of
the data package, whose columns also say how the loader reads it back. Rows are read by
name: the primary query's ``values()`` plus, per related stream, the list of that
record's rows (``rows``). Every query starts from ``prisoners.public``, the ``scope`` of
the related streams; the admin's download of the same files (``prisoners.admin_downloads``)
passes its own scope, which reads every editorial state. Each query is read through a
server-side cursor, a chunk at a time, as the file is written.

The public's files need no redaction of their own: the edition's values are public
already (masks applied, every mention of a withheld name redacted when it was written).
Only the admin's download, which reads editorial rows, passes a redactor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from operator import itemgetter

from django.db import connection
from django.db.models import F, Model, QuerySet

from tracker.lib.csv_streams import (
    API_URL,
    CHUNK,
    Column,
    cell_text,
    merge_by_key,
    query_fields,
    with_bounds,
    with_precision,
)

from .. import public


def nulls_first(name: str):
    return F(name).asc(nulls_first=True)


def person_name(prefix: str = "") -> Callable[[Mapping], str]:
    """The public name of the person at ``prefix`` (own name, or descriptor when withheld)."""
    return itemgetter(f"{prefix}public_name")


def person_name_needs(prefix: str = "") -> tuple[str, str]:
    """What ``person_name`` reads, and whether the name is withheld (for the admin's
    download, which tells a person's own name from a descriptor, ``admin_downloads``)."""
    return (f"{prefix}public_name", f"{prefix}name_withheld")


def no_streams(ids: QuerySet, scope=public) -> dict:
    return {}


def _without_jit() -> None:
    """
    No JIT compilation of the export's queries for the rest of the transaction, on
    PostgreSQL: their estimated cost (a subquery per citation, a join of every row) is
    far above ``jit_above_cost``, and compiling them took ten times longer than running
    them. Sent on the driver's cursor, like the statement time limit, so it is not among
    the queries a test counts; outside a transaction it does nothing.
    """
    if connection.vendor == "postgresql" and not connection.get_autocommit():
        with connection.connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def read_sql(sql: str, params, names: tuple[str, ...]) -> Iterator[dict]:
    """
    The rows of a query written around querysets' SQL (for what the ORM cannot say, such
    as an aggregate over a union), as mappings of ``names``, read through a server-side
    cursor a chunk at a time.
    """
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                yield dict(zip(names, row, strict=True))


def _with_streams(primary: Iterator[dict], streams: dict) -> Iterator[dict]:
    """The primary rows, each with its rows of every related stream under the stream's name."""
    for row, related in merge_by_key(primary, itemgetter("pk"), streams):
        row.update(related)
        yield row


def _nothing(row) -> None:
    return None


def _mask_note(kind: str) -> str:
    if kind == "year":
        return "Only the year where the name is withheld."
    return "Empty where the name is withheld."


def as_public(model: type[Model], column: Column) -> Column:
    """
    The column as the public sees it, whatever table it is in: a field that
    ``prisoners.public`` masks for a withheld person reads its ``public_<field>`` mask, and
    an optional link (``public_references``) the ``public_<link>_id`` of a public record.
    """
    if callable(column.read) or not column.load or column.read not in ("", column.load):
        return column
    mask = public.withheld_masks(model).get(column.load)
    if mask is not None:
        return replace(
            column,
            read=f"public_{column.load}",
            description=f"{column.description} {_mask_note(mask)}",
        )
    table = public.table(model)
    for link in getattr(table, "public_references", ()):
        if column.load == table._meta.get_field(link).attname:
            return replace(
                column,
                read=f"public_{link}_id",
                description=f"{column.description} Empty where the linked record is not public.",
            )
    return column


@dataclass
class Table:
    """Columns of a model's public rows, ``public.rows(model)``."""

    title: str
    model: type[Model]
    columns: list[Column]
    # name -> (ids of the primary rows, scope -> rows with a "key", sorted by it); the scope
    # is ``prisoners.public`` or an object with its ``rows``, ``ids``, ``cited`` and
    # ``citations_of_model``.
    streams: Callable[..., dict] = no_streams

    def __post_init__(self):
        self.columns = [as_public(self.model, column) for column in self.columns]

    def queryset(self) -> QuerySet:
        """Every row this table may hold: public rows only."""
        return public.rows(self.model)

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def fields(self, stream_names=()) -> list[str]:
        return query_fields(self.columns, exclude={"api_url", *stream_names})

    def rows(
        self,
        queryset: QuerySet,
        *,
        redactor=None,
        api_base: str | None = None,
        scope=public,
        columns: list[Column] | None = None,
    ) -> Iterator[list[str]]:
        """
        Rows of cell texts (``csv_streams.cell`` of each value) for a queryset of this
        table, in id order: of ``columns`` (by default the table's), with related streams
        read from ``scope``. A ``redactor`` (``prisoners.redaction.Redactor``: the admin's
        download of editorial rows only) redacts every value.
        """
        columns = self.columns if columns is None else columns
        _without_jit()
        streams = {
            name: rows.iterator(chunk_size=CHUNK) if isinstance(rows, QuerySet) else rows
            for name, rows in self.streams(queryset.values("pk"), scope).items()
        }
        fields = query_fields(columns, exclude={"api_url", *streams})
        primary = queryset.order_by("pk").values(*fields).iterator(chunk_size=CHUNK)
        readers = [column.reader() for column in columns]
        if redactor is not None and redactor.matcher:
            text = cell_text(redactor.text, redactor.data)
            # The link to the API is the same text for every row but the id, which names
            # no one: the redactor reads it once.
            shown = redactor.text(api_base) if api_base else api_base
        else:
            text, shown = cell_text(), api_base
        header = [column.name for column in columns]
        link = None
        if api_base is not None and API_URL.name in header:
            link = header.index(API_URL.name)
            readers[link] = _nothing
        for row in _with_streams(primary, streams) if streams else primary:
            texts = [text(read(row)) for read in readers]
            if link is not None:
                texts[link] = f"{api_base}{row['pk']}/" if api_base and shown == api_base else shown
            yield texts


@dataclass
class CsvDownload(Table):
    """A CSV download: ``/exports/<slug>.csv``, filtered by the API's FilterSet."""

    slug: str = ""
    file_stem: str = ""
    filterset_class: type | None = None
    api_view: str | None = None

    def __post_init__(self):
        super().__post_init__()
        self.columns = with_precision(self.columns)


@dataclass
class PackageTable(Table):
    """
    A table of the data package, ``<name>.csv``. The loader reads it back into ``model``:
    each column with a ``load`` field, then ``complete(values, row)`` for what the columns
    alone do not give.
    """

    name: str = ""
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # (column, table)
    complete: Callable[[dict, Mapping], None] | None = None

    def __post_init__(self):
        super().__post_init__()
        self.columns = with_bounds(self.columns)

    def schema(self) -> dict:
        """The Frictionless Table Schema."""
        fields = []
        for column in self.columns:
            descriptor = {
                "name": column.name,
                "type": column.type,
                "description": column.description,
            }
            constraints = dict(column.constraints)
            if column.required:
                constraints["required"] = True
            if constraints:
                descriptor["constraints"] = constraints
            fields.append(descriptor)
        schema = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": table, "fields": ["id"]}}
                for column, table in self.foreign_keys
            ]
        return schema
