"""The target keeps its own ledger: responsible leaders (API, pages), the evidence library (kind, capture date, EXIF GPS)."""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from inspectorate.audit.models import AuditEvent
from inspectorate.core.exif import gps_position
from inspectorate.rectification import actions
from inspectorate.rectification.models import Evidence, Leader, Task
from inspectorate.testing.clock import future_year
from inspectorate.testing.factories import CampaignFactory, MembershipFactory, OrgUnitFactory, UserFactory
from inspectorate.testing.matrix import assert_matrix

FY = future_year()
pytestmark = pytest.mark.django_db


def jpeg_with_gps(lat: tuple[int, int, int], lon: tuple[int, int, int], *, ns: bytes = b"N", ew: bytes = b"E") -> bytes:
    """A minimal JPEG whose APP1 EXIF block carries a GPS IFD (little-endian TIFF), written byte by byte."""
    gps_ifd = 26  # 8 (TIFF header) + 2 + 12 (one IFD0 entry) + 4 (next IFD)
    lat_at, lon_at = gps_ifd + 2 + 4 * 12 + 4, gps_ifd + 2 + 4 * 12 + 4 + 24
    tiff = b"II" + struct.pack("<HI", 42, 8)
    tiff += struct.pack("<H", 1) + struct.pack("<HHII", 0x8825, 4, 1, gps_ifd) + struct.pack("<I", 0)
    tiff += struct.pack("<H", 4)
    tiff += struct.pack("<HHI", 1, 2, 2) + ns + b"\x00\x00\x00"
    tiff += struct.pack("<HHII", 2, 5, 3, lat_at)
    tiff += struct.pack("<HHI", 3, 2, 2) + ew + b"\x00\x00\x00"
    tiff += struct.pack("<HHII", 4, 5, 3, lon_at)
    tiff += struct.pack("<I", 0)
    assert len(tiff) == lat_at
    for value in (*lat, *lon):
        tiff += struct.pack("<II", value * 100, 100)
    app1 = b"Exif\x00\x00" + tiff
    return b"\xff\xd8" + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + b"\xff\xda\x00\x02" + b"\x00" * 16 + b"\xff\xd9"


class Rewinding(SimpleUploadedFile):
    """An upload the test client can send more than once (the matrix posts it for every caller)."""

    def read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.seek(0)
        return super().read(*args, **kwargs)


def api(user, lang: str = "en") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


# -- EXIF ------------------------------------------------------------------------------------------------


def test_exif_gps_position_is_read_from_a_hand_made_jpeg():
    assert gps_position(jpeg_with_gps((28, 51, 36), (113, 34, 12))) == (Decimal("28.860000"), Decimal("113.570000"))
    south_west = gps_position(jpeg_with_gps((33, 52, 0), (151, 12, 36), ns=b"S", ew=b"W"))
    assert south_west == (Decimal("-33.866667"), Decimal("-151.210000"))


def test_exif_without_gps_or_malformed_gives_no_location():
    good = jpeg_with_gps((28, 51, 36), (113, 34, 12))
    assert gps_position(b"%PDF-1.4 not a photo") is None
    assert gps_position(b"\xff\xd8\xff\xd9") is None  # a JPEG without EXIF
    assert gps_position(good[:40]) is None  # truncated inside the EXIF block
    assert gps_position(good.replace(b"II*\x00", b"XX*\x00")) is None  # unknown byte order
    assert gps_position(good.replace(struct.pack("<II", 2800, 100), struct.pack("<II", 2800, 0))) is None  # zero denominator
    assert gps_position(good.replace(b"N\x00\x00\x00", b"Q\x00\x00\x00")) is None  # not a hemisphere


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=120))
def test_exif_reader_never_raises_on_garbage(noise, cut):
    good = jpeg_with_gps((28, 51, 36), (113, 34, 12))
    for data in (b"\xff\xd8\xff\xe1" + noise, good[:cut] + noise, good[: 12 + cut] + noise + good[12 + cut :]):
        result = gps_position(data)
        assert result is None or (-90 <= result[0] <= 90 and -180 <= result[1] <= 180)


