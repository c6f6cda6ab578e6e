"""Self-inspections: checklists, campaigns over units, filled checklists (API and the phone page); failed items → dangers."""

from __future__ import annotations

import base64
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.hazards.models import Answer, ChecklistRun, HiddenDanger, SelfInspection
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .conftest import PNG


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def answers(checklist, *, fail: int | None = 1, photo_for: tuple[int, ...] = (1, 3)) -> list[dict]:  # type: ignore[no-untyped-def]
    out = []
    for it in checklist.items.all():
        row = {"item": str(it.pk), "result": "fail" if it.position == fail else "pass", "note": ""}
        if it.position == fail:
            row["note"] = "布袋除尘器压差异常，排口可见烟尘"
        if it.position in photo_for:
            row["photo_name"] = f"item{it.position}.png"
            row["photo_base64"] = base64.b64encode(PNG).decode()
        out.append(row)
    return out


def test_checklist_create_by_api_and_read_below(tree):
    body = {
        "owner_unit": str(tree.g.pk),
        "title": "集团自查表",
        "items": [
            {"category": "air", "requirement": "无组织排放受控", "legal_basis": "大气法", "weight": 30},
            {"category": "water", "requirement": "雨污分流", "weight": 70},
        ],
    }
    r = client_for(tree.u("g_liaison")).post("/api/v1/checklists/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert [i["position"] for i in r.json()["items"]] == [1, 2]
    # A plant below the group reads the group's checklist; another group does not.
    assert len(client_for(tree.u("p1_officer")).get("/api/v1/checklists/").json()["results"]) == 1
    assert client_for(tree.u("x_officer")).get("/api/v1/checklists/").json()["results"] == []
    # A plant cannot keep the group's checklists; an empty checklist is refused.
    r = client_for(tree.u("p1_officer")).post("/api/v1/checklists/", body, content_type="application/json")
    assert r.status_code == 400 and "owner_unit" in r.json()
    r = client_for(tree.u("g_liaison")).post("/api/v1/checklists/", {**body, "items": []}, content_type="application/json")
    assert r.status_code == 400


def test_self_inspection_scope_units_stay_under_the_organiser(tree):
    checklist = tree.checklist()
    c = client_for(tree.u("s1_officer"))
    body = {
        "organiser": str(tree.s1.pk),
        "title": "子公司自查",
        "checklist": str(checklist.pk),
        "scope_units": [str(tree.p1.pk)],
        "start_date": today().isoformat(),
        "end_date": today().isoformat(),
    }
    assert c.post("/api/v1/self-inspections/", body, content_type="application/json").status_code == 201
    # The group's liaison may name the other subsidiary's plant, the subsidiary may not (it does not even see it).
    r = c.post("/api/v1/self-inspections/", {**body, "scope_units": [str(tree.p3.pk)]}, content_type="application/json")
    assert r.status_code == 400
    r = client_for(tree.u("g_liaison")).post(
        "/api/v1/self-inspections/", {**body, "organiser": str(tree.s1.pk), "scope_units": [str(tree.p3.pk)]},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 400 and "scope_units" in r.json()
    r = c.post("/api/v1/self-inspections/", {**body, "end_date": "2000-01-01"}, content_type="application/json")
    assert r.status_code == 400
    assert SelfInspection.objects.count() == 1


def test_submit_turns_each_failed_item_into_a_linked_hidden_danger(tree):
    insp = tree.inspection()
    url = f"/api/v1/self-inspections/{insp.pk}/submit/"
    body = {"unit": str(tree.p1.pk), "answers": answers(insp.checklist), "lat": "37.8", "lon": "112.5"}
    r = client_for(tree.u("p1_officer")).post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="run-1")
    assert r.status_code == 201, r.content
    run = ChecklistRun.objects.get()
    failed = Answer.objects.get(run=run, result="fail")
    danger = HiddenDanger.objects.get()
    assert failed.hidden_danger == danger and danger.origin_answer == failed
    assert danger.unit == tree.p1 and danger.category == "facility" and danger.found_by == tree.u("p1_officer")
    assert danger.evidence.get().sha256 == failed.photo_sha256
    assert r.json()["hidden_dangers"] == [str(danger.pk)]
    assert AuditEvent.objects.filter(verb="checklist_run.submit", object_id=str(run.pk)).count() == 1
    assert AuditEvent.objects.filter(verb="hidden_danger.create", object_id=str(danger.pk)).exists()
    # The same key again: the first result, nothing new.
    again = client_for(tree.u("p1_officer")).post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="run-1")
    assert again.status_code == 201 and again.json()["id"] == str(run.pk)
    assert ChecklistRun.objects.count() == 1 and HiddenDanger.objects.count() == 1


