"""Open311 GeoReport v2: official schemas, XML, an outside client, creation with api_key, bad input, privacy."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.complaints.models import Complaint, DisclosureTable, PollutionType
from inspectorate.complaints.redact import summarise
from inspectorate.open311.services import SERVICES

from .conftest import make_key, make_user_token

V2 = "/open311/v2"
MARK_NAME, MARK_PHONE, MARK_MAIL = "欧阳测试", "13987654321", "marker@example.org"
REPORTER_ADDRESS = "岳阳市平江县安定镇幸福小区3号楼2单元301室"


def seed(world: Any) -> dict[str, Complaint]:
    """Complaints through the real flow: unscreened, invalid, published open and closed, a duplicate, approved only."""
    from inspectorate.complaints import actions

    def complaint(text: str, **kw: Any) -> Complaint:
        return actions.submit_complaint(
            campaign=world.campaign, channel="phone", text=text, address=REPORTER_ADDRESS, reporter_name=MARK_NAME,
            reporter_phone=MARK_PHONE, lat=28.7012345, lon=113.5987654, actor=world.inspector, **kw,
        )  # fmt: skip

    out = {
        "new": complaint(f"平江县某化工厂夜间偷排废水，我叫{MARK_NAME}，电话{MARK_PHONE}", type_hints=["water"]),
        "invalid": complaint("与生态环境无关的咨询，想问社保怎么交"),
        "open": complaint(f"工地夜间施工噪音扰民，举报人{MARK_NAME}", type_hints=["noise"]),
        "closed": complaint("烧烤店油烟直排，熏得没法开窗", type_hints=["cooking_fumes"]),
    }
    actions.mark_invalid(out["invalid"], actor=world.inspector, reason=f"{MARK_NAME}的私事")
    cases = {k: actions.accept_complaint(out[k], actor=world.inspector, lead_unit=world.city_a) for k in ("open", "closed")}
    # The intake day follows the daily cut-off, so it is the cases' own day, not the calendar date.
    day = max(case.intake_day for case in cases.values())
    batch = actions.close_intake_day(world.campaign, day, actor=world.inspector)
    actions.transfer_batch(batch, actor=world.team_leader)
    for case in cases.values():
        case.refresh_from_db()
        actions.dispatch_case(case, actor=world.liaison_a, unit=world.county_a)
    actions.reply_case(cases["closed"], actor=world.handler_a, summary="经查属实，已责令整改", verdict="true", status="closed")
    actions.review_case(cases["closed"], actor=world.inspector, accept=True)
    actions.publish_batch(batch, actor=world.team_leader)
    out["duplicate"] = complaint("烧烤店油烟直排，再次举报")
    actions.merge_complaint(out["duplicate"], actor=world.inspector, into=cases["closed"])
    # Accepted and in a batch whose table is approved but not published: not public yet.
    out["approved_only"] = complaint("养殖场粪污直排入河，河水发臭")
    late = actions.accept_complaint(out["approved_only"], actor=world.inspector, lead_unit=world.city_a)
    second = actions.close_intake_day(world.campaign, late.intake_day, actor=world.inspector)
    actions.transfer_batch(second, actor=world.team_leader)
    actions.approve_disclosure(second, actor=world.team_leader)
    Complaint.objects.create(
        campaign=world.other_campaign, channel="phone", text="常德另一轮的投诉", intake_day=timezone.localdate(), address="常德"
    )
    return {k: Complaint.objects.select_related("case").get(pk=c.pk) for k, c in out.items()}


PUBLISHED = ("open", "closed", "duplicate")


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(V2 + path, params)


def as_json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def as_xml(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own response)


def assert_error(response: Any, status: int, fmt: str = "json") -> list[str]:
    assert response.status_code == status, response.content
    if fmt == "xml":
        root = as_xml(response)
        assert root.tag == "errors"
        items = root.findall("error")
        assert items and all(e.findtext("code") == str(status) and e.findtext("description") for e in items)
        return [e.findtext("description") or "" for e in items]
    body = as_json(response)
    assert isinstance(body, list) and body
    assert all(set(e) == {"code", "description"} and e["code"] == status and e["description"] for e in body)
    return [e["description"] for e in body]


# -- reads against the official schemas -----------------------------------------


def test_services_and_definitions_validate(o311, schemas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    services = as_json(get(client, "/services.json", jurisdiction_id=o311.campaign.code))
    schemas["services.json"].validate(services)
    assert [s["service_code"] for s in services] == list(PollutionType.values)
    for s in services:
        definition = as_json(get(client, f"/services/{s['service_code']}.json"))
        schemas["service-definition.json"].validate(definition)
        assert s["metadata"] is bool(definition["attributes"])
    xml = as_xml(get(client, "/services.xml"))
    assert xml.tag == "services" and len(xml.findall("service")) == len(services)
    assert xml.find("service/metadata").text == "true"  # type: ignore[union-attr]
    d = as_xml(get(client, "/services/noise.xml"))
    assert d.tag == "service_definition" and d.findtext("service_code") == "noise"
    assert [v.findtext("key") for v in d.findall("attributes/attribute[code='noise_source']/values/value")][:2] == [
        "construction",
        "industry",
    ]


def test_services_speak_the_request_language(o311) -> None:  # type: ignore[no-untyped-def]
    zh = as_json(Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(V2 + "/services.json"))
    en = as_json(Client(HTTP_ACCEPT_LANGUAGE="en").get(V2 + "/services.json"))
    assert zh[0]["group"] != en[0]["group"]
    assert en[0]["group"] == "Pollution"


def test_discovery(o311) -> None:  # type: ignore[no-untyped-def]
    body = as_json(Client().get(V2 + "/discovery.json"))
    assert body["endpoints"][0]["url"].endswith("/open311/v2")
    assert "application/json" in body["endpoints"][0]["formats"]
    assert as_xml(Client().get(V2 + "/discovery.xml")).find("endpoints/endpoint/formats/format") is not None


def test_only_published_complaints_are_listed(o311, schemas, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    made = seed(o311)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    with django_assert_max_num_queries(4):
        body = as_json(get(client, "/requests.json", jurisdiction_id=o311.campaign.code))
    schemas["requests.json"].validate(body)
    by_id = {r["service_request_id"]: r for r in body}
    # Unscreened, invalid, approved-but-unpublished and the other campaign's complaints are not listed.
    assert set(by_id) == {str(made[k].pk) for k in PUBLISHED}
    assert set(by_id) == {r["service_request_id"] for r in as_json(get(client, "/requests.json"))}
    status = {k: by_id[str(made[k].pk)]["status"] for k in PUBLISHED}
    assert status == {"open": "open", "closed": "closed", "duplicate": "closed"}
    closed = by_id[str(made["closed"].pk)]
    table = DisclosureTable.objects.get(status="published")
    row = next(r for r in table.rows if r["number"] == made["closed"].case.number)
    # The disclosure table's redacted summary, its handling unit, its region instead of an address.
    assert closed["description"] == summarise(row["summary"], limit=4000) == made["closed"].case.summary
    assert by_id[str(made["duplicate"].pk)]["description"] == closed["description"]
    assert closed["agency_responsible"] == row["handling_unit"] == o311.county_a.name_zh
    assert closed["address"] == o311.county_a.name_zh
    assert closed["service_code"] == "cooking_fumes" and "属实" in closed["status_notes"]
    assert closed["updated_datetime"] and closed["expected_datetime"]
    assert (closed["lat"], closed["long"]) == (28.701, 113.599)
    opened = by_id[str(made["open"].pk)]
    assert MARK_NAME not in opened["description"] and "***" in opened["description"]
    en = as_json(Client(HTTP_ACCEPT_LANGUAGE="en").get(V2 + "/requests.json"))
    assert {r["address"] for r in en} == {o311.county_a.name_en}
    # filters
    assert {r["service_request_id"] for r in as_json(get(client, "/requests.json", status="closed"))} == {
        str(made[k].pk) for k in ("closed", "duplicate")
    }
    noise = as_json(get(client, "/requests.json", service_code="noise,water", jurisdiction_id=o311.campaign.code))
    assert [r["service_request_id"] for r in noise] == [str(made["open"].pk)]
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert as_json(get(client, "/requests.json", start_date=tomorrow)) == []
    window = as_json(get(client, "/requests.json", start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z"))
    assert window == []
    # Offsets ISO 8601 allows but PostgreSQL would refuse (beyond ±15:59) are read, not a server error.
    far = as_json(get(client, "/requests.json", start_date="2020-01-01T00:00:00+23:59", end_date="2020-02-01T10:39:34-21:56"))
    assert far == []
    late = as_json(get(client, "/requests.json", start_date="4059-02-01T00:00:00+23:59", end_date="4059-02-21T10:39:34-21:56"))
    assert late == []
    xml = as_xml(get(client, "/requests.xml", jurisdiction_id=o311.campaign.code))
    assert xml.tag == "service_requests" and len(xml.findall("request")) == len(body)
    assert as_xml(get(client, f"/requests/{made['closed'].pk}.xml")).findtext("request/status") == "closed"


def test_lookup_by_id_before_publication_shows_the_status_only(o311, schemas) -> None:  # type: ignore[no-untyped-def]
    made = seed(o311)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for key, status in (("new", "open"), ("invalid", "closed"), ("approved_only", "open")):
        one = as_json(get(client, f"/requests/{made[key].pk}.json"))
        schemas["requests.json"].validate(one)
        assert one[0]["status"] == status and one[0]["status_notes"]
        hidden = ("description", "address", "lat", "long", "agency_responsible", "expected_datetime", "media_url")
        assert all(one[0][field] is None for field in hidden), one
    assert as_json(get(client, f"/requests/{made['new'].pk}.json"))[0]["service_code"] == "water"
    ids = f"{made['open'].pk},{made['new'].pk}"
    picked = as_json(get(client, "/requests.json", service_request_id=ids, status="closed"))  # the ids override other filters
    assert [r["service_request_id"] for r in picked] == [str(made["open"].pk), str(made["new"].pk)]
    assert picked[0]["description"] and picked[1]["description"] is None
    assert as_json(get(client, f"/tokens/{made['new'].receipt_code}.json")) == [
        {"service_request_id": str(made["new"].pk), "token": made["new"].receipt_code}
    ]
    assert as_xml(get(client, f"/tokens/{made['new'].receipt_code}.xml")).findtext("request/token") == made["new"].receipt_code
    assert_error(get(client, f"/requests/{made['new'].pk}.json", jurisdiction_id=o311.other_campaign.code), 404)


def test_registered_polluter_location_replaces_the_reporters_point(o311) -> None:  # type: ignore[no-untyped-def]
    made = seed(o311)
    o311.enterprise_a.lat, o311.enterprise_a.lon = Decimal("28.712345"), Decimal("113.601234")
    o311.enterprise_a.save()
    Complaint.objects.filter(pk=made["closed"].pk).update(polluter=o311.enterprise_a)
    body = {r["service_request_id"]: r for r in as_json(get(Client(), "/requests.json"))}
    assert (body[str(made["closed"].pk)]["lat"], body[str(made["closed"].pk)]["long"]) == (28.712345, 113.601234)
    assert (body[str(made["open"].pk)]["lat"], body[str(made["open"].pk)]["long"]) == (28.701, 113.599)


def test_no_personal_data_in_any_public_response(o311) -> None:  # type: ignore[no-untyped-def]
    made = seed(o311)
    key = make_key(o311)
    client = Client()
    r = client.post(
        V2 + "/requests.json",
        {
            "api_key": key, "jurisdiction_id": o311.campaign.code, "service_code": "water", "lat": "28.70", "long": "113.60",
            "description": f"河水发黑，联系我{MARK_PHONE}", "first_name": "测试", "last_name": "欧阳", "phone": MARK_PHONE,
            "email": MARK_MAIL, "address_string": REPORTER_ADDRESS,
        },
    )  # fmt: skip
    assert r.status_code == 200, r.content
    new_id = as_json(r)[0]["service_request_id"]
    assert Complaint.objects.get(pk=new_id).reporter_name == "欧阳 测试"
    urls = ["/requests.json", "/requests.xml", f"/requests/{new_id}.json", f"/requests/{made['new'].pk}.xml"]
    urls += [f"/requests/{c.pk}.json" for c in made.values()] + [f"/requests/{c.pk}.xml" for c in made.values()]
    for url in urls:
        content = client.get(V2 + url).content.decode("utf-8")
        for marker in (MARK_NAME, MARK_PHONE, MARK_MAIL, "欧阳 测试", "安定镇", "3号楼2单元", "28.7012345", "幸福小区"):
            assert marker not in content, (url, marker)
    assert MARK_PHONE not in r.content.decode("utf-8")


# -- the outside client --------------------------------------------------------


def test_outside_client_reads_and_plain_post_creates(live_world, live_server, schemas) -> None:  # type: ignore[no-untyped-def]
    from georeport import GeoReport

    made = seed(live_world)
    key = make_key(live_world)
    root = live_server.url + V2
    for fmt in ("json", "xml"):
        client = GeoReport(root, jurisdiction=live_world.campaign.code, output_format=fmt)
        services = client.get_service_list()
        assert [s["service_code"] for s in services] == list(PollutionType.values)
        definition = client.get_service_definition("water")
        assert definition["service_code"] == "water"
        listed = client.get_service_requests(status="closed")
        assert {r["service_request_id"] for r in listed} == {str(made[k].pk) for k in ("closed", "duplicate")}
        one = client.get_service_request(str(made["open"].pk))
        assert one["status"] == "open" and one["description"]
    # creation: a plain form-encoded HTTP POST, as the spec describes
    form = {
        "api_key": key, "jurisdiction_id": live_world.campaign.code, "service_code": "noise", "lat": "28.71", "long": "113.59",
        "description": "工地每天夜里施工到凌晨，噪音很大", "attribute[noise_source]": "construction",
        "attribute[time_of_day]": "night",
    }  # fmt: skip
    req = urllib.request.Request(root + "/requests.json", data=urllib.parse.urlencode(form).encode(), method="POST")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 200
        created = json.loads(resp.read())
    schemas["post"].validate(created[0])
    rid, token = created[0]["service_request_id"], created[0]["token"]
    client = GeoReport(root, jurisdiction=live_world.campaign.code)
    fetched = client.get_service_request(rid)
    schemas["request.json"].validate(fetched)
    assert fetched["service_code"] == "noise" and fetched["status"] == "open"
    stored = Complaint.objects.get(pk=rid)
    assert stored.channel == "web" and stored.type_hints == ["noise"]
    assert stored.extra["open311"]["attributes"] == {"noise_source": "construction", "time_of_day": "night"}
    with urllib.request.urlopen(f"{root}/tokens/{token}.json", timeout=30) as resp:
        assert json.loads(resp.read())[0]["service_request_id"] == rid
    # XML creation answer
    form["description"] = "另一处工地夜间施工噪音"
    req = urllib.request.Request(root + "/requests.xml", data=urllib.parse.urlencode(form).encode(), method="POST")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert ET.fromstring(resp.read()).findtext("request/service_request_id")  # noqa: S314
    # a user's API token is not an Open311 key
    form["api_key"] = make_user_token(live_world.auditor)
    req = urllib.request.Request(root + "/requests.json", data=urllib.parse.urlencode(form).encode(), method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(req, timeout=30)
    assert refused.value.code == 403
    assert "invalid api_key" in json.loads(refused.value.read())[0]["description"]


# -- creation: who may, and bad input -------------------------------------------


def good_form(world: Any, key: str, **over: Any) -> dict[str, Any]:
    form = {
        "api_key": key, "jurisdiction_id": world.campaign.code, "service_code": "water", "lat": "28.70", "long": "113.60",
        "address_string": "", "description": "平江县某化工厂夜间偷排废水，河水发黑发臭",
    }  # fmt: skip
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def test_post_permission_matrix(o311) -> None:  # type: ignore[no-untyped-def]
    from inspectorate.audit.models import AuditEvent
    from inspectorate.open311 import actions
    from inspectorate.open311.models import Open311Key

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    valid = make_key(o311, "public app")
    revoked = make_key(o311, "old app")
    actions.revoke_key(Open311Key.objects.get(name="old app"), actor=o311.team_leader, reason="retired")
    elsewhere = make_key(o311, "changde app", campaigns=[o311.other_campaign])
    user_tokens = [make_user_token(u) for u in (o311.auditor, o311.inspector, o311.admin)]
    before = Complaint.objects.count()
    for key in (None, "", "o311_wrong", revoked, *user_tokens):
        for fmt in ("json", "xml"):
            messages = assert_error(client.post(V2 + f"/requests.{fmt}", good_form(o311, key)), 403, fmt)
            assert any("invalid api_key" in m for m in messages), messages
    # a key bound to another campaign may not post here (and, without jurisdiction_id, goes to its own)
    messages = assert_error(client.post(V2 + "/requests.json", good_form(o311, elsewhere)), 403)
    assert o311.campaign.code in messages[0]
    assert Complaint.objects.count() == before
    r = client.post(V2 + f"/requests.json?api_key={valid}", good_form(o311, None))
    assert r.status_code == 200, r.content
    created = Complaint.objects.get(pk=as_json(r)[0]["service_request_id"])
    key = Open311Key.objects.get(name="public app")
    assert created.extra["open311"]["client"] == "public app" and created.extra["open311"]["key"] == key.prefix
    assert AuditEvent.objects.filter(verb="complaint.receive", object_id=str(created.pk), actor_label=f"open311:{key.prefix}")
    assert key.last_used_at is not None
    # JSON bodies are accepted too
    r = client.post(
        V2 + "/requests.json", json.dumps(good_form(o311, valid, description="另一家企业向河里排放污水")), "application/json"
    )
    assert r.status_code == 200, r.content
    assert Complaint.objects.count() == before + 2
    assert client.put(V2 + "/requests.json").status_code == 405


def test_keys_are_rate_limited_per_key_through_the_cache(o311, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from inspectorate.open311 import actions

    clock = [1_899_999_980.0]  # 20 s into a minute
    monkeypatch.setattr(actions.time, "time", lambda: clock[0])
    slow, other = make_key(o311, "small app", rate_limit=2), make_key(o311, "other app", rate_limit=2)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    texts = iter(f"第{i}家企业夜间向河里偷排污水，河水发黑" for i in range(20))
    for _i in range(2):
        assert client.post(V2 + "/requests.json", good_form(o311, slow, description=next(texts))).status_code == 200
    before = Complaint.objects.count()
    r = client.post(V2 + "/requests.json", good_form(o311, slow, description=next(texts)))
    assert any("per minute" in m for m in assert_error(r, 429))
    assert r["Retry-After"] == "40"
    assert_error(client.post(V2 + "/requests.xml", good_form(o311, slow, description=next(texts))), 429, "xml")
    assert Complaint.objects.count() == before
    # another key has its own count
    assert client.post(V2 + "/requests.json", good_form(o311, other, description=next(texts))).status_code == 200
    # the next minute starts a new count
    clock[0] += 60
    assert client.post(V2 + "/requests.json", good_form(o311, slow, description=next(texts))).status_code == 200
    # the counters live in the shared cache, not in this process
    assert any(k for k in cache._cache if "open311-rate:" in str(k))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("over", "status", "fragment"),
    [
        ({"service_code": "sewage"}, 400, "sewage"),
        ({"service_code": ""}, 400, "service_code"),
        ({"lat": "", "long": "", "address_string": ""}, 400, "location"),
        ({"lat": "100", "long": "113"}, 400, "lat"),
        ({"lat": "abc", "long": "113"}, 400, "lat"),
        ({"lat": "28.7", "long": ""}, 400, "long"),
        ({"long": "nan"}, 400, "long"),
        ({"description": ""}, 400, "description"),
        ({"description": "短"}, 400, "text"),
        ({"jurisdiction_id": "no-such-campaign"}, 404, "no-such-campaign"),
        ({"attribute[time_of_day]": "noon"}, 400, "noon"),
        ({"attribute[colour]": "red"}, 400, "colour"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"attribute[since]": "2026-13-45"}, 400, "since"),
        ({"attribute[since]": "2026-02-30T00:00:00Z"}, 400, "since"),
    ],
)
def test_bad_input_gets_spec_errors_and_saves_nothing(o311, over, status, fragment) -> None:  # type: ignore[no-untyped-def]
    key = make_key(o311)
    before = Complaint.objects.count()
    for fmt in ("json", "xml"):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        messages = assert_error(client.post(V2 + f"/requests.{fmt}", good_form(o311, key, **over)), status, fmt)
        assert any(fragment in m for m in messages), messages
    assert Complaint.objects.count() == before


def test_malformed_bodies_and_reads(o311) -> None:  # type: ignore[no-untyped-def]
    key = make_key(o311)
    client = Client()
    before = Complaint.objects.count()
    assert_error(client.post(V2 + "/requests.json", "{not json", "application/json"), 400)
    assert_error(client.post(V2 + "/requests.json", "[1, 2]", "application/json"), 400)
    deep = '{"attribute": ' * 5000 + "1" + "}" * 5000  # nested 5,000 levels: a clear 400, not a RecursionError
    assert_error(client.post(V2 + f"/requests.json?api_key={key}", deep, "application/json"), 400)
    assert_error(client.post(V2 + f"/requests.xml?api_key={key}", "<request><service_code>water", "text/xml"), 400, "xml")
    assert Complaint.objects.count() == before
    assert_error(get(client, "/services/sewage.json"), 404)
    assert_error(get(client, "/services/sewage.xml"), 404, "xml")
    assert_error(get(client, "/services.json", jurisdiction_id="nowhere"), 404)
    assert_error(get(client, "/requests.json", status="pending"), 400)
    assert_error(get(client, "/requests.json", service_code="sewage"), 400)
    assert_error(get(client, "/requests.json", start_date="yesterday"), 400)
    for bad in ("2026-13-45", "2026-02-30", "2026-01-01T25:61:00Z", "2026-01-01T00:00:00+99:00", "0001-01-01", "9999-12-31"):
        for name in ("start_date", "end_date"):
            assert any(name in m for m in assert_error(get(client, "/requests.json", **{name: bad}), 400)), bad
            assert_error(get(client, "/requests.xml", **{name: bad}), 400, "xml")
    assert_error(get(client, "/requests.json", start_date="2026-01-01", end_date="2026-06-01"), 400)
    assert_error(get(client, "/requests.json", start_date="2026-06-01", end_date="2026-01-01"), 400)
    assert_error(get(client, "/requests.json", service_request_id="1,2"), 400)
    assert_error(get(client, "/requests.json", jurisdiction_id="hn-2\x00\x01"), 404)  # NUL never reaches the database
    assert_error(get(client, "/requests/not-an-id.json"), 404)
    assert_error(get(client, "/requests/00000000-0000-0000-0000-000000000000.xml"), 404, "xml")
    assert_error(get(client, "/tokens/NOPE.json"), 404)
    assert_error(get(client, "/nothing-here.json"), 404)
    # jurisdiction may be left out when exactly one campaign takes complaints
    o311.other_campaign.stationing_end = o311.other_campaign.stationing_start = timezone.localdate() - dt.timedelta(days=60)
    o311.other_campaign.save()
    r = client.post(V2 + "/requests.json", good_form(o311, key, jurisdiction_id=None))
    assert r.status_code == 200, r.content
    assert Complaint.objects.get(pk=as_json(r)[0]["service_request_id"]).campaign == o311.campaign


def test_every_service_has_a_translated_name_and_attributes_are_consistent() -> None:
    for code, service in SERVICES.items():
        assert code in PollutionType.values
        definition = service.definition()
        assert [a["order"] for a in definition["attributes"]] == list(range(1, len(definition["attributes"]) + 1))
        for a in definition["attributes"]:
            assert ("values" in a) == a["datatype"].endswith("valuelist")
