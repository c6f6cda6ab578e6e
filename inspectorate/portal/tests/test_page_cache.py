"""Public pages come from the shared cache until the data changes (core.publiccache)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.audit import record
from inspectorate.campaigns.models import Campaign

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client: Client, url: str):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return r, len(ctx.captured_queries)


def test_a_public_page_is_rendered_once_per_change_of_the_data(world):
    first, rendered = _get(Client(), "/public/")
    again, cached = _get(Client(), "/public/")
    assert again["X-Page-Cache"] == "hit" and "X-Page-Cache" not in first
    assert cached < rendered and cached <= 3  # the session-free visitor: the audit head, nothing else of the page
    assert again.content.decode().replace(TOKEN.search(again.content.decode()).group(1), "") == first.content.decode(
    ).replace(TOKEN.search(first.content.decode()).group(1), "")  # fmt: skip
    # An audited change (here: a campaign renamed) shows at once: the audit head is part of the key.
    c = Campaign.objects.get(pk=world.campaign.pk)
    c.name_zh = "湖南省第二生态环境保护督察组督察岳阳市（更名）"
    c.save()
    record(world.admin, "campaign.update", c)
    fresh, _n = _get(Client(), "/public/")
    assert "X-Page-Cache" not in fresh and "（更名）" in fresh.content.decode()


def test_each_language_has_its_own_copy_and_signed_in_users_are_not_served_from_it(world):
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    en = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="zh-hans"' in _get(zh, "/public/results/")[0].content.decode()
    r, _n = _get(en, "/public/results/")
    assert 'lang="en"' in r.content.decode() and "X-Page-Cache" not in r
    staff = Client()
    staff.force_login(world.inspector)
    _get(staff, "/public/results/")
    r, _n = _get(staff, "/public/results/")
    assert "X-Page-Cache" not in r


def test_a_cached_page_gives_each_visitor_a_working_csrf_token(world):
    _get(Client(), "/public/")  # renders and stores the page
    visitor = Client(enforce_csrf_checks=True)
    r, _n = _get(visitor, "/public/")
    assert r["X-Page-Cache"] == "hit"
    token = TOKEN.search(r.content.decode()).group(1)
    assert "csrftoken" in r.cookies  # the visitor's own CSRF cookie is set with the page
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/public/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert 'lang="en"' in visitor.get("/public/").content.decode()