def test_answers_without_required_photos_save_nothing(tree):
    insp = tree.inspection()
    url = f"/api/v1/self-inspections/{insp.pk}/submit/"
    body = {"unit": str(tree.p1.pk), "answers": answers(insp.checklist, photo_for=())}
    r = client_for(tree.u("p1_officer")).post(url, body, content_type="application/json")
    assert r.status_code == 400
    errors = r.json()["answers"]
    assert any("Item 1 failed: take a photo" in e for e in errors)
    assert any("Item 3 needs a photo" in e for e in errors)
    missing = {"unit": str(tree.p1.pk), "answers": answers(insp.checklist)[:2]}
    r = client_for(tree.u("p1_officer")).post(url, missing, content_type="application/json")
    assert r.status_code == 400 and "missing: 3" in str(r.json())
    assert not ChecklistRun.objects.exists() and not Answer.objects.exists() and not HiddenDanger.objects.exists()


def test_a_plant_fills_only_for_itself(tree):
    insp = tree.inspection()
    url = f"/api/v1/self-inspections/{insp.pk}/submit/"
    body = {"unit": str(tree.p2.pk), "answers": answers(insp.checklist)}
    r = client_for(tree.u("p1_officer")).post(url, body, content_type="application/json")
    assert r.status_code == 400 and "unit" in r.json()
    assert not ChecklistRun.objects.exists()


def test_matrix_of_the_self_inspection_endpoints(tree):
    insp = tree.inspection()
    assert_matrix(
        f"/api/v1/self-inspections/{insp.pk}/",
        allowed=[tree.u("s1_officer"), tree.u("p1_officer"), tree.u("g_liaison"), tree.u("g_auditor")],
        out_of_scope=[tree.u("s2_officer"), tree.u("x_officer")],
    )
    assert_matrix(
        f"/api/v1/self-inspections/{insp.pk}/submit/",
        method="post",
        data={"unit": str(tree.p1.pk), "answers": answers(insp.checklist)},
        allowed=[tree.u("p1_officer")],
        out_of_scope=[tree.u("s2_officer"), tree.u("x_officer")],
        forbidden=[tree.u("p1_handler")],
    )
    assert_matrix(
        "/api/v1/self-inspections/",
        method="post",
        data={
            "organiser": str(tree.s1.pk),
            "title": "t",
            "checklist": str(insp.checklist_id),
            "scope_units": [str(tree.p1.pk)],
            "start_date": today().isoformat(),
            "end_date": today().isoformat(),
        },
        allowed=[tree.u("s1_officer")],
    )
    assert_matrix(f"/api/v1/checklists/{insp.checklist_id}/", allowed=[tree.u("p1_officer")], out_of_scope=[tree.u("x_officer")])