# -- leaders: API ----------------------------------------------------------------------------------------


def leader_body(w, **kw):
    return {"name": "岳阳市副市长甲", "post": "副市长", "rank": "department", "unit": str(w.county_a.pk), **kw}


def test_leaders_api_create_matrix_and_audit(world):
    w = world
    r = assert_matrix(
        "/api/v1/leaders/",
        method="post",
        data=leader_body(w),
        allowed=[w.liaison_a],
        forbidden=[w.handler_a, w.inspector],
        ok=201,
    )
    body = r[0].json()
    assert body["rank"] == "department" and body["active"] is True and body["valid_until"] is None
    leader = Leader.objects.get(pk=body["id"])
    assert leader.valid_from == timezone.localdate()
    assert AuditEvent.objects.filter(verb="leader.create", object_id=str(leader.pk)).count() == 1
    # Another target's liaison cannot name a unit it does not reach.
    r2 = api(w.liaison_b).post("/api/v1/leaders/", leader_body(w, name="x"), content_type="application/json")
    assert r2.status_code == 400 and "unit" in r2.json()
    assert not Leader.objects.filter(name="x").exists()


def test_leaders_api_update_and_end_matrix(world):
    w = world
    leader = Leader.objects.create(name="平江县副县长", post="副县长", unit=w.county_a)
    assert_matrix(
        f"/api/v1/leaders/{leader.pk}/",
        method="patch",
        data={"post": "县长"},
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.handler_a, w.inspector],
    )
    leader.refresh_from_db()
    assert leader.post == "县长"
    r = assert_matrix(
        f"/api/v1/leaders/{leader.pk}/end/",
        method="post",
        data={"reason": "调任"},
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.handler_a, w.inspector],
    )
    assert r[0].json()["active"] is True and r[0].json()["valid_until"] == timezone.localdate().isoformat()
    assert Leader.objects.filter(pk=leader.pk).exists()  # kept, with its history
    verbs = list(AuditEvent.objects.filter(object_id=str(leader.pk)).order_by("seq").values_list("verb", flat=True))
    assert verbs == ["leader.update", "leader.end"]
    again = api(w.liaison_a).post(f"/api/v1/leaders/{leader.pk}/end/", {}, content_type="application/json")
    assert again.status_code == 400


def test_leaders_list_is_scoped_and_filterable(world):
    w = world
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    a = Leader.objects.create(name="县长", unit=w.county_a)
    gone = Leader.objects.create(name="前县长", unit=w.county_a, valid_from=yesterday - dt.timedelta(days=30))
    actions.end_leader(gone, actor=w.liaison_a, on=yesterday)
    b = Leader.objects.create(name="常德市长", unit=w.city_b)
    c = api(w.liaison_a)
    ids = {x["id"] for x in c.get("/api/v1/leaders/").json()["results"]}
    assert ids == {str(a.pk), str(gone.pk)}
    assert {x["id"] for x in c.get("/api/v1/leaders/?active=true").json()["results"]} == {str(a.pk)}
    assert {x["id"] for x in c.get("/api/v1/leaders/?active=false").json()["results"]} == {str(gone.pk)}
    assert {x["id"] for x in c.get(f"/api/v1/leaders/?unit={w.county_a.code}").json()["results"]} == {str(a.pk), str(gone.pk)}
    assert c.get(f"/api/v1/leaders/{b.pk}/").status_code == 404
    assert {x["id"] for x in api(w.liaison_b).get("/api/v1/leaders/").json()["results"]} == {str(b.pk)}


def test_leader_validation_errors_in_both_languages(world):
    w = world
    Leader.objects.create(name="县长", unit=w.county_a)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for lang, dup, future in (
        ("en", "This unit already has a current leader with this name.", "The end of a post cannot be in the future."),
        ("zh-hans", "该单位已有同名的在任领导。", "离任日期不能晚于今天。"),
    ):
        c = api(w.liaison_a, lang)
        r = c.post("/api/v1/leaders/", leader_body(w, name="县长"), content_type="application/json")
        assert r.status_code == 400 and dup in str(r.json()), r.json()
        other = Leader.objects.create(name=f"乡长{lang}", unit=w.county_a)
        r = c.post(f"/api/v1/leaders/{other.pk}/end/", {"on": tomorrow}, content_type="application/json")
        assert r.status_code == 400 and future in str(r.json()), r.json()
    assert Leader.objects.filter(name="县长").count() == 1
    assert not AuditEvent.objects.filter(verb="leader.create").exists()


