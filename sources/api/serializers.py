"""Public representation of sources. Fields listed by hand; editors' notes never appear."""

from rest_framework import serializers

from tracker.lib.api import HttpLinkField, PartialDateOutput, record_url

from ..choices import SourceKind
from ..claims import stored_text, supports_stored


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="This record in the API.")
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    title = serializers.CharField()
    publisher = serializers.CharField()
    author = serializers.CharField()
    source_url = HttpLinkField(source="url", help_text="Where the source is published.")
    published_on = PartialDateOutput()
    language = serializers.CharField()
    archive_url = HttpLinkField()
    accessed_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    updated_at = serializers.DateTimeField()

    def get_url(self, source) -> str:
        return record_url(self.context.get("request"), "api:source-detail", source.pk)


class SourceBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="This source in the API.")
    title = serializers.CharField()
    publisher = serializers.CharField()
    source_url = HttpLinkField(source="url", help_text="Where the source is published.")
    published_on = PartialDateOutput()

    def get_url(self, source) -> str:
        return record_url(self.context.get("request"), "api:source-detail", source.pk)


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
