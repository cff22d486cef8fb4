"""
What every public API endpoint shares: partial dates, citations, redaction of withheld
names, examples and the base view set. The classes the settings name live in
``tracker.api_plumbing``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.reverse import reverse

from sources.claims import stored_text, supports_stored
from sources.models import Citation
from tracker.editorial import EditorialState
from tracker.partial_dates import Precision, parse_partial_date

PUBLISHED = EditorialState.PUBLISHED


# Parameters -----------------------------------------------------------------------------


# Representation -------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "A date as precise as its source: null when unknown.",
        "properties": {
            "value": {"type": "string", "example": "2020-06", "pattern": r"^\d{4}(-\d{2}){0,2}$"},
            "precision": {"type": "string", "enum": Precision.values},
            "earliest": {"type": "string", "format": "date"},
            "latest": {"type": "string", "format": "date"},
        },
        "required": ["value", "precision", "earliest", "latest"],
    }
)
class PartialDateOutput(serializers.Field):
    """{"value": "2020-06", "precision": "month", "earliest": …, "latest": …} or null."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        parsed = parse_partial_date(value)
        if parsed is None:
            return None
        return {
            "value": parsed.text,
            "precision": parsed.precision,
            "earliest": parsed.earliest.isoformat(),
            "latest": parsed.latest.isoformat(),
        }


class SourceBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="This source in the API.")
    title = serializers.CharField()
    publisher = serializers.CharField()
    source_url = serializers.CharField(source="url", help_text="Where the source is published.")
    published_on = PartialDateOutput()

    def get_url(self, source) -> str:
        return reverse(
            "api:source-detail", kwargs={"pk": source.pk}, request=self.context.get("request")
        )


class CitationSerializer(serializers.Serializer):
    """One source's support for a record (or one field of it)."""

    source = SourceBriefSerializer()
    field = serializers.SerializerMethodField(
        help_text="The field the source speaks to; null for the whole record."
    )
    stated_value = serializers.SerializerMethodField(
        help_text="The value this source states for the field, where it gives one."
    )
    supports_stored_value = serializers.SerializerMethodField(
        help_text="Whether the stated value agrees with the record's value; null when the "
        "source states no value. False means the source gives another value."
    )
    quote = serializers.CharField(help_text="A short quote from the source; may be empty.")
    locator = serializers.CharField()
    confidence = serializers.CharField()

    def get_field(self, citation) -> str | None:
        return citation.field or None

    def get_stated_value(self, citation) -> str | None:
        return citation.stated_value or None

    def get_supports_stored_value(self, citation) -> bool | None:
        record = self.context.get("record")
        if record is None or not citation.field or not citation.stated_value:
            return None
        model_field = record._meta.get_field(citation.field)
        return supports_stored(
            model_field, stored_text(record, citation.field), citation.stated_value
        )


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


# Views ----------------------------------------------------------------------------------


def load_examples() -> dict:
    """Real seed records, one per resource, written by `manage.py api_examples`."""
    path = Path(__file__).with_name("api_examples.json")
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def document_read_only(resource: str, plural: str, key: str):
    """Summaries and a real example (from the seed data) for a read-only view set."""
    example = load_examples().get(key)
    examples = (
        [OpenApiExample(f"A {resource} from the seed data", value=example, response_only=True)]
        if example
        else []
    )
    return extend_schema_view(
        list=extend_schema(summary=f"List published {plural}"),
        retrieve=extend_schema(summary=f"One published {resource}", examples=examples),
    )


class RedactedResponseMixin:
    """Replaces every spelling of every withheld name in the response's data."""

    def finalize_response(self, request, response, *args, **kwargs):
        from prisoners.redaction import Redactor

        if getattr(response, "data", None) is not None and response.status_code == 200:
            response.data = Redactor.from_database().data(response.data)
        return super().finalize_response(request, response, *args, **kwargs)


class PublicViewSet(RedactedResponseMixin, viewsets.ReadOnlyModelViewSet):
    """
    Read-only, anonymous, published-only. Subclasses set ``queryset`` (from a selector),
    ``serializer_class`` (and optionally ``list_serializer_class``), ``filterset_class``,
    and ``cited_paths``: where the shown records with citations are (see
    ``attach_citations``). Writes answer 405.
    """

    lookup_value_regex = "[0-9]+"
    list_serializer_class = None
    cited_paths: tuple[str, ...] = ("",)
    detail_cited_paths: tuple[str, ...] | None = None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_citations(page, self.cited_paths)
        return page

    def get_object(self):
        record = super().get_object()
        attach_citations([record], self.detail_cited_paths or self.cited_paths)
        return record

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class
