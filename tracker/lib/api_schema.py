"""The OpenAPI schema class: documents the error answers every public GET can give."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

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
    description="Too many requests; the Retry-After header says how many seconds to wait.",
)


ERROR_414 = {
    "description": "The address is too long for the server (an HTML page from gunicorn).",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


class TrackerAutoSchema(AutoSchema):
    """Documents the error answers every public GET can give: 400, 404, 414 and 429."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET" and "200" in responses:
            responses["400"] = self._get_response_for_code(ERROR_400, "400")
            if "{" in self.path:
                responses["404"] = self._get_response_for_code(ERROR_404, "404")
            responses["414"] = ERROR_414
            responses["429"] = self._get_response_for_code(ERROR_429, "429")
        return responses
