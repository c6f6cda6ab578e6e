"""Information requests: issue, assign, deliver with a declaration, review; overdue counted as obstruction; docx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from inspectorate.audit.models import AuditEvent as Event
from inspectorate.fieldwork import actions, uploads
from inspectorate.fieldwork.models import Delivery, InfoRequest, ItemStatus
from inspectorate.testing.matrix import assert_matrix

from .conftest import pdf

pytestmark = pytest.mark.django_db
API = "/api/v1/info-requests/"
ITEMS = "/api/v1/info-request-items/"


def body(field, **kw):
    data = {
        "campaign": str(field.w.campaign.pk),
        "target_unit": str(field.w.city_a.pk),
        "title": "调阅信访件办理档案",
        "legal_basis": "《生态环境保护督察工作条例》",
        "due_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
        "contact_name": "联络员",
        "contact_phone": "0730-1",
        "items": ["2020年以来行政处罚案卷", "在线监测数据"],
    }
    data.update(kw)
    return data


def client(user):
    c = Client()
    c.force_login(user)
    return c


def deliver(c, item, lang="zh-hans", **kw):
    data = {
        "files": SimpleUploadedFile("档案.pdf", pdf("a")),
        "declarant_name": "岳阳市生态环境局 张某",
        "declared_at": timezone.now().isoformat(),
        "declaration": "true",
    }
    data.update(kw)
    return c.post(f"{ITEMS}{item.pk}/deliver/", {k: v for k, v in data.items() if v is not None}, HTTP_ACCEPT_LANGUAGE=lang)


def test_create_matrix_and_idempotency(field):
    w = field.w
    assert_matrix(
        API, method="post", data=body(field), forbidden=[w.liaison_a, field.dept_handler], allowed=[w.inspector], ok=201
    )
    # out of scope: a team of another campaign cannot name this campaign (it does not exist for them)
    r = client(field.leader_b).post(API, body(field), content_type="application/json")
    assert r.status_code == 400 and "campaign" in r.json()
    c = client(w.team_leader)
    same = body(field, title="同一请求")
    r1 = c.post(API, same, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    r2 = c.post(API, same, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert r1.status_code == 201 and r2.status_code == 200 and r1.json()["id"] == r2.json()["id"]
    assert InfoRequest.objects.filter(title="同一请求").count() == 1
    r3 = c.post(API, body(field, title="另一个"), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert r3.status_code == 422 and r3.json()["original"] == r1.json()["id"]
    created = r1.json()
    assert created["number"] >= 1 and [i["description"] for i in created["items"]] == ["2020年以来行政处罚案卷", "在线监测数据"]
    assert Event.objects.filter(verb="info_request.issue", object_id=created["id"]).exists()


def test_bad_input_is_refused_bilingually_and_nothing_saved(field):
    c = client(field.w.inspector)
    before = InfoRequest.objects.count()
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    r = c.post(API, body(field, due_at=past), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "due time must be after" in r.json()["due_at"][0]
    r = c.post(API, body(field, due_at=past), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 400 and "截止" in r.json()["due_at"][0]
    r = c.post(API, body(field, items=["  "]), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "items" in r.json()
    r = c.post(API, body(field, target_unit=str(field.w.city_b.pk)), content_type="application/json")
    assert r.status_code == 400  # a unit outside the campaign's targets
    assert InfoRequest.objects.count() == before


def test_assign_deliver_review_flow_with_matrices(field):
    w = field.w
    req = field.request()
    item = req.items.get(seq=1)
    url = f"{ITEMS}{item.pk}/assign/"
    assert_matrix(
        url,
        method="post",
        data={"department": str(field.dept.pk)},
        out_of_scope=[w.liaison_b, field.leader_b, field.dept_handler],
        forbidden=[w.inspector, w.auditor],
        allowed=[w.liaison_a],
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.ASSIGNED and item.department == field.dept
    # a department outside the requested unit is refused
    r = client(w.liaison_a).post(url, {"department": str(w.county_a.pk)}, content_type="application/json")
    assert r.status_code == 200  # the county lies under the city: allowed
    r = client(w.liaison_a).post(url, {"department": str(field.dept.pk)}, content_type="application/json")
    assert r.status_code == 200
    # the department's handler now sees the request; a county handler of another branch does not
    assert client(field.dept_handler).get(f"{API}{req.pk}/").status_code == 200
    # deliver: wrong role, out of scope, then without declaration, then right
    deliver_url = f"{ITEMS}{item.pk}/deliver/"
    assert client(w.inspector).post(deliver_url, {}).status_code == 403
    assert client(w.liaison_b).post(deliver_url, {}).status_code == 404
    c = client(field.dept_handler)
    r = c.post(deliver_url, {"files": SimpleUploadedFile("a.pdf", pdf()), "declaration": "true"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "declarant_name" in r.json() and "declared_at" in r.json()
    r = c.post(
        deliver_url,
        {"files": SimpleUploadedFile("a.pdf", pdf()), "declarant_name": "张某", "declared_at": timezone.now().isoformat()},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 400 and "声明" in r.json()["declaration"][0]
    assert not Delivery.objects.exists()
    r = deliver(c, item)
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["status"] == "delivered" and got["deliveries"][0]["declarant_name"] == "岳阳市生态环境局 张某"
    assert len(got["deliveries"][0]["sha256"]) == 64
    # review: the team marks; incomplete needs a reason
    review = f"{ITEMS}{item.pk}/review/"
    assert client(w.liaison_a).post(review, {"verdict": "complete"}, content_type="application/json").status_code == 403
    assert client(w.liaison_b).post(review, {"verdict": "complete"}, content_type="application/json").status_code == 404
    r = client(w.inspector).post(review, {"verdict": "incomplete"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "reason" in r.json()
    r = client(w.inspector).post(review, {"verdict": "incomplete", "reason": "缺2021年数据"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "incomplete"
    # delivered again: a second version, both kept
    r = deliver(c, item, files=SimpleUploadedFile("补充.pdf", pdf("b")))
    assert r.status_code == 200 and [d["version"] for d in r.json()["deliveries"]] == [1, 2]
    r = client(w.team_leader).post(review, {"verdict": "complete"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "complete"
    # item 2: refused with a reason, without any delivery
    item2 = req.items.get(seq=2)
    r = client(w.inspector).post(
        f"{ITEMS}{item2.pk}/review/", {"verdict": "refused", "reason": "称资料涉密拒绝提供"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "refused"
    verbs = set(Event.objects.filter(object_id__in=[str(item.pk), str(item2.pk)]).values_list("verb", flat=True))
    assert {"info_request_item.assign", "info_request_item.deliver", "info_request_item.review"} <= verbs


def test_upload_checks(field, monkeypatch):
    item = field.request().items.first()
    actions.assign_item(item, actor=field.w.liaison_a, department=field.dept)
    c = client(field.dept_handler)
    r = deliver(c, item, files=SimpleUploadedFile("x.exe", b"MZ\x90\x00binary"), lang="en")
    assert r.status_code == 400 and "not an accepted document type" in r.json()["files"][0]
    r = deliver(c, item, files=SimpleUploadedFile("empty.pdf", b""), lang="en")
    assert r.status_code == 400
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 100)
    r = deliver(c, item, files=SimpleUploadedFile("big.pdf", pdf("x" * 200)))
    assert r.status_code == 400 and "过大" in r.json()["files"][0]
    docx_like = SimpleUploadedFile("表.xlsx", b"PK\x03\x04rest-of-zip")
    r = deliver(c, item, files=docx_like)
    assert r.status_code == 200 and r.json()["deliveries"][0]["content_type"].endswith("spreadsheetml.sheet")
    item.refresh_from_db()
    assert item.status == ItemStatus.DELIVERED


def test_overdue_items_counted_as_obstruction(field):
    w = field.w
    late = field.request(due_in=-dt.timedelta(days=1), items=3)
    actions.review_item(late.items.get(seq=3), actor=w.inspector, verdict="refused", reason="拒绝提供")
    field.request(due_in=dt.timedelta(days=5))
    c = client(w.inspector)
    listing = c.get(API, {"campaign": w.campaign.code}).json()["results"]
    counts = {r["id"]: r["overdue_count"] for r in listing}
    assert counts[str(late.pk)] == 2 and sorted(counts.values()) == [0, 2]
    assert [r["id"] for r in c.get(API, {"overdue": "true"}).json()["results"]] == [str(late.pk)]
    totals = c.get(API + "obstruction/", {"campaign": w.campaign.code}).json()
    assert totals == {"requests": 2, "items": 5, "overdue_items": 2, "overdue_requests": 1, "refused_items": 1}
    assert c.get(API + "obstruction/", {"campaign": w.other_campaign.code}).json()["overdue_items"] == 0
    item = late.items.get(seq=1)
    assert c.get(f"{ITEMS}{item.pk}/").json()["overdue"] is True
    page = c.get("/fieldwork/", {"campaign": w.campaign.code}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'class="overdue"' in page and "逾期" in page
    # the same filter on the page and the API
    page = c.get("/fieldwork/", {"overdue": "false"}).content.decode()
    assert late.title not in page or page.count("<tr") >= 1


def test_docx_letter_and_handover(field):
    from docx import Document

    w = field.w
    req = field.request()
    item = req.items.get(seq=1)
    actions.assign_item(item, actor=w.liaison_a, department=field.dept)
    actions.deliver_item(
        item,
        actor=field.dept_handler,
        files=[("执法档案.pdf", pdf())],
        declarant_name="张某",
        declared_at=timezone.now(),
        declaration_accepted=True,
    )
    with translation.override("zh-hans"):
        for path, must in (
            ("letter/", ["资料调阅函", "资料1", "资料2", req.legal_basis, "督察组联络员"]),
            ("handover/", ["移交清单", "执法档案.pdf (v1)", "张某", "岳阳市生态环境局"]),
        ):
            r = assert_matrix(f"{API}{req.pk}/{path}", allowed=[w.inspector, w.liaison_a], out_of_scope=[w.liaison_b])
            doc = Document(io.BytesIO(b"".join(r[0].streaming_content) if r[0].streaming else r[0].content))
            text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
                c.text for t in doc.tables for row in t.rows for c in row.cells
            )
            for m in must:
                assert m in text, (path, m)
    r = client(w.inspector).get(f"/fieldwork/requests/{req.pk}/handover.docx")
    assert r.status_code == 200 and r["Content-Type"].endswith("wordprocessingml.document")


def test_pages_matrix_and_deliver_form(field):
    w = field.w
    req = field.request()
    item = req.items.get(seq=1)
    assert_matrix("/fieldwork/", api=False, allowed=[w.inspector, w.liaison_a, w.liaison_b, field.dept_handler])
    r = assert_matrix(
        f"/fieldwork/requests/{req.pk}/",
        api=False,
        allowed=[w.inspector, w.liaison_a],
        out_of_scope=[w.liaison_b, w.handler_a, field.leader_b],
    )
    assert 'action="/fieldwork/items/' in r[1].content.decode()  # the coordinator gets the assign form
    assert_matrix("/fieldwork/requests/new/", api=False, allowed=[w.inspector], forbidden=[w.liaison_a])
    assert_matrix(
        f"/fieldwork/items/{item.pk}/assign/",
        method="post",
        api=False,
        data={f"{item.pk}-department": str(field.dept.pk)},
        ok=302,
        out_of_scope=[w.liaison_b],
        forbidden=[w.inspector],
        allowed=[w.liaison_a],
    )
    item.refresh_from_db()
    assert item.department == field.dept
    url = f"/fieldwork/items/{item.pk}/deliver/"
    assert_matrix(url, api=False, allowed=[field.dept_handler], forbidden=[w.liaison_a], out_of_scope=[w.liaison_b])
    c = client(field.dept_handler)
    r = c.post(url, {"documents": SimpleUploadedFile("a.pdf", pdf()), "declarant_name": "张某"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Confirm the truthfulness declaration" in r.content.decode()
    assert not Delivery.objects.exists()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    r = c.post(
        url,
        {
            "documents": SimpleUploadedFile("a.bat", b"@echo off"),
            "declarant_name": "张某",
            "declared_at": now,
            "declaration": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400 and "a.bat is not an accepted document type" in r.content.decode()
    assert not Delivery.objects.exists()
    r = c.post(
        url,
        {"documents": SimpleUploadedFile("a.pdf", pdf()), "declarant_name": "张某", "declared_at": now, "declaration": "on"},
    )
    assert r.status_code == 302 and Delivery.objects.count() == 1
    assert_matrix(
        f"/fieldwork/items/{item.pk}/review/",
        method="post",
        api=False,
        data={f"{item.pk}-verdict": "complete"},
        ok=302,
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a],
        allowed=[w.inspector],
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETE
    d = Delivery.objects.get()
    assert_matrix(f"/fieldwork/deliveries/{d.pk}/", api=False, allowed=[w.inspector, w.liaison_a], out_of_scope=[w.liaison_b])
    r = client(w.inspector).get("/fieldwork/", {"campaign": w.campaign.code})
    assert req.title in r.content.decode()


def test_new_request_page_creates_and_refuses_bad_dates(field):
    w = field.w
    c = client(w.inspector)
    data = {
        "campaign": str(w.campaign.pk),
        "target_unit": str(w.city_a.pk),
        "title": "页面调阅",
        "legal_basis": "条例",
        "due_at": (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "contact_name": "联络员",
        "contact_phone": "1",
        "items": "资料甲\n\n资料乙\n",
    }
    r = c.post("/fieldwork/requests/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "due time must be after" in r.content.decode()
    data["due_at"] = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = c.post("/fieldwork/requests/new/", data)
    assert r.status_code == 302
    req = InfoRequest.objects.get(title="页面调阅")
    assert list(req.items.values_list("description", flat=True)) == ["资料甲", "资料乙"]


def test_list_is_scoped_and_query_count_bounded(field, django_assert_max_num_queries):
    w = field.w
    for _ in range(5):
        field.request()
    c = client(w.inspector)
    with django_assert_max_num_queries(15):
        r = c.get(API)
    assert r.json()["count"] == 5
    assert client(w.liaison_b).get(API).json()["count"] == 0
    assert client(field.leader_b).get(API).json()["count"] == 0
    assert client(w.outsider).get(API).json()["count"] == 0