def test_the_phone_page_saves_a_checklist_and_refuses_missing_photos(tree):
    insp = tree.inspection()
    url = f"/hazards/self-inspections/{insp.pk}/fill/"
    c = client_for(tree.u("p1_officer"))
    page = c.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'capture="environment"' in html and 'name="viewport"' in html and "geo-button" in html
    items = list(insp.checklist.items.all())
    form = {"unit": str(tree.p1.pk), "idempotency_key": "page-1"}
    for it in items:
        form[f"result_{it.pk}"] = "fail" if it.position == 2 else "pass"
    form[f"note_{items[1].pk}"] = "沉淀池溢流"
    r = c.post(url, form)
    assert r.status_code == 400
    assert "Item 2 failed: take a photo" in r.content.decode() and "Item 3 needs a photo" in r.content.decode()
    assert not ChecklistRun.objects.exists()
    form[f"photo_{items[1].pk}"] = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    form[f"photo_{items[2].pk}"] = SimpleUploadedFile("b.png", PNG, content_type="image/png")
    form[f"major_{items[1].pk}"] = "1"
    r = c.post(url, form)
    assert r.status_code == 302
    danger = HiddenDanger.objects.get()
    assert danger.level == "major" and danger.supervising_unit == tree.s1 and danger.description == "沉淀池溢流"
    detail = c.get(f"/hazards/self-inspections/{insp.pk}/").content.decode()
    assert danger.number in detail


def test_matrix_of_the_self_inspection_pages(tree):
    insp = tree.inspection()
    assert_matrix(
        f"/hazards/self-inspections/{insp.pk}/fill/",
        api=False,
        allowed=[tree.u("p1_officer"), tree.u("s1_officer")],
        out_of_scope=[tree.u("s2_officer"), tree.u("x_officer")],
        forbidden=[tree.u("p1_handler"), tree.u("g_auditor")],
    )
    assert_matrix(
        f"/hazards/self-inspections/{insp.pk}/",
        api=False,
        allowed=[tree.u("p1_officer"), tree.u("g_auditor")],
        out_of_scope=[tree.u("s2_officer"), tree.u("x_officer")],
    )
    assert_matrix("/hazards/self-inspections/", api=False, allowed=[tree.u("x_officer"), tree.u("p1_officer")])
    assert_matrix(
        f"/hazards/checklists/{insp.checklist_id}/", api=False, allowed=[tree.u("p1_officer")], out_of_scope=[tree.u("x_officer")]
    )


def test_multipart_submit_with_photo_files(tree):
    insp = tree.inspection()
    items = list(insp.checklist.items.all())
    rows = [{"item": str(it.pk), "result": "pass"} for it in items]
    r = client_for(tree.u("p1_officer")).post(
        f"/api/v1/self-inspections/{insp.pk}/submit/",
        {"unit": str(tree.p1.pk), "answers": json.dumps(rows), f"photo_{items[2].pk}": SimpleUploadedFile("c.png", PNG)},
    )
    assert r.status_code == 201, r.content
    assert HiddenDanger.objects.count() == 0


def test_open_a_self_inspection_from_the_page(tree):
    checklist = tree.checklist()
    url = "/hazards/self-inspections/new/"
    assert_matrix(
        url, api=False, allowed=[tree.u("s1_officer"), tree.u("g_liaison")], forbidden=[tree.u("g_auditor"), tree.u("p1_handler")]
    )
    c = client_for(tree.u("s1_officer"))
    form = {
        "organiser": str(tree.s1.pk), "title": "子公司迎检自查", "checklist": str(checklist.pk),
        "scope_units": [str(tree.p1.pk), str(tree.p2.pk)], "start_date": today().isoformat(), "end_date": today().isoformat(),
    }  # fmt: skip
    r = c.post(url, form)
    assert r.status_code == 302
    insp = SelfInspection.objects.get(title="子公司迎检自查")
    assert set(insp.scope_units.all()) == {tree.p1, tree.p2}
    # The group names a unit outside the organiser's subtree: refused with the reason, nothing saved.
    r = client_for(tree.u("g_liaison")).post(url, {**form, "title": "越界", "scope_units": [str(tree.p3.pk)]})
    assert r.status_code == 400 and "Only units under" in r.content.decode()
    assert not SelfInspection.objects.filter(title="越界").exists()
