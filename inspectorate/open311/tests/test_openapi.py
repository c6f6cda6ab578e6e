"""Open311's OpenAPI description is served and documented beside the main API, and schemathesis finds no server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings

from inspectorate.complaints.models import Complaint

from .conftest import make_key

pytestmark = pytest.mark.django_db


def test_description_and_docs_are_served(o311) -> None:  # type: ignore[no-untyped-def]
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    r = c.get("/open311/v2/openapi.json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    raw = r.json()
    assert raw["openapi"].startswith("3.")
    paths = raw["paths"]
    for path in (
        "/open311/v2/discovery.{format}",
        "/open311/v2/services.{format}",
        "/open311/v2/services/{service_code}.{format}",
        "/open311/v2/requests.{format}",
        "/open311/v2/requests/{service_request_id}.{format}",
        "/open311/v2/tokens/{token}.{format}",
    ):
        assert path in paths
    for ops in paths.values():
        for op in ops.values():
            assert op["summary"] and op["description"]
    assert "post" in paths["/open311/v2/requests.{format}"]
    # In Chinese for a Chinese reader.
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/open311/v2/openapi.json").json()
    assert zh["paths"]["/open311/v2/services.{format}"]["get"]["summary"] == "服务列表"
    # A Swagger UI page of its own, linked from the main API's docs (the schema's description).
    docs = c.get("/open311/v2/docs/")
    assert docs.status_code == 200 and "/open311/v2/openapi.json" in docs.content.decode()
    staff = Client()
    staff.force_login(o311.admin)
    main = staff.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/open311/v2/docs/" in main["info"]["description"]


def test_no_server_errors_from_generated_requests(live_world, live_server) -> None:  # type: ignore[no-untyped-def]
    """Schemathesis sends generated requests to every Open311 operation (posts with a valid key too): no 5xx."""
    raw = Client().get("/open311/v2/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw)
    plain = make_key(live_world, rate_limit=10_000)
    failures: list[str] = []
    calls: list[int] = []
    created: list[int] = []
    for op in schema.get_all_operations():
        operation = op.ok()

        @given(operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):  # type: ignore[no-untyped-def]
            if case.method == "POST" and isinstance(case.body, dict) and case.body.get("api_key") is not None:
                case.body["api_key"] = plain  # most posts reach the validation behind the key
            response = case.call(base_url=live_server.url)
            calls.append(response.status_code)
            if case.method == "POST" and response.status_code == 200:
                created.append(1)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} {case.body!r} → {response.status_code}")

        check()
    assert not failures, failures[:10]
    assert len(calls) >= len(raw["paths"]) and any(200 <= code < 300 for code in calls)
    assert Complaint.objects.count() == len(created)  # each post that answered 200 stored one complaint, no other did
