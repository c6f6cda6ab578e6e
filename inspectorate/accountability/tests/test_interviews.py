"""Interviews (约谈) through the API: scheduling with the 30-day report, minutes, report, verification, disclosure,
warnings, bad input and the permission matrix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.accountability import deadlines
from inspectorate.accountability.models import Interview, InterviewWarning
from inspectorate.audit.models import AuditEvent as Event
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

URL = "/api/v1/interviews/"


def body(acc, **kw):
    w = acc.w
    data = {
        "campaign": str(w.campaign.pk),
        "title": "约谈平江县政府",
        "reason": "lagging_rectification",
        "interview_date": str(today() - dt.timedelta(days=2)),
        "units": [str(w.county_a.pk)],
        "persons": [{"leader": str(acc.leader.pk)}, {"name": "王某", "post": "生态环境局局长", "unit": str(w.county_a.pk)}],
        "requirements": "30日内报送整改情况",
    }
    data.update(kw)
    return data


def create(acc, **kw):
    r = acc.api(acc.w.inspector).post(URL, body(acc, **kw), format="json")
    assert r.status_code == 201, r.content
    return Interview.objects.get(pk=r.json()["id"])


def test_create_defaults_report_due_30_days_and_is_idempotent(acc):
    c = acc.api(acc.w.inspector)
    r = c.post(URL, body(acc), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["report_due"] == str(today() - dt.timedelta(days=2) + dt.timedelta(days=30))
    assert sorted(p["name"] for p in data["persons"]) == ["李某某", "王某"]
    assert data["status"] == "scheduled" and data["published"] is False
    again = c.post(URL, body(acc), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json()["id"] == data["id"]
    assert Interview.objects.count() == 1
    other = c.post(URL, body(acc, title="另一个"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["original"] == data["id"]
    assert Event.objects.filter(verb="interview.create", object_id=data["id"]).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"report_due": str(today() - dt.timedelta(days=10))}, "report_due"),
        ({"units": []}, "units"),
        ({"persons": [{"name": "", "post": "x"}]}, "persons"),
        ({"persons": [{"name": "张某", "unit": "CITY_B"}]}, "persons"),
        ({"reason": "bored"}, "reason"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(acc, change, field):
    if change.get("persons") and change["persons"][0].get("unit") == "CITY_B":
        change = {"persons": [{"name": "张某", "unit": str(acc.w.city_a.pk)}]}  # a unit not interviewed
    r = acc.api(acc.w.inspector).post(URL, body(acc, **change), format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert Interview.objects.count() == 0


def test_units_outside_the_campaign_targets_are_refused(acc, client):
    acc.w.admin.is_superuser = True
    r = acc.api(acc.w.admin).post(URL, body(acc, units=[str(acc.w.city_b.pk)], persons=[]), format="json")
    assert r.status_code == 400 and "units" in r.json()


def test_flow_minutes_report_verify_publish(acc):
    i = create(acc)
    c = acc.api(acc.w.inspector)
    r = c.post(f"{URL}{i.pk}/minutes/", {"minutes": "听取汇报，提出要求"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "held"
    # the interviewed county's parent liaison office files the report
    liaison = acc.api(acc.w.liaison_a)
    bad = liaison.post(f"{URL}{i.pk}/report/", {"file": SimpleUploadedFile("r.exe", b"MZ...")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()
    empty = liaison.post(f"{URL}{i.pk}/report/", {"file": SimpleUploadedFile("r.pdf", b"")}, format="multipart")
    assert empty.status_code == 400
    r = liaison.post(f"{URL}{i.pk}/report/", {"file": SimpleUploadedFile("报告.pdf", b"%PDF-1.4 report")}, format="multipart")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "report_received" and r.json()["has_report_file"] is True
    assert len(r.json()["report_sha256"]) == 64
    twice = liaison.post(f"{URL}{i.pk}/report/", {"file": SimpleUploadedFile("b.pdf", b"%PDF x")}, format="multipart")
    assert twice.status_code == 400  # no longer at this step
    no_note = c.post(f"{URL}{i.pk}/verify/", {"result": "unsatisfactory"}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()
    r = c.post(f"{URL}{i.pk}/verify/", {"result": "satisfactory"}, format="json")
    assert r.json()["status"] == "verified"
    r = c.post(f"{URL}{i.pk}/publish/", {}, format="json")
    assert r.json()["published"] is True and r.json()["published_on"] == str(today())
    assert c.post(f"{URL}{i.pk}/publish/", {}, format="json").status_code == 400
    verbs = list(Event.objects.filter(object_id=str(i.pk)).order_by("seq").values_list("verb", flat=True))
    assert verbs == ["interview.create", "interview.minutes", "interview.report", "interview.verify", "interview.publish"]


def test_future_interview_cannot_be_minuted_or_published(acc):
    i = create(acc, interview_date=str(today() + dt.timedelta(days=3)))
    c = acc.api(acc.w.inspector)
    assert c.post(f"{URL}{i.pk}/minutes/", {"minutes": "x"}, format="json").status_code == 400
    assert c.post(f"{URL}{i.pk}/publish/", {}, format="json").status_code == 400


def test_warnings_yellow_then_red_recorded_once(acc):
    i = create(acc, interview_date=str(today() - dt.timedelta(days=26)))  # due in 4 days
    assert acc.api(acc.w.inspector).get(f"{URL}{i.pk}/").json()["warning"] == "yellow"
    assert deadlines.run(today()) == {"yellow": 1, "red": 0}
    assert deadlines.run(today()) == {"yellow": 0, "red": 0}
    assert deadlines.run(today() + dt.timedelta(days=5)) == {"yellow": 0, "red": 1}
    assert InterviewWarning.objects.filter(interview=i).count() == 2
    assert Event.objects.filter(verb="interview.deadline_warning").count() == 2
    r = acc.api(acc.w.inspector).get(URL, {"warning": "yellow"})
    assert [x["id"] for x in r.json()["results"]] == [str(i.pk)]
    assert acc.api(acc.w.inspector).get(URL, {"warning": "red"}).json()["results"] == []


def test_report_received_stops_warnings(acc):
    i = create(acc, interview_date=str(today() - dt.timedelta(days=40)))
    acc.api(acc.w.inspector).post(f"{URL}{i.pk}/minutes/", {"minutes": "m"}, format="json")
    acc.api(acc.w.inspector).post(f"{URL}{i.pk}/report/", {"file": SimpleUploadedFile("r.pdf", b"%PDF")}, format="multipart")
    assert deadlines.run(today()) == {"yellow": 0, "red": 0}


def test_permission_matrix(acc):
    w = acc.w
    i = create(acc)
    assert_matrix(
        URL + f"{i.pk}/",
        allowed=[w.inspector, w.team_leader, w.liaison_a, acc.discipline],
        out_of_scope=[w.liaison_b, w.outsider],
    )
    assert_matrix(
        URL,
        method="post",
        data=body(acc),
        allowed=[w.team_leader],
        forbidden=[],
        out_of_scope=[],
        ok=201,
    )
    # wrong role in scope: the target's liaison and the discipline officer may not schedule (campaign field → 400
    # for those who do not reach the campaign as the team; 403 for those who reach it without the permission)
    r = acc.api(w.liaison_a).post(URL, body(acc), format="json")
    assert r.status_code in (400, 403)
    assert Interview.objects.count() == 2
    assert_matrix(
        URL + f"{i.pk}/minutes/",
        method="post",
        data={"minutes": "m"},
        allowed=[w.inspector],
        forbidden=[w.liaison_a, acc.discipline],
        out_of_scope=[w.liaison_b, w.outsider],
    )
    assert_matrix(
        URL + f"{i.pk}/publish/",
        method="post",
        data={},
        allowed=[w.team_leader],
        forbidden=[w.liaison_a, w.auditor],
        out_of_scope=[w.liaison_b],
    )


def test_list_is_scoped(acc):
    create(acc)
    assert len(acc.api(acc.w.liaison_a).get(URL).json()["results"]) == 1
    assert acc.api(acc.w.liaison_b).get(URL).json()["results"] == []
    assert acc.api(acc.w.handler_a).get(URL).json()["results"] != []  # the interviewed county's own handler
    assert Client().get(URL).status_code == 401