def test_an_ended_leader_keeps_tasks_but_is_not_offered_for_new_ones(rect):
    w = rect.w
    task = rect.task()
    actions.end_leader(rect.leader, actor=w.liaison_a)
    rect.leader.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.update_leader(rect.leader, actor=w.liaison_a, post="县长")  # the record of a past post stays as it was
    task.refresh_from_db()
    assert task.lead_leader_id == rect.leader.pk
    # The post ended yesterday (the end day is inclusive, like memberships): not offered from today on.
    today = timezone.localdate()
    Leader.objects.filter(pk=rect.leader.pk).update(
        valid_from=today - dt.timedelta(days=30), valid_until=today - dt.timedelta(days=1)
    )
    body = {
        "campaign": str(w.campaign.pk), "problem": str(rect.problem.pk), "number": "9.1", "goal": "g",
        "lead_leader": str(rect.leader.pk), "lead_unit": str(w.county_a.pk), "acceptance_unit": str(w.city_a.pk),
        "deadline": f"{FY}-06-30", "long_term": False,
    }  # fmt: skip
    r = api(w.liaison_a).post("/api/v1/tasks/", body, content_type="application/json")
    assert r.status_code == 400 and "lead_leader" in r.json()
    # Editing the old task keeps its leader.
    r = api(w.liaison_a).patch(f"/api/v1/tasks/{task.pk}/", {"goal": "新目标"}, content_type="application/json")
    assert r.status_code == 200, r.content
    page = api(w.liaison_a).get("/rectification/tasks/new/")
    assert rect.leader.name not in page.content.decode()
    edit = api(w.liaison_a).get(f"/rectification/tasks/{task.pk}/edit/")
    assert f'value="{rect.leader.pk}" selected' in edit.content.decode()


