"""Admin edits are audited, and object pages show their timeline."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.audit.chain import verify
from inspectorate.audit.models import AuditEvent
from inspectorate.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def test_admin_change_writes_an_audit_event(world):
    c = Client()
    c.force_login(world.admin)
    url = f"/admin/orgs/orgunit/{world.county_a.pk}/change/"
    form = c.get(url)
    assert form.status_code == 200
    r = c.post(
        url,
        {
            "name_zh": "平江县",
            "name_en": "Pingjiang (edited)",
            "kind": "government",
            "unit_type": "county",
            "code": "430626",
            "parent": str(world.city_a.pk),
            "boundary": "null",
            "active": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ev = AuditEvent.objects.filter(verb="orgunit.update", object_id=str(world.county_a.pk)).get()
    assert ev.after["name_en"] == "Pingjiang (edited)" and ev.before["name_en"] == "Pingjiang"
    assert ev.actor_id == world.admin.pk and ev.reason == "admin"
    assert verify().ok


def test_admin_calendar_override_create_and_delete_are_audited(world):
    c = Client()
    c.force_login(world.admin)
    r = c.post("/admin/core/calendaroverride/add/", {"date": "2027-10-01", "is_workday": "", "label": "国庆节"})
    assert r.status_code == 302
    o = CalendarOverride.objects.get(date="2027-10-01")
    assert AuditEvent.objects.filter(verb="calendaroverride.create", object_id=str(o.pk)).exists()
    r = c.post(f"/admin/core/calendaroverride/{o.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(verb="calendaroverride.delete", object_id=str(o.pk)).exists()


def test_audit_log_is_read_only_in_admin(world):
    c = Client()
    c.force_login(world.admin)
    assert c.get("/admin/audit/auditevent/").status_code == 200
    assert c.get("/admin/audit/auditevent/add/").status_code == 403


def test_unit_page_shows_its_timeline(world):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(world.admin)
    c.patch(f"/api/v1/org-units/{world.county_a.pk}/", {"name_en": "Pingjiang County"}, content_type="application/json")
    c.force_login(world.liaison_a)
    html = c.get(f"/orgs/units/{world.county_a.pk}/").content.decode()
    assert "Timeline" in html and "changed the organisation unit" in html and "org_unit.update" not in html and "admin" in html
