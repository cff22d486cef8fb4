"""
What every exported table shares: its columns (``tracker.lib.csv_streams.Column``), the
public query that fills it, and the streaming of its rows.

A ``CsvDownload`` is one ``/exports/<slug>.csv`` file; a ``PackageTable`` one table of
the data package, whose columns also say how the loader reads it back. Rows are read by
name: the primary query's ``values()`` plus, per related stream, the list of that
record's rows (``rows``). Every query starts from ``prisoners.public``, the ``scope`` of
the related streams; the admin's download of the same files (``prisoners.admin_downloads``)
passes its own scope, which reads every editorial state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from django.db.models import F, Model, QuerySet, Value
from django.db.models.functions import Substr

from tracker.lib.csv_streams import (
    CHUNK,
    Column,
    merge_by_key,
    query_fields,
    with_bounds,
    with_precision,
)

from .. import public
from ..redaction import OwnName, Redactor


def nulls_first(name: str):
    return F(name).asc(nulls_first=True)


def own_name(name: str) -> OwnName:
    """
    A person's own public name (not a withheld one, nor a descriptor): the redactor leaves
    it alone, so that a namesake of a withheld person keeps their name.
    """
    return OwnName(name)


def person_name(prefix: str = "") -> Callable[[Mapping], str]:
    """The public name of the person at ``prefix`` (own name, or descriptor when withheld)."""

    def value(row):
        public_name = row[f"{prefix}public_name"]
        return public_name if row[f"{prefix}name_withheld"] else own_name(public_name)

    return value


def person_name_needs(prefix: str = "") -> tuple[str, str]:
    return (f"{prefix}public_name", f"{prefix}name_withheld")


def no_streams(ids: QuerySet, scope=public) -> dict:
    return {}


def _mask_note(mask) -> str:
    if isinstance(mask, Value) and mask.value == "":
        return "Empty where the name is withheld."
    if isinstance(mask, Substr):
        return "Only the year where the name is withheld."
    return "Masked where the name is withheld."


def as_public(model: type[Model], column: Column) -> Column:
    """
    The column as the public sees it, whatever table it is in: a field that
    ``prisoners.public`` masks for a withheld person reads its ``public_<field>`` mask, and
    an optional link (``public_references``) the ``public_<link>_id`` of a public record.
    """
    if callable(column.read) or not column.load or column.read not in ("", column.load):
        return column
    mask = public.WITHHELD_MASKS.get(model, {}).get(column.load)
    if mask is not None:
        return replace(
            column,
            read=f"public_{column.load}",
            description=f"{column.description} {_mask_note(mask)}",
        )
    for link in getattr(model, "public_references", ()):
        if column.load == model._meta.get_field(link).attname:
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
        redactor: Redactor,
        api_base: str | None = None,
        scope=public,
        columns: list[Column] | None = None,
    ) -> Iterator[list]:
        """
        Rows of cell values for a queryset of this table, in id order: of ``columns``
        (by default the table's), with related streams read from ``scope``.
        """
        columns = self.columns if columns is None else columns
        streams = self.streams(queryset.values("pk"), scope)
        fields = query_fields(columns, exclude={"api_url", *streams})
        primary = queryset.order_by("pk").values(*fields).iterator(chunk_size=CHUNK)
        for row, related in merge_by_key(primary, lambda r: r["pk"], streams):
            row.update(related)
            if api_base is not None:
                row["api_url"] = f"{api_base}{row['pk']}/" if api_base else ""
            yield [redactor.data(column.value(row)) for column in columns]


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
