"""
What every public API endpoint shares and that knows no app: the representation of
partial dates and of labels in three languages, the language a request asks for, and the
documentation of a read-only view set. The classes the settings name live in
``tracker.lib.api_plumbing``.

Labels of the data (``tracker.lib.languages``) appear twice: once in the requested language
with the fallback (``"name": "…"``, ``LabelField``) and once in every language
(``"name_i18n": {"be": …, "ru": …, "en": …}``, ``LabelsField``). The language is ``?lang=``
(be, ru or en; anything else is a 400), else the first of ours in ``Accept-Language``,
else English (``requested_language``); the response says it in ``Content-Language``.

The same language is the language of the API's messages, REST framework's own included
(``tracker.lib.errors.PublicLanguageMiddleware`` activates it for ``/api/`` and
``/exports/``; ``message_language``), and ``lang``, when the request gives it, is kept on
every link the API answers with (``next``, ``previous``, and links to records).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.reverse import reverse
from rest_framework.utils.urls import replace_query_param

from . import languages
from .api_plumbing import REPEATED
from .links import http_link
from .partial_dates import Precision, parse_partial_date

LANG = "lang"
UNKNOWN_LANGUAGE = _("Choose be (Belarusian), ru (Russian) or en (English).")
LANG_DESCRIPTION = (
    "The language of labels (an article's title, a facility's name and city, an"
    " organisation's name, an event's title) and of people's `display_name`: be, ru or en."
    " Without it, the first of these in the Accept-Language header, else en. A label missing"
    " in that language is given in English, else in any language that has it; every"
    " language is in the `…_i18n` object beside it. The response's Content-Language header"
    " names the language."
)
# The request attribute that holds the validated language.
REQUEST_LANGUAGE = "data_language"


def _query(request):
    """The query parameters of a REST framework request or of a Django one."""
    return getattr(request, "query_params", None) or request.GET


def requested_language(request) -> str:
    """
    The language a request asks for (see the module docstring); a ValidationError (400)
    for ``lang`` given twice, empty or not one of ours. Never quotes what was sent.
    """
    values = _query(request).getlist(LANG)
    if len(values) > 1:
        raise ValidationError({LANG: [REPEATED]})
    if values:
        language = values[0] if values[0] in languages.LANGUAGES else None
        if language is None:
            raise ValidationError({LANG: [UNKNOWN_LANGUAGE]})
        return language
    return (
        languages.accepted_language(request.headers.get("Accept-Language", "")) or languages.DEFAULT
    )


def message_language(request) -> str:
    """
    The language of the messages of a public request: ``requested_language``, or, when its
    ``lang`` is not one that can be used (the 400 that says so), the language
    ``Accept-Language`` asks for, else English.
    """
    try:
        return requested_language(request)
    except ValidationError:
        return (
            languages.accepted_language(request.headers.get("Accept-Language", ""))
            or languages.DEFAULT
        )


def kept_language(request) -> str | None:
    """The language to keep on the links of an answer: the request's ``lang`` when it gave
    one (and it was valid), else None (a link then follows its reader's own
    ``Accept-Language``)."""
    if request is None or LANG not in _query(request):
        return None
    return getattr(request, REQUEST_LANGUAGE, None)


def record_url(request, view_name: str, pk) -> str:
    """A link to a record in the API: ``reverse(view_name, kwargs={"pk": pk},
    request=request)``, with the request's ``lang`` when it gave one (``kept_language``)."""
    url = reverse(view_name, kwargs={"pk": pk}, request=request)
    language = kept_language(request)
    return url if language is None else replace_query_param(url, LANG, language)


def request_language(context) -> str:
    """The language of the request in a serializer's context (English without one)."""
    request = context.get("request")
    return getattr(request, REQUEST_LANGUAGE, None) or languages.DEFAULT


LABEL_SCHEMA = {
    "type": "string",
    "description": "In the requested language (see `lang`), with the fallback.",
}
LABELS_SCHEMA = {
    "type": "object",
    "description": "The label in each language; empty where it is not given.",
    "properties": {language: {"type": "string"} for language in languages.LANGUAGES},
    "required": list(languages.LANGUAGES),
}


@extend_schema_field(LABEL_SCHEMA)
class LabelField(serializers.Field):
    """A label in the request's language, with the fallback: ``"name": "…"``."""

    def __init__(self, field: str, **kwargs):
        self.label_field = field
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, record):
        return languages.label(record, self.label_field, request_language(self.context))


@extend_schema_field(LABELS_SCHEMA)
class LabelsField(serializers.Field):
    """A label in every language: ``"name_i18n": {"be": …, "ru": …, "en": …}``."""

    def __init__(self, field: str, **kwargs):
        self.label_field = field
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, record):
        return languages.labels(record, self.label_field)


class HttpLinkField(serializers.CharField):
    """A link to another site: the stored URL when it is http(s), else "" (``links``)."""

    def to_representation(self, value):
        return http_link(value)


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
