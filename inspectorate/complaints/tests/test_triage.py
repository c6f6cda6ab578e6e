"""Triage in the task worker (settings.INTAKE_TRIAGE = "worker") and in the request (the default)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from inspectorate.audit.chain import verify
from inspectorate.audit.models import AuditEvent
from inspectorate.complaints import actions
from inspectorate.complaints.actions.triage import pending
from inspectorate.complaints.models import Complaint, DedupKey
from inspectorate.complaints.tasks import triage_complaint

from .conftest import at, submit

FIRST = "长岭精细化工晚上往松阳湖排污，湖水都变黑了，臭味很大"
RETOLD = "云溪区长岭街道一家化工厂每天半夜偷偷往松阳湖排废水，湖水发黑发臭"


def _events(verb: str, c: Complaint) -> int:
    return AuditEvent.objects.filter(verb=verb, object_id=str(c.pk)).count()


def _run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_inline_triage_is_the_default_and_queues_nothing(world):
    c = submit(world)
    assert c.triaged_at is not None and c.jurisdiction == world.county_a
    assert not DBTaskResult.objects.exists()
    ev = AuditEvent.objects.get(verb="complaint.receive", object_id=str(c.pk))
    assert ev.after["jurisdiction"] == str(world.county_a.pk) and ev.after["route_method"] == "address"
    assert _events("complaint.triage", c) == 0


def test_worker_triages_what_the_api_stored(live_world, settings):
    """The request stores the complaint and a task row; the real task worker classifies, routes and checks it."""
    settings.INTAKE_TRIAGE = "worker"
    world = live_world
    client = APIClient()
    client.force_authenticate(world.inspector)
    body = {"campaign": world.campaign.code, "channel": "phone", "received_at": at(3).isoformat(), "address": "岳阳市平江县"}
    first_body = {**body, "text": FIRST, "lat": 29.4801, "lon": 113.4102, "polluter_name": "长岭精细化工有限公司"}
    retold = {**body, "text": RETOLD, "lat": 29.4823, "lon": 113.4131, "polluter_name": "长岭精细化工"}
    r1 = client.post("/api/v1/complaints/", first_body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert r1.status_code == 201, r1.content
    out = r1.json()
    assert out["triaged_at"] is None and out["jurisdiction"] is None and out["similar"] == []
    r2 = client.post("/api/v1/complaints/", {**retold, "received_at": at(3, 11).isoformat()}, format="json")
    again = client.post("/api/v1/complaints/", first_body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert again.status_code == 201 and again.json()["id"] == out["id"]
    assert DBTaskResult.objects.count() == 2  # the retried request queued nothing
    assert pending().count() == 2 and not DedupKey.objects.exists()

    _run_worker()

    first, second = Complaint.objects.get(pk=out["id"]), Complaint.objects.get(pk=r2.json()["id"])
    assert first.triaged_at and second.triaged_at and not pending().exists()
    assert first.jurisdiction == world.county_a and first.route_method == "address"
    assert "water" in first.pollution_types
    assert [i for i, _s in second.similar] == [str(first.pk)]  # triaged in received order: the retelling finds the first
    assert DedupKey.objects.filter(complaint=first).exists() and DedupKey.objects.filter(complaint=second).exists()
    assert _events("complaint.triage", first) == 1 and _events("complaint.receive", first) == 1
    shown = client.get(f"/api/v1/complaints/{first.pk}/").json()
    assert shown["jurisdiction"] == str(world.county_a.pk) and shown["triaged_at"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_the_triage_lock_leaves_the_campaign_row_free(world, settings):
    """Intake commits take a key-share lock on the campaign row; triage must not hold it (a deadlock on PostgreSQL
    between the worker and the requests, seen under load)."""
    import threading

    from django.db import connection, transaction

    from inspectorate.campaigns.models import Campaign
    from inspectorate.complaints.actions.triage import lock

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    settings.INTAKE_TRIAGE = "worker"
    c = submit(world)
    outcome: list[str] = []

    def other() -> None:
        from django.db import DatabaseError, connections

        try:
            with transaction.atomic():
                Campaign.objects.select_for_update(nowait=True).get(pk=world.campaign.pk)
            outcome.append("free")
        except DatabaseError as exc:
            outcome.append(f"locked: {exc}")
        finally:
            connections.close_all()

    with transaction.atomic():
        assert lock(c.pk) is not None
        t = threading.Thread(target=other)
        t.start()
        t.join(30)
    assert outcome == ["free"]


@pytest.mark.django_db
def test_screening_a_waiting_complaint_triages_it_first_and_once(world, settings):
    settings.INTAKE_TRIAGE = "worker"
    c = submit(world)
    assert c.triaged_at is None and c.jurisdiction is None
    case = actions.accept_complaint(c, actor=world.inspector)
    assert case.region == world.county_a and "water" in case.pollution_types  # routed before the case was registered
    assert triage_complaint.call(str(c.pk)) is False  # the queued task finds nothing left to do
    assert _events("complaint.triage", c) == 1


@pytest.mark.django_db
def test_a_manual_routing_is_never_overwritten_by_the_worker(world, settings):
    settings.INTAKE_TRIAGE = "worker"
    c = submit(world)
    actions.set_jurisdiction(c, actor=world.inspector, unit=world.city_a, reason="on the border")
    assert triage_complaint.call(str(c.pk)) is False
    c.refresh_from_db()
    assert c.jurisdiction == world.city_a and c.route_method == "manual"


@pytest.mark.django_db
def test_an_aborted_import_leaves_no_task_behind(world, settings):
    """The task row is written in the transaction that stores the complaint: all-or-nothing holds for both."""
    settings.INTAKE_TRIAGE = "worker"
    rows = "received_at,text,address\n" + f"{at(3):%Y-%m-%d} 09:10,平江县某化工厂偷排废水,岳阳市平江县\n"
    rows += f"{at(3):%Y-%m-%d} 09:20,短,岳阳市平江县\n"
    report = actions.import_calls(world.campaign, rows.encode(), "calls.csv", actor=world.inspector)
    assert report.errors and report.created == 0
    assert not Complaint.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_triage_pending_command_drains_the_queue(world, settings):
    settings.INTAKE_TRIAGE = "worker"
    a = submit(world)
    b = submit(world, text="云溪区工业园区夜间臭气扰民，居民无法开窗", address="岳阳市云溪区", received_at=at(3, 12))
    out = io.StringIO()
    call_command("triage_pending", campaign=world.campaign.code, stdout=out)
    assert "triaged 2 complaint(s); 0 still waiting" in out.getvalue()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.jurisdiction == world.county_a and b.triaged_at is not None
    out = io.StringIO()
    call_command("triage_pending", stdout=out)
    assert "triaged 0 complaint(s)" in out.getvalue()


@pytest.mark.django_db
def test_pages_say_what_is_still_waiting(world, settings, client):
    settings.INTAKE_TRIAGE = "worker"
    c = submit(world)
    client.force_login(world.inspector)
    page = client.get(f"/complaints/{c.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="triage-pending"' in page
    queue = client.get(
        f"/complaints/merge-queue/?campaign={world.campaign.code}&day={c.intake_day:%Y-%m-%d}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert 'id="untriaged"' in queue and "等待" in queue
    call_command("triage_pending", stdout=io.StringIO())
    assert 'id="triage-pending"' not in client.get(f"/complaints/{c.pk}/").content.decode()


def test_intake_triage_setting_is_checked():
    import os
    import subprocess
    import sys

    from django.conf import settings as conf

    env = {**os.environ, "INTAKE_TRIAGE": "later", "DEBUG": "1"}
    r = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='inspectorate.settings'; django.setup()"],
        env=env, capture_output=True, text=True, cwd=conf.BASE_DIR,
    )  # fmt: skip
    assert r.returncode != 0 and "INTAKE_TRIAGE must be 'inline' or 'worker'" in r.stderr
