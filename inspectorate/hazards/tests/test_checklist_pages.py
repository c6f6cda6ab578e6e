"""Checklist templates from pages and the API: create with items, edit (reword, reorder, add, remove) as a whole,
answered items kept, audited; the owner unit (and above) manages, the units below only read."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.hazards import actions
from inspectorate.hazards.actions.selfcheck import Reply
from inspectorate.hazards.models import ChecklistItem, ChecklistTemplate
from inspectorate.testing.matrix import assert_matrix

from .conftest import PNG

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _rows(items, existing=0):  # type: ignore[no-untyped-def]
    data = {"items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": str(existing)}
    for n, item in enumerate(items):
        data.update({f"items-{n}-{k}": v for k, v in item.items() if v is not None})
    return data


def test_new_checklist_page(tree):
    assert_matrix("/hazards/checklists/new/", api=False, forbidden=[tree.u("p1_handler")], allowed=[tree.u("g_liaison")])
    body = {
        "owner_unit": tree.s1.pk, "title": "煤矿环保自查表", "description": "季度",
        **_rows([
            {"category": "air", "requirement": "储煤场全封闭", "legal_basis": "大气法第七十二条", "weight": 30},
            {"category": "", "requirement": "", "legal_basis": "", "weight": "1"},  # an empty row is skipped
            {"category": "monitoring", "requirement": "在线监测正常", "weight": 10, "photo_required": "on"},
        ]),
    }  # fmt: skip
    r = _client(tree.u("s1_officer")).post("/hazards/checklists/new/", body)
    assert r.status_code == 302
    t = ChecklistTemplate.objects.get(title="煤矿环保自查表")
    assert [(i.position, i.requirement, i.weight, i.photo_required) for i in t.items.all()] == [
        (1, "储煤场全封闭", 30, False), (2, "在线监测正常", 10, True)
    ]  # fmt: skip
    assert t.owner_unit == tree.s1
    # No item at all: refused, nothing saved.
    r = _client(tree.u("s1_officer")).post("/hazards/checklists/new/", {**body, "title": "空表", **_rows([])})
    assert r.status_code == 400 and "at least one item" in r.content.decode()
    assert not ChecklistTemplate.objects.filter(title="空表").exists()


def test_edit_checklist_page_keeps_answered_items(tree):
    checklist = tree.checklist()
    url = f"/hazards/checklists/{checklist.pk}/edit/"
    # The units below read the group's checklist but do not edit it; another group does not see it.
    assert_matrix(
        url, api=False, out_of_scope=[tree.u("x_officer")], forbidden=[tree.u("p1_officer")], allowed=[tree.u("g_liaison")]
    )
    page = _client(tree.u("p1_officer")).get(f"/hazards/checklists/{checklist.pk}/").content.decode()
    assert url not in page
    assert url in _client(tree.u("g_liaison")).get(f"/hazards/checklists/{checklist.pk}/").content.decode()
    insp = tree.inspection(checklist)
    first, second, third = checklist.items.all()
    actions.submit_checklist(
        insp, actor=tree.u("p1_officer"), unit=tree.p1,
        replies=[Reply(item=first, result="pass"), Reply(item=second, result="pass"),
                 Reply(item=third, result="pass", photo=("p.png", PNG))],
    )  # fmt: skip
    keep = [
        {
            "id": str(third.pk),
            "category": "monitoring",
            "requirement": "在线监测数据正常传输",
            "weight": 5,
            "photo_required": "on",
        },
        {"id": str(first.pk), "category": "facility", "requirement": "除尘设施正常运行", "legal_basis": "大气法", "weight": 15},
    ]
    # Removing the answered "废水不外排" is refused: nothing changes.
    c = _client(tree.u("g_liaison"))
    r = c.post(url, {"title": "环保设施自查表（修订）", **_rows(keep, existing=2)})
    assert r.status_code == 400 and "废水不外排" in r.content.decode()
    checklist.refresh_from_db()
    assert checklist.title == "环保设施自查表" and checklist.items.count() == 3
    # Reword, reorder, add one; the answered item stays (ticked "Remove" would be refused as well).
    rows = [*keep, {"id": str(second.pk), "category": "water", "requirement": "废水不外排", "weight": 20},
            {"category": "solid_waste", "requirement": "危废规范贮存", "weight": 10}]  # fmt: skip
    r = c.post(url, {"title": "环保设施自查表（修订）", "description": "", **_rows(rows, existing=3)})
    assert r.status_code == 302, r.content.decode()[:2000]
    checklist.refresh_from_db()
    assert checklist.title == "环保设施自查表（修订）"
    assert [(i.position, i.requirement, i.weight) for i in checklist.items.all()] == [
        (1, "在线监测数据正常传输", 5), (2, "除尘设施正常运行", 15), (3, "废水不外排", 20), (4, "危废规范贮存", 10)
    ]  # fmt: skip
    assert checklist.items.get(pk=third.pk).position == 1  # the same row, answers still point at it
    ev = AuditEvent.objects.filter(verb="checklist.update").get()
    assert ev.before["items"][0][2] == "除尘设施正常运行" and ev.after["items"][0][2] == "在线监测数据正常传输"


def test_edit_checklist_api(tree):
    checklist = tree.checklist()
    first = checklist.items.first()
    body = {
        "title": "环保设施自查表", "description": "",
        "items": [{"id": str(first.pk), "category": "facility", "requirement": "除尘设施正常运行（含备用）", "weight": 12}],
    }  # fmt: skip
    (r,) = assert_matrix(
        f"/api/v1/checklists/{checklist.pk}/edit/", method="post", data=body, out_of_scope=[tree.u("x_officer")],
        forbidden=[tree.u("p1_officer"), tree.u("g_auditor")], allowed=[tree.u("g_liaison")],
    )  # fmt: skip
    assert [(i["position"], i["requirement"], i["weight"]) for i in r.json()["items"]] == [(1, "除尘设施正常运行（含备用）", 12)]
    assert ChecklistItem.objects.filter(template=checklist).count() == 1
    # An item of another checklist, or a negative weight: refused, nothing saved.
    other = tree.checklist().items.first()
    bad = {**body, "items": [{"id": str(other.pk), "category": "air", "requirement": "x"}]}
    r = _client(tree.u("g_liaison")).post(f"/api/v1/checklists/{checklist.pk}/edit/", bad, content_type="application/json")
    assert r.status_code == 400 and "items[1]" in r.json()
    r = _client(tree.u("g_liaison")).post(
        f"/api/v1/checklists/{checklist.pk}/edit/", {**body, "items": []}, content_type="application/json"
    )
    assert r.status_code == 400
    assert checklist.items.get().requirement == "除尘设施正常运行（含备用）"
