"""The OpenAPI schema class: documents the error answers every public GET can give."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from .api import LANG, LANG_DESCRIPTION
from .languages import LANGUAGES

ERROR_400 = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"detained_after": ["Enter a valid date."]},
    },
    description=(
        "A query parameter is unknown, invalid, empty (only text and ordering parameters"
        " may be empty) or repeated (only list parameters, the arrays such as `status`, may"
        " be given more than once). Each key names the parameter."
    ),
)
ERROR_404 = OpenApiResponse(
    inline_serializer("NotFound", {"detail": serializers.CharField()}),
    description="No published record has this id (unpublished records are not found).",
)
ERROR_429 = OpenApiResponse(
    inline_serializer("Throttled", {"detail": serializers.CharField()}),
    description=(
        "Too many requests from this address; the Retry-After header says how many seconds to wait."
    ),
)
ERROR_503 = OpenApiResponse(
    inline_serializer("Unavailable", {"detail": serializers.CharField()}),
    description=(
        "The database took too long (each statement of a public request has a time limit:"
        " narrow the query) or cannot be reached; the Retry-After header says when to try"
        " again."
    ),
)


ERROR_414 = {
    "description": "The address is too long for the server (an HTML page from gunicorn).",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


NO_NUL = "^[^\\u0000]*$"

LANG_PARAMETER = {
    "in": "query",
    "name": LANG,
    "schema": {"type": "string", "enum": list(LANGUAGES)},
    "description": LANG_DESCRIPTION,
}
CONTENT_LANGUAGE = {
    "Content-Language": {
        "schema": {"type": "string", "enum": list(LANGUAGES)},
        "description": "The language of the labels (see the `lang` parameter).",
    }
}


class TrackerAutoSchema(AutoSchema):
    """
    Documents the error answers every public GET can give: 400, 404, 414, 429, 503; the
    ``lang`` parameter every public GET takes, and the ``Content-Language`` of its answer;
    that free-text parameters hold no NUL character (which every text field refuses);
    and that ``ordering`` may be empty or hold empty items (``ordering=``,
    ``ordering=,name``), which are ignored, as the 400's description says.
    """

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self.method == "GET" and all(p.get("name") != LANG for p in parameters):
            parameters.append(LANG_PARAMETER)
        for index, parameter in enumerate(parameters):
            schema = parameter.get("schema") or {}
            if (
                parameter.get("in") == "query"
                and schema.get("type") == "string"
                and not {"pattern", "enum", "format"} & set(schema)
            ):
                # Django's form fields refuse a NUL character in any text (a 400).
                schema = {**schema, "pattern": NO_NUL}
                parameters[index] = parameter = {**parameter, "schema": schema}
            enum = (schema.get("items") or {}).get("enum")
            if parameter.get("name") == "ordering" and enum and "" not in enum:
                items = {**schema["items"], "enum": ["", *enum]}
                parameters[index] = {
                    **parameter,
                    "schema": {**schema, "items": items},
                    "description": f"{parameter.get('description', 'Ordering')}\n\n"
                    "An empty value, or an empty item, is ignored: the default order.",
                }
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if self.method == "GET" and str(status_code) == "200":
            headers = {**headers, **CONTENT_LANGUAGE}
        return headers

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET" and "200" in responses:
            responses["400"] = self._get_response_for_code(ERROR_400, "400")
            if "{" in self.path:
                responses["404"] = self._get_response_for_code(ERROR_404, "404")
            responses["414"] = ERROR_414
            responses["429"] = self._get_response_for_code(ERROR_429, "429")
            responses["503"] = self._get_response_for_code(ERROR_503, "503")
        return responses
