"""
What every public API endpoint shares: partial dates, citations, redaction of withheld
names, examples and the base view set. The classes the settings name live in
``tracker.api_plumbing``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db.models import Prefetch
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

    def get_attribute(self, instance):
        # Let an empty string through to to_representation, which turns it into null.
        return super().get_attribute(instance)


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


def public_citations(prefix: str = "citations") -> Prefetch:
    """Prefetch a record's citations whose source is published, into ``public_citations``."""
    return Prefetch(
        prefix,
        queryset=Citation.objects.filter(source__state=PUBLISHED).select_related("source"),
        to_attr="public_citations",
    )


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
    ``serializer_class`` (and optionally ``list_serializer_class``) and ``filterset_class``.
    Writes answer 405.
    """

    list_serializer_class = None

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class
