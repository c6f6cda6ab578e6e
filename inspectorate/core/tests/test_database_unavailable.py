"""The 503 answers for a lost database (core.dbfault), without stopping anything: the failure is simulated.

The real outage (PostgreSQL stopped mid-flight, then restarted) is test_database_outage.py."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from inspectorate.core import dbfault

pytestmark = pytest.mark.django_db

LOST = OperationalError("server closed the connection unexpectedly")


def test_api_answers_json_503_with_retry_after_in_the_users_language(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.inspector)
    with mock.patch("inspectorate.complaints.api.ComplaintViewSet.create", side_effect=LOST):
        en = client.post("/api/v1/complaints/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        zh = client.post("/api/v1/complaints/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    for r in (en, zh):
        assert r.status_code == 503
        assert int(r["Retry-After"]) > 0
        assert r.json()["code"] == "database_unavailable"
    assert "temporarily unavailable" in en.json()["detail"]
    assert "数据库暂时不可用" in zh.json()["detail"]


def test_page_answers_the_bilingual_page_and_open311_its_error_list():
    client = Client()
    with mock.patch("inspectorate.portal.views.published_tables", side_effect=InterfaceError("connection already closed")):
        page = client.get("/public/")
    assert page.status_code == 503 and int(page["Retry-After"]) > 0
    text = page.content.decode()
    assert "服务暂时不可用" in text and "Service temporarily unavailable" in text
    with mock.patch("inspectorate.open311.views._list_requests", side_effect=LOST):
        o311 = Client().get("/open311/v2/requests.json")
        xml = Client().get("/open311/v2/requests.xml")
    assert o311.status_code == 503 and o311.json()[0]["code"] == 503
    assert xml.status_code == 503 and b"<errors>" in xml.content


def test_other_errors_are_not_mistaken_for_an_outage():
    assert dbfault.is_database_down(InterfaceError("x"))
    wrapped = RuntimeError("while rolling back")
    wrapped.__cause__ = LOST
    assert dbfault.is_database_down(wrapped)
    assert not dbfault.is_database_down(ValueError("x"))
    assert not dbfault.is_database_down(None)


def test_handler500_answers_503_for_a_lost_database_outside_a_view_and_500_otherwise():
    request = RequestFactory().get("/public/")
    try:
        raise LOST
    except OperationalError:
        response = dbfault.server_error(request)
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    try:
        raise ValueError("a bug")
    except ValueError:
        response = dbfault.server_error(request)
    assert response.status_code == 500
