"""The OpenAPI schema: generated from the serializers, valid, and every endpoint documents its
success answer and its errors in the API's error shape."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def _routes(patterns, prefix: str) -> set[str]:
    """Every route under `patterns`, includes followed (the panels mount theirs with include())."""
    from django.urls import URLResolver

    found = set()
    for p in patterns:
        path = prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        if isinstance(p, URLResolver):
            found |= _routes(p.url_patterns, path)
        else:
            found.add(path)
    return found


def test_every_api_route_is_in_the_schema(schema):
    from dashboard.api.urls import urlpatterns

    routes = _routes(urlpatterns, "/api/v1/")
    assert len(routes) >= 25
    assert routes == set(schema["paths"])


def test_every_operation_documents_success_and_errors(schema):
    undocumented = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            responses = op.get("responses", {})
            ok = [code for code in responses if code.startswith("2")]
            problems = []
            if not ok:
                problems.append("no 2xx")
            for code in ok:
                if code != "204" and "content" not in responses[code]:
                    problems.append(f"{code} without a body shape")
            for code in ("401", "403", "429", "503"):
                ref = responses.get(code, {}).get("content", {}).get("application/json", {}).get("schema", {})
                if ref.get("$ref") != "#/components/schemas/Error":
                    problems.append(f"{code} not in the error shape")
            if method in ("post", "put", "patch") and "requestBody" not in op and not path.endswith("/action/"):
                problems.append("no request body")
            if problems:
                undocumented.append(f"{method.upper()} {path}: {', '.join(problems)}")
    assert undocumented == []