def test_a_new_target_creates_a_leader_then_a_task_through_the_api(world):
    """Jiangxi Investment Group's liaison, on a unit nobody prepared: leader, problem, task, all through the API."""
    group = OrgUnitFactory(kind="enterprise", unit_type="group", code="JXIG", name_zh="江西省投资集团", name_en="JXIG")
    plant = OrgUnitFactory(kind="enterprise", unit_type="plant", parent=group, code="JXIG-PK", name_zh="萍矿某厂")
    campaign = CampaignFactory(
        code="jx-group", inspecting_unit=world.inspect_office, stationing_start=world.campaign.stationing_start, targets=[group]
    )
    liaison = UserFactory(username="jx_liaison")
    MembershipFactory(user=liaison, role="liaison", org_unit=group)
    c = api(liaison)
    r = c.post(
        "/api/v1/leaders/",
        {"name": "集团副总经理", "post": "副总经理", "rank": "department", "unit": str(group.pk)},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    leader = r.json()["id"]
    assert [x["id"] for x in c.get("/api/v1/leaders/?active=true").json()["results"]] == [leader]
    r = c.post(
        "/api/v1/problems/",
        {"campaign": str(campaign.pk), "unit": str(plant.pk), "number": "1", "title": "矸石山扬尘", "source": "self_found"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = {
        "campaign": str(campaign.pk), "problem": r.json()["id"], "number": "1.1", "goal": "矸石山覆盖抑尘",
        "lead_leader": leader, "lead_unit": str(plant.pk), "acceptance_unit": str(group.pk),
        "deadline": f"{FY}-06-30", "long_term": False,
        "measures": [{"number": 1, "text": "覆盖防尘网", "milestone": f"{FY}-03-31"}],
    }  # fmt: skip
    r = c.post("/api/v1/tasks/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert Task.objects.get(pk=r.json()["id"]).lead_leader_id is not None


# -- leaders: pages --------------------------------------------------------------------------------------


def test_leader_pages_matrix_and_save(world):
    w = world
    leader = Leader.objects.create(name="平江县副县长", unit=w.county_a)
    assert_matrix(
        f"/rectification/leaders/{leader.pk}/edit/",
        api=False,
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.handler_a, w.inspector],
    )
    assert_matrix("/rectification/leaders/new/", api=False, allowed=[w.liaison_a], forbidden=[w.handler_a, w.auditor])
    c = api(w.liaison_a)
    listing = c.get("/rectification/leaders/").content.decode()
    assert "平江县副县长" in listing and f"/rectification/leaders/{leader.pk}/edit/" in listing
    assert "/rectification/leaders/" in c.get("/rectification/").content.decode()  # linked from the ledger page
    r = c.post(
        "/rectification/leaders/new/",
        {
            "name": "平江县县长",
            "post": "县长",
            "rank": "division",
            "unit": str(w.county_a.pk),
            "valid_from": timezone.localdate(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Leader.objects.get(name="平江县县长").rank == "division"
    r = c.post(f"/rectification/leaders/{leader.pk}/end/", {"reason": "退休"})
    assert r.status_code == 302
    leader.refresh_from_db()
    assert leader.valid_until == timezone.localdate()
    assert api(w.handler_a).post(f"/rectification/leaders/{leader.pk}/end/").status_code == 403
    assert api(w.liaison_b).post(f"/rectification/leaders/{leader.pk}/end/").status_code == 404
    # The unit choice offers only units the liaison office keeps.
    r = c.post(
        "/rectification/leaders/new/",
        {"name": "x", "rank": "other", "unit": str(w.city_b.pk), "valid_from": timezone.localdate()},
    )
    assert r.status_code == 400 and not Leader.objects.filter(name="x").exists()


# -- evidence --------------------------------------------------------------------------------------------


def upload(measure, content: bytes = b"%PDF-1.4 report", name: str = "r.pdf", **kw):
    data = {"measure": str(measure.pk), "kind": "document", "captured_on": timezone.localdate().isoformat(), **kw}
    data["file"] = Rewinding(name, content)
    return data


def test_evidence_upload_api_matrix_keeps_gps(rect):
    w = rect.w
    t = rect.task()
    m = t.measures.first()
    photo = jpeg_with_gps((28, 51, 36), (113, 34, 12))
    data = upload(m, photo, "site.jpg", kind="photo")
    c = Client()
    assert c.post(f"/api/v1/tasks/{t.pk}/evidence/", data).status_code == 401
    for user, code in ((w.liaison_b, 404), (w.outsider, 404), (w.inspector, 403), (w.auditor, 403), (w.liaison_a, 200)):
        assert api(user).post(f"/api/v1/tasks/{t.pk}/evidence/", data).status_code == code, user
    ev = Evidence.objects.get(task=t)
    assert (ev.kind, ev.lat, ev.lon) == ("photo", Decimal("28.860000"), Decimal("113.570000"))
    event = AuditEvent.objects.get(verb="task.evidence", object_id=str(t.pk))
    assert (event.after["lat"], event.after["lon"], event.after["kind"]) == ("28.860000", "113.570000", "photo")
    listed = api(w.liaison_a).get(f"/api/v1/evidence/?task={t.pk}").json()["results"]
    assert [(x["kind"], x["lat"]) for x in listed] == [("photo", "28.860000")]
    assert api(w.liaison_b).get("/api/v1/evidence/").json()["results"] == []


def test_evidence_upload_requires_kind_and_capture_date_in_both_languages(rect):
    t = rect.task()
    m = t.measures.first()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for lang, required, future in (
        ("en", "This field is required.", "The capture date cannot be in the future."),
        ("zh-hans", "该字段是必填项。", "采集日期不能晚于今天。"),
    ):
        c = api(rect.w.handler_a, lang)
        data = upload(m)
        del data["kind"], data["captured_on"]
        r = c.post(f"/api/v1/tasks/{t.pk}/evidence/", data)
        assert r.status_code == 400 and set(r.json()) == {"kind", "captured_on"} and required in str(r.json())
        r = c.post(f"/api/v1/tasks/{t.pk}/evidence/", upload(m, captured_on=tomorrow))
        assert r.status_code == 400 and future in str(r.json()), r.json()
        r = c.post(f"/api/v1/tasks/{t.pk}/evidence/", upload(m, kind="other"))
        assert r.status_code == 400 and "kind" in r.json()
        page = c.post("/rectification/evidence/", upload(m, captured_on=tomorrow))
        assert page.status_code == 400 and future in page.content.decode()
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(verb="task.evidence").exists()


def test_evidence_library_page_lists_filters_and_uploads(rect):
    w = rect.w
    t1, t2 = rect.task(), rect.task()
    actions.add_evidence(
        t1, actor=w.handler_a, measure=t1.measures.first(), content=jpeg_with_gps((28, 51, 36), (113, 34, 12)),
        filename="site.jpg", kind="photo", captured_on=timezone.localdate(),
    )  # fmt: skip
    actions.add_evidence(
        t2, actor=w.handler_a, measure=t2.measures.first(), content=b"csv,data", filename="cems.csv",
        kind="monitoring", captured_on=timezone.localdate() - dt.timedelta(days=10),
    )  # fmt: skip
    c = api(w.liaison_a)
    page = c.get("/rectification/evidence/").content.decode()
    assert "site.jpg" in page and "cems.csv" in page and "28.860000, 113.570000" in page
    page = c.get("/rectification/evidence/?kind=monitoring").content.decode()
    assert "cems.csv" in page and "site.jpg" not in page
    page = c.get(f"/rectification/evidence/?task={t1.pk}").content.decode()
    assert "site.jpg" in page and "cems.csv" not in page
    since = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    page = c.get(f"/rectification/evidence/?captured_from={since}").content.decode()
    assert "site.jpg" in page and "cems.csv" not in page
    assert "site.jpg" not in api(w.liaison_b).get("/rectification/evidence/").content.decode()
    r = c.post("/rectification/evidence/", upload(t2.measures.last(), kind="video", name="walk.mp4"))
    assert r.status_code == 302
    assert Evidence.objects.get(original_name="walk.mp4").kind == "video"
    # Someone who may not add evidence anywhere is refused; a measure out of reach is not offered.
    assert api(w.auditor).post("/rectification/evidence/", upload(t2.measures.last())).status_code == 403
    assert api(w.liaison_b).post("/rectification/evidence/", upload(t2.measures.last())).status_code == 400
    assert Client().get("/rectification/evidence/").status_code == 302


def test_task_page_upload_asks_for_kind_and_date(rect):
    w = rect.w
    t = rect.task()
    m = t.measures.first()
    url = f"/rectification/tasks/{t.pk}/evidence/"
    c = api(w.handler_a)
    data = upload(m)
    del data["kind"]
    r = c.post(url, data, follow=True)
    assert "Kind" in r.content.decode() and not Evidence.objects.exists()
    assert c.post(url, upload(m, kind="photo")).status_code == 302
    assert Evidence.objects.get().kind == "photo"
    assert api(w.liaison_b).post(url, upload(m, kind="photo")).status_code == 404
    assert api(w.auditor).post(url, upload(m, kind="photo")).status_code == 403


def test_lists_have_query_ceilings(rect, django_assert_max_num_queries):
    w = rect.w
    for i in range(6):
        Leader.objects.create(name=f"领导{i}", post="副县长", unit=w.county_a)
        t = rect.task()
        actions.add_evidence(
            t, actor=w.handler_a, measure=t.measures.first(), content=f"file {i}".encode(), filename=f"{i}.pdf",
            kind="document", captured_on=timezone.localdate(),
        )  # fmt: skip
    c = api(w.liaison_a)
    for url in ("/api/v1/leaders/", "/api/v1/evidence/", "/rectification/leaders/", "/rectification/evidence/"):
        with django_assert_max_num_queries(14):
            assert c.get(url).status_code == 200, url
