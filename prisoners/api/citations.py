"""
Citations in the public API: those of a page of records in one query, and the
``citations`` field every cited record shows.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources.api.serializers import CitationSerializer
from sources.models import Citation
from tracker.lib.editorial import EditorialState

PUBLISHED = EditorialState.PUBLISHED


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
    pks_by_type = defaultdict(set)
    for record in records:
        content_type = ContentType.objects.get_for_model(record)
        by_key[(content_type.pk, record.pk)] = record
        pks_by_type[content_type.pk].add(record.pk)
        record.public_citations = []
    if not by_key:
        return
    condition = Q()
    for content_type_id, pks in pks_by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=pks)
    citations = (
        Citation.objects.filter(condition, source__state=PUBLISHED)
        .select_related("source")
        .order_by("content_type_id", "object_id", "field", "pk")
    )
    for citation in citations:
        by_key[(citation.content_type_id, citation.object_id)].public_citations.append(citation)


class CitedSerializer(serializers.Serializer):
    """
    Adds ``citations`` to a serializer. For a record that belongs to a person whose name
    is withheld they are left out: which sources we hold on that person would identify
    them. (Every spelling of a withheld name is also redacted from every response: see
    ``prisoners.redaction``.)
    """

    citations = serializers.SerializerMethodField()

    def get_fields(self):
        fields = super().get_fields()
        fields["citations"] = fields.pop("citations")  # last, after the record's own fields
        return fields

    def owner(self, obj):
        """The person the record belongs to, or None."""
        return None

    def is_withheld(self, obj) -> bool:
        person = self.owner(obj)
        return bool(person and person.name_withheld)

    @extend_schema_field(CitationSerializer(many=True))
    def get_citations(self, obj):
        if self.is_withheld(obj):
            return []
        citations = getattr(obj, "public_citations", None)
        if citations is None:
            citations = obj.citations.filter(source__state=PUBLISHED).select_related("source")
        context = {"record": obj, "request": self.context.get("request")}
        return CitationSerializer(citations, many=True, context=context).data
