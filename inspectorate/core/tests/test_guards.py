"""A NUL character in a query string is refused with a clear 400 on pages and the API, never a database error."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_nul_in_query_string_is_a_clear_400(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.inspector)
    r = client.get("/api/v1/complaints/duplicate-clusters/?campaign=a%00b&day=2026-01-01")
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    r = client.get("/complaints/cases/?q=%00")
    assert r.status_code == 400 and "NUL" in r.content.decode()
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    r = zh.get("/public/feeds/results.rss?region=%00")
    assert r.status_code == 400 and "空字符" in r.content.decode()
    # Without one, the same addresses answer as usual.
    assert client.get("/complaints/cases/?q=abc").status_code == 200
