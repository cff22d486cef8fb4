"""
Citations in the public API: those of a page of records in one query, and the
``citations`` field every cited record shows. Which citations are public (published, from
a public source, of a public record that identifies no withheld person) was decided when
they were published: the edition holds those only (``prisoners.public.citations_of``).
A citation names its record by model name and id (``record_type``, ``object_id``), the
model name of the edition's record.

A page of 50 people has about 200 citations: they are read as plain rows (``values``),
not model objects, and written as the dicts ``CitationSerializer`` would give (which
stays the documented shape: the schema is generated from it, and
``tests/test_api_fast_paths.py`` compares the two on every citation of the seed), without
a serializer per record or a ``reverse()`` per source.
"""

from __future__ import annotations

from functools import lru_cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources.api.serializers import CitationSerializer
from sources.claims import stored_text, supports_stored
from tracker.lib.links import http_link
from tracker.lib.partial_dates import parse_partial_date

from .. import public
from .links import api_url

# What a citation shows, and of its source: CitationSerializer and SourceBriefSerializer.
CITATION_COLUMNS = (
    "record_type",
    "object_id",
    "field",
    "stated_value",
    "quote",
    "locator",
    "confidence",
    "source_id",
    "source__title",
    "source__publisher",
    "source__url",
    "source__published_on",
)


@lru_cache(maxsize=4096)
def _parsed(value: str):
    return parse_partial_date(value)


def partial_date(value) -> dict | None:
    """What ``tracker.lib.api.PartialDateOutput`` gives for a stored partial date."""
    parsed = _parsed(value) if value else None
    if parsed is None:
        return None
    return {
        "value": parsed.text,
        "precision": parsed.precision,
        "earliest": parsed.earliest.isoformat(),
        "latest": parsed.latest.isoformat(),
    }


def _text(value):
    return None if value is None else str(value)


def citation_data(row: dict, record, request) -> dict:
    """One citation of ``record`` (a ``CITATION_COLUMNS`` row), as CitationSerializer."""
    field, stated = row["field"], row["stated_value"]
    supports = None
    if field and stated:
        model_field = record._meta.get_field(field)
        supports = supports_stored(model_field, stored_text(record, field), stated)
    source_id = row["source_id"]
    return {
        "source": {
            "id": source_id,
            "url": api_url(request, "api:source-detail", source_id),
            "title": _text(row["source__title"]),
            "publisher": _text(row["source__publisher"]),
            "source_url": http_link(row["source__url"]),
            "published_on": partial_date(row["source__published_on"]),
        },
        "field": field or None,
        "stated_value": stated or None,
        "supports_stored_value": supports,
        "quote": _text(row["quote"]),
        "locator": _text(row["locator"]),
        "confidence": _text(row["confidence"]),
    }


def _records_at(objects, path: str) -> list:
    """The records at a dotted path of prefetched relations: "detentions.charges"."""
    records = list(objects)
    for attribute in filter(None, path.split(".")):
        records = [child for record in records for child in getattr(record, attribute).all()]
    return records


def attach_citations(objects, paths=("",), request=None) -> None:
    """
    Load the public citations of these records, and of the related records at ``paths``,
    in one query, onto each record's ``public_citations`` (as the API shows them): a page
    costs one query for all its citations, however deeply they are nested.
    """
    records = [record for path in paths for record in _records_at(objects, path)]
    by_key = {}
    for record in records:
        by_key[(type(record)._meta.model_name, record.pk)] = record
        record.public_citations = []
    if not by_key:
        return
    citations = (
        public.citations_of(records)
        .order_by("record_type", "object_id", "field", "pk")
        .values(*CITATION_COLUMNS)
    )
    for row in citations:
        record = by_key[(row["record_type"], row["object_id"])]
        record.public_citations.append(citation_data(row, record, request))


class CitedSerializer(serializers.Serializer):
    """
    Adds ``citations`` to a serializer: the record's public citations, which
    ``attach_citations`` loaded (none for a record of a person whose name is withheld:
    which sources we hold on that person would identify them).
    """

    citations = serializers.SerializerMethodField()

    def get_fields(self):
        fields = super().get_fields()
        fields["citations"] = fields.pop("citations")  # last, after the record's own fields
        return fields

    @extend_schema_field(CitationSerializer(many=True))
    def get_citations(self, obj):
        citations = getattr(obj, "public_citations", None)
        if citations is None:
            attach_citations([obj], request=self.context.get("request"))
            citations = obj.public_citations
        return citations
