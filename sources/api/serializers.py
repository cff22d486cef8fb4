"""Public representation of sources. Fields listed by hand; editors' notes never appear."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from tracker.api import PartialDateOutput

from ..choices import SourceKind


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="This record in the API.")
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    title = serializers.CharField()
    publisher = serializers.CharField()
    author = serializers.CharField()
    source_url = serializers.CharField(source="url", help_text="Where the source is published.")
    published_on = PartialDateOutput()
    language = serializers.CharField()
    archive_url = serializers.CharField()
    accessed_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    updated_at = serializers.DateTimeField()

    def get_url(self, source) -> str:
        return reverse(
            "api:source-detail", kwargs={"pk": source.pk}, request=self.context.get("request")
        )
