"""
Citations in the public API: those of a page of records in one query, and the
``citations`` field every cited record shows. Which citations are public (published, from
a public source, of a public record that identifies no withheld person) is decided by
``prisoners.public.citations_of``.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources.api.serializers import CitationSerializer

from .. import public


def _records_at(objects, path: str) -> list:
    """The records at a dotted path of prefetched relations: "detentions.charges"."""
    records = list(objects)
    for attribute in filter(None, path.split(".")):
        records = [child for record in records for child in getattr(record, attribute).all()]
    return records


def attach_citations(objects, paths=("",)) -> None:
    """
    Load the public citations of these records, and of the related records at ``paths``,
    in one query, onto each record's ``public_citations``: a page costs one query for all
    its citations, however deeply they are nested.
    """
    records = [record for path in paths for record in _records_at(objects, path)]
    by_key = {}
    for record in records:
        by_key[(type(record)._meta.label_lower, record.pk)] = record
        record.public_citations = []
    if not by_key:
        return
    citations = public.citations_of(records).order_by("content_type_id", "object_id", "field", "pk")
    for citation in citations:
        model = ContentType.objects.get_for_id(citation.content_type_id).model_class()
        key = (model._meta.label_lower, citation.object_id)
        by_key[key].public_citations.append(citation)


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
            citations = public.citations_of([obj])
        context = {"record": obj, "request": self.context.get("request")}
        return CitationSerializer(citations, many=True, context=context).data
