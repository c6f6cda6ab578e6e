"""The demo scenario: loads, is idempotent, and leaves an intact audit chain that detects tampering."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from inspectorate.audit.chain import verify
from inspectorate.audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "admin", "contenttypes", "django_tasks_database"}
    }


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_audited():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "hn2_leader" in text and "inspect-2026" in text
    from inspectorate.demo.open311_keys import DEMO_OPEN311_KEY

    assert DEMO_OPEN311_KEY in text  # printed with the logins, on every run
    first = _counts()
    assert first["campaigns.Campaign"] >= 7 and first["orgs.OrgUnit"] >= 40
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    assert verify().ok
    # The day's audit head is anchored (once), so the public anchors page starts with a line.
    from inspectorate.audit.anchors import verify_anchored
    from inspectorate.audit.models import AuditAnchor

    assert AuditAnchor.objects.count() == 1 and "audit anchor" in text and verify_anchored().ok
    # The five scenarios' campaigns exist with their real dates.
    from inspectorate.campaigns.models import Campaign

    chinalco = Campaign.objects.get(code="c2-4-chinalco")
    assert (str(chinalco.stationing_start), str(chinalco.stationing_end), str(chinalco.feedback_date)) == (
        "2020-08-31",
        "2020-09-30",
        "2021-02-01",
    )
    assert Campaign.objects.get(code="hn-lookback-yueyang").is_intake_open()
    # The Hunan office opens campaigns and edits its own; its team leader edits the team's fields.
    from django.test import Client as PageClient

    from inspectorate.accounts.models import User

    office = PageClient()
    office.force_login(User.objects.get(username="hn_office"))
    yueyang = Campaign.objects.get(code="hn-2-yueyang")
    assert office.get("/campaigns/new/").status_code == 200
    assert office.get(f"/campaigns/{yueyang.pk}/edit/").status_code == 200
    assert office.get(f"/campaigns/{chinalco.pk}/edit/").status_code == 404
    # The demo Open311 key posts to the live look-back.
    from django.test import Client

    r = Client().post(
        "/open311/v2/requests.json",
        {"api_key": DEMO_OPEN311_KEY, "service_code": "noise", "address_string": "岳阳市岳阳楼区",
         "description": "工地夜间施工噪音扰民，凌晨还在打桩"},
    )  # fmt: skip
    assert r.status_code == 200, r.content
    # Tampering is detected.
    ev = AuditEvent.objects.order_by("seq")[10]
    AuditEvent.objects.filter(pk=ev.pk).update(reason="edited")
    assert verify().broken_seq == ev.seq


@pytest.mark.wall_clock
@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="file copy check runs in the SQLite pass")
def test_verify_audit_cli_on_demo_and_on_a_tampered_copy(migrated_sqlite, tmp_path):
    db = migrated_sqlite
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db}"}

    def manage(*args: str, database: Path = db) -> subprocess.CompletedProcess[str]:
        e = {**env, "DATABASE_URL": f"sqlite:///{database}"}
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=e, capture_output=True, text=True, timeout=600, check=False
        )

    assert manage("load_demo").returncode == 0
    ok = manage("verify_audit")
    assert ok.returncode == 0, ok.stderr
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(db, copy)
    con = sqlite3.connect(copy)
    con.execute("UPDATE audit_auditevent SET reason = 'back-dated' WHERE seq = 5")
    con.commit()
    con.close()
    bad = manage("verify_audit", database=copy)
    assert bad.returncode != 0
    assert "#5" in bad.stderr
    # The original is untouched and still verifies.
    assert manage("verify_audit").returncode == 0
