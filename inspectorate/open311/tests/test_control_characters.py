"""Control characters: stripped at every intake, and never let into an XML answer (old rows may hold them)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from django.test import Client
from rest_framework.test import APIClient

from inspectorate.complaints.models import Case, Complaint

from .conftest import make_key
from .test_open311 import PUBLISHED, V2, seed

DIRT = "\x0b\x01\x00\x1b\x7f"


def _clean(value: str) -> bool:
    return not any(ch in value for ch in DIRT)


def test_intake_strips_control_characters_on_every_channel(o311) -> None:  # type: ignore[no-untyped-def]
    public = Client()
    r = public.post(
        f"/public/report/{o311.campaign.code}/",
        {
            "text": "平江县某化工厂\x0b\x01夜间偷排废水，河水发黑",
            "address": "岳阳市平江县\x1b城关镇",
            "reporter_name": "王\x01五",
        },
    )
    assert r.status_code == 302, r.content
    web = Complaint.objects.get(channel="web")
    assert web.text == "平江县某化工厂夜间偷排废水，河水发黑" and web.address == "岳阳市平江县城关镇"
    assert web.reporter_name == "王五"
    api = APIClient()
    api.force_authenticate(o311.inspector)
    r = api.post(
        "/api/v1/complaints/",
        {
            "campaign": o311.campaign.code,
            "channel": "phone",
            "text": "工地夜间施工\x0b噪音扰民\x7f",
            "address": "岳阳市\x01平江县",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    phone = Complaint.objects.get(channel="phone")
    assert phone.text == "工地夜间施工噪音扰民" and phone.address == "岳阳市平江县"
    key = make_key(o311)
    form = {
        "api_key": key, "jurisdiction_id": o311.campaign.code, "service_code": "noise", "lat": "28.71", "long": "113.59",
        "description": "烧烤店\x0b\x01油烟直排\x00，熏得没法开窗", "address_id": "A\x01-17",
        "attribute[polluter_name]": "某\x1b烧烤店", "attribute[noise_source]": "commerce",
    }  # fmt: skip
    r = Client().post(V2 + "/requests.json", form)
    assert r.status_code == 200, r.content
    posted = Complaint.objects.get(pk=json.loads(r.content)[0]["service_request_id"])
    assert posted.text == "烧烤店油烟直排，熏得没法开窗"
    assert posted.extra["open311"]["attributes"]["polluter_name"] == "某烧烤店" and posted.polluter_name == "某烧烤店"
    assert posted.address == "A-17" and posted.extra["open311"]["address_id"] == "A-17"
    body = json.dumps({**form, "description": "另一家\x0b饭店油烟\x01直排", "attribute": {"polluter_name": "某\x01饭店"}})
    r = Client().post(V2 + "/requests.json", body, "application/json")
    assert r.status_code == 200, r.content
    posted = Complaint.objects.get(pk=json.loads(r.content)[0]["service_request_id"])
    assert posted.text == "另一家饭店油烟直排" and posted.polluter_name == "某饭店"


def test_rows_stored_with_control_characters_still_give_well_formed_xml(o311) -> None:  # type: ignore[no-untyped-def]
    made = seed(o311)
    # Rows from before intake stripped them: a case summary and a frozen table row holding \x0b\x01.
    from inspectorate.complaints.models import DisclosureTable

    case = made["closed"].case
    Case.objects.filter(pk=case.pk).update(summary="烧烤店\x0b\x01油烟直排")
    table = DisclosureTable.objects.get(status="published")
    for row in table.rows:
        row["summary"] = row["summary"] + "\x0b\x01"
        row["handling_unit"] = row["handling_unit"] + "\x1b"
    table.save(update_fields=["rows"])
    client = Client()
    urls = ("/requests.xml", f"/requests/{made['closed'].pk}.xml", f"/requests.xml?service_request_id={made['open'].pk}")
    for url in urls:
        r = client.get(V2 + url)
        assert r.status_code == 200
        root = ET.fromstring(r.content)  # noqa: S314 (our own response)
        texts = [el.text or "" for el in root.iter()]
        assert all(_clean(t) for t in texts)
        assert any("油烟直排" in t or "噪音扰民" in t for t in texts), url
    listed = json.loads(client.get(V2 + "/requests.json").content)
    assert {r["service_request_id"] for r in listed} == {str(made[k].pk) for k in PUBLISHED}
    assert all(_clean(str(v)) for r in listed for v in r.values())
