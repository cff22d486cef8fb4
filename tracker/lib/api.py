"""
What every public API endpoint shares and that knows no app: the representation of
partial dates, and the documentation of a read-only view set. The classes the settings
name live in ``tracker.lib.api_plumbing``.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from .partial_dates import Precision, parse_partial_date


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


def document_read_only(resource: str, plural: str, example: dict | None = None):
    """Summaries and a real example (from the seed data) for a read-only view set."""
    examples = (
        [OpenApiExample(f"A {resource} from the seed data", value=example, response_only=True)]
        if example
        else []
    )
    return extend_schema_view(
        list=extend_schema(summary=f"List published {plural}"),
        retrieve=extend_schema(summary=f"One published {resource}", examples=examples),
    )
