"""Seed marker names and phones, run the whole flow, and scan every public response and export for them."""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from inspectorate.complaints import actions
from inspectorate.complaints.models import Complaint

pytestmark = pytest.mark.django_db

NAMES = ["标记甲", "Markerson Q"]
PHONES = ["13999990001", "13999990002"]
MARKERS = [*NAMES, *PHONES, "9990001", "9990002"]


def _text_of(resp) -> str:
    body = b"".join(resp.streaming_content) if getattr(resp, "streaming", False) else resp.content
    ctype = resp.get("Content-Type", "")
    if "openxmlformats" in ctype or ctype == "application/zip":
        z = zipfile.ZipFile(io.BytesIO(body))
        return " ".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    return body.decode("utf-8", "ignore")


def _assert_clean(label: str, text: str) -> None:
    for m in MARKERS:
        assert m not in text, f"{label} leaks {m!r}"


def test_no_reporter_data_in_public_responses_exports_or_logs(world, caplog):
    caplog.set_level(logging.DEBUG)
    w = world
    today = timezone.localdate()
    w.campaign.stationing_start = today - dt.timedelta(days=3)
    w.campaign.stationing_end = today + dt.timedelta(days=20)
    w.campaign.save()
    public = Client()
    r = public.post(
        "/public/report/hn-2-yueyang/",
        {
            "text": f"我叫{NAMES[0]}，电话{PHONES[0]}，平江县某化工厂夜间偷排废水，河水发黑发臭",
            "address": "岳阳市平江县城关镇",
            "reporter_name": NAMES[0],
            "reporter_phone": PHONES[0],
        },
    )
    assert r.status_code == 302
    web = Complaint.objects.get()
    receipt_page = public.get(r["Location"])
    _assert_clean("receipt", receipt_page.content.decode())
    api = APIClient()
    api.force_authenticate(w.inspector)
    r = api.post(
        "/api/v1/complaints/",
        {
            "campaign": "hn-2-yueyang",
            "channel": "phone",
            "text": f"联系人{NAMES[1]}反映：平江县化工厂偷排废水 {PHONES[1]}",
            "address": "岳阳市平江县",
            "reporter_name": NAMES[1],
            "reporter_phone": PHONES[1],
        },
        format="json",
    )
    assert r.status_code == 201
    # The team's own answer carries the complaint text as received (the reporter wrote their name into it), masks otherwise.
    _assert_clean("API create answer", r.content.decode().replace(r.json()["text"], ""))
    phone = Complaint.objects.get(channel="phone")
    case = actions.accept_complaint(web, actor=w.inspector, is_key=True)
    case2 = actions.accept_complaint(phone, actor=w.inspector)
    batch = actions.close_intake_day(w.campaign, max(web.intake_day, phone.intake_day), actor=w.inspector)
    actions.transfer_batch(batch, actor=w.team_leader)
    for c in (case, case2):
        c.refresh_from_db()
        actions.dispatch_case(c, actor=w.liaison_a, unit=w.county_a)
        actions.reply_case(c, actor=w.handler_a, summary="经查属实", verdict="true", status="closed")
        actions.review_case(c, actor=w.inspector, accept=True)
    table = actions.publish_batch(batch, actor=w.team_leader)
    _assert_clean("frozen table rows", str(table.rows))
    # Public pages.
    for url in ["/public/", "/public/results/", f"/public/results/{table.pk}/", "/public/report/hn-2-yueyang/"]:
        resp = public.get(url)
        assert resp.status_code == 200
        _assert_clean(url, _text_of(resp))
    resp = public.post("/public/track/", {"receipt_code": web.receipt_code, "secret": web.tracking_secret})
    assert case.number in resp.content.decode()
    _assert_clean("tracking page", resp.content.decode())
    resp = public.post("/public/report/hn-2-yueyang/similar/", {"text": "平江县某化工厂夜间偷排废水，河水发黑发臭"})
    _assert_clean("similar hint", resp.content.decode())
    # Exports and the handling side (liaison and handler never see the reporter).
    staff = Client()
    for user in (w.liaison_a, w.handler_a):
        staff.force_login(user)
        for url in [
            f"/complaints/batches/{batch.pk}/notice/{w.city_a.pk}.xlsx",
            f"/complaints/batches/{batch.pk}/notice/{w.city_a.pk}.docx",
            f"/complaints/batches/{batch.pk}/",
            f"/complaints/cases/{case.pk}/",
            f"/complaints/cases/{case.pk}/file.zip",
            "/complaints/cases/",
            "/complaints/bulletin/?campaign=hn-2-yueyang",
            f"/api/v1/cases/{case.pk}/",
            "/api/v1/cases/",
            f"/api/v1/batches/{batch.pk}/disclosures/",
            f"/api/v1/batches/{batch.pk}/notice/?unit={w.city_a.code}&kind=xlsx",
        ]:
            resp = staff.get(url)
            if resp.status_code == 404 and user == w.handler_a and "notice" in url:
                continue
            assert resp.status_code == 200, (user, url, resp.status_code)
            _assert_clean(f"{user} {url}", _text_of(resp))
    # Team pages show masks only; the audit log holds no clear text either.
    staff.force_login(w.inspector)
    for url in [f"/complaints/{web.pk}/", "/complaints/", f"/api/v1/complaints/{phone.pk}/"]:
        _assert_clean(f"team {url}", _text_of(staff.get(url)).replace(web.text, "").replace(phone.text, ""))
    from inspectorate.audit.models import AuditEvent

    for ev in AuditEvent.objects.all():
        _assert_clean(f"audit {ev.verb}", f"{ev.before} {ev.after} {ev.reason} {ev.object_repr}")
    # Open311 (if present): its answers must not carry reporter data either.
    for url in [
        "/open311/v2/requests.json?jurisdiction_id=hn-2-yueyang",
        "/open311/v2/requests.xml?jurisdiction_id=hn-2-yueyang",
    ]:
        resp = public.get(url)
        if resp.status_code == 200:
            _assert_clean(url, _text_of(resp).replace(web.text, "").replace(phone.text, ""))
    _assert_clean("logs", caplog.text)
