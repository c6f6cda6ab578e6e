"""Open data and feeds: only what is published, in files that parse, with a dictionary for every field."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.test import Client

from inspectorate.complaints import actions
from inspectorate.portal.opendata import CASE_FIELDS, TASK_FIELDS

from .test_landing import _batch
from .test_landing import open_world as open_world  # the fixture

pytestmark = pytest.mark.django_db


def _csv(z: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = z.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_open_data_zip_holds_published_cases_only_with_a_dictionary(open_world):
    w = open_world
    b1, case1 = _batch(w, "平江县某化工厂夜间偷排废水，河水发黑发臭，举报人张三电话13800001111")
    actions.publish_batch(b1, actor=w.team_leader)
    b2, case2 = _batch(w, "汨罗市某砖厂粉尘污染严重")
    actions.approve_disclosure(b2, actor=w.team_leader)  # approved, not published
    anon = Client()
    page = anon.get("/public/open-data/")
    assert page.status_code == 200 and f"/public/open-data/{w.campaign.code}.zip" in page.content.decode()
    for url in ("/public/open-data/all.zip", f"/public/open-data/{w.campaign.code}.zip"):
        r = anon.get(url)
        assert r.status_code == 200 and r["Content-Type"] == "application/zip"
        z = zipfile.ZipFile(io.BytesIO(r.content))
        assert set(z.namelist()) == {"cases.csv", "cases.geojson", "rectification.csv", "data-dictionary.csv", "LICENSE.txt"}
        cases = _csv(z, "cases.csv")
        assert [c["number"] for c in cases] == [case1.number]
        assert cases[0]["batch"] == str(b1.number) and cases[0]["verdict"] == "true" and cases[0]["status"] == "closed"
        everything = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
        assert "13800001111" not in everything and "张三" not in everything and case2.number not in everything
        geo = json.loads(z.read("cases.geojson"))
        assert geo["type"] == "FeatureCollection"
        assert case1.origin.polluter is None  # so the point is the report's, rounded to about 100 m
        for f in geo["features"]:
            lon, lat = f["geometry"]["coordinates"]
            assert (round(lat, 3), round(lon, 3)) == (lat, lon) and f["properties"]["number"] == case1.number
        dictionary = _csv(z, "data-dictionary.csv")
        described = {(d["file"], d["field"]) for d in dictionary}
        assert {("cases.csv", f) for f, _zh, _en in CASE_FIELDS} <= described
        assert {("rectification.csv", f) for f, _zh, _en in TASK_FIELDS} <= described
        assert all(d["说明"] and d["meaning"] for d in dictionary)
    assert anon.get("/public/open-data/no-such-campaign.zip").status_code == 404


def _items(body: bytes, atom: bool = False) -> list[str]:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(body)  # noqa: S314 (our own feed, in a test)
    if atom:
        ns = {"a": "http://www.w3.org/2005/Atom"}
        return [e.findtext("a:title", namespaces=ns) or "" for e in root.findall("a:entry", ns)]
    return [i.findtext("title") or "" for i in root.iter("item")]


def test_results_feed_lists_publications_and_narrows_by_campaign_and_region(open_world):
    w = open_world
    b1, _case1 = _batch(w, "平江县某化工厂夜间偷排废水，河水发黑发臭")
    table = actions.publish_batch(b1, actor=w.team_leader)
    b2, _case2 = _batch(w, "汨罗市某砖厂粉尘污染严重")
    actions.approve_disclosure(b2, actor=w.team_leader)
    anon = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    r = anon.get("/public/feeds/results.rss")
    assert r.status_code == 200 and "rss" in r["Content-Type"]
    titles = _items(r.content)
    assert len(titles) == 1 and str(b1.number) in titles[0]
    assert f"/public/results/{table.pk}/" in r.content.decode()
    atom = anon.get(f"/public/feeds/results.atom?campaign={w.campaign.code}")
    assert atom.status_code == 200 and len(_items(atom.content, atom=True)) == 1
    region = _case1.region
    assert region is not None
    assert len(_items(anon.get(f"/public/feeds/results.rss?region={region.code}").content)) == 1
    assert _items(anon.get(f"/public/feeds/results.rss?region={w.city_b.code}").content) == []
    assert anon.get("/public/feeds/results.rss?region=999999").status_code == 404
    assert anon.get("/public/feeds/results.rss?campaign=nope").status_code == 404


def test_notices_feed_lists_closures_under_notice_only(world):
    from inspectorate.rectification.models import SignOffStep
    from inspectorate.rectification.tests.conftest import build
    from inspectorate.rectification.tests.test_api import at

    rect = build(world)
    under_notice = at(rect, SignOffStep.UNDER_NOTICE)
    signed_only = at(rect, SignOffStep.SIGNED)
    anon = Client()
    body = anon.get("/public/feeds/notices.rss").content.decode()
    assert f"/rectification/public/notices/{under_notice.pk}/" in body and str(signed_only.pk) not in body
    assert str(under_notice.pk) in anon.get(f"/public/feeds/notices.atom?region={world.city_a.code}").content.decode()
    assert str(under_notice.pk) not in anon.get(f"/public/feeds/notices.rss?region={world.city_b.code}").content.decode()
