"""The API documents itself: a valid OpenAPI schema, Swagger UI and Redoc, served offline."""

import json
import os
from io import StringIO

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from .api_resources import RESOURCES

EXAMPLES = settings.BASE_DIR / "prisoners" / "api" / "examples.json"


def test_the_schema_is_valid_without_warnings(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for resource in RESOURCES:
        listing = paths[f"/api/v1/{resource}/"]["get"]
        detail = paths[f"/api/v1/{resource}/{{id}}/"]["get"]
        assert {"200", "400", "429"} <= set(listing["responses"])
        assert {"200", "400", "404", "429"} <= set(detail["responses"])
        assert set(paths[f"/api/v1/{resource}/"]) == {"get"}  # no write operation
    assert "405" in schema["info"]["description"]


def test_every_filter_is_documented(client, db):
    from prisoners.filtersets import PersonFilterSet

    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/prisoners/"]["get"]["parameters"]}
    assert set(PersonFilterSet.base_filters) | {"limit", "offset"} <= parameters


def test_each_resource_has_a_real_example(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for resource in ("prisoners", "sources", "figures"):
        content = schema["paths"][f"/api/v1/{resource}/{{id}}/"]["get"]["responses"]["200"][
            "content"
        ]["application/json"]
        assert content["examples"], resource


def test_the_examples_are_what_the_api_returns_for_the_seed(seed):
    from prisoners.api.examples import build_examples

    examples = json.loads(json.dumps(build_examples(), ensure_ascii=False))
    if os.environ.get("UPDATE_PINS"):
        EXAMPLES.write_text(json.dumps(examples, ensure_ascii=False, indent=1) + "\n")
    assert examples == json.loads(EXAMPLES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", ["docs", "redoc"])
def test_documentation_pages_are_served_without_a_cdn(client, db, page):
    response = client.get(f"/api/v1/{page}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
