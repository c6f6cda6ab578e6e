from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.actions import IdempotencyConflict, reveal_reporter
from inspectorate.complaints.models import Complaint, ComplaintStatus

from .conftest import at, submit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def test_submit_classifies_routes_and_encrypts(world):
    c = submit(world)
    assert c.status == ComplaintStatus.RECEIVED
    assert "water" in c.pollution_types
    assert c.jurisdiction == world.county_a
    assert c.route_method == "address"
    assert len(c.receipt_code) == 10
    assert len(c.tracking_secret) == 6
    from django.db import connection

    pk = c.pk.hex if connection.vendor == "sqlite" else c.pk
    with connection.cursor() as cur:
        cur.execute("select reporter_name, reporter_phone from complaints_complaint where id = %s", [pk])
        name, phone = cur.fetchone()
    assert "王小明" not in name
    assert "13912345678" not in phone
    assert c.reporter_name_masked == "王**"
    assert c.reporter_phone_masked == "139****5678"
    ev = AuditEvent.objects.filter(verb="complaint.receive", object_id=str(c.pk)).get()
    assert "王小明" not in str(ev.after)


def test_intake_after_cutoff_rolls_to_next_day(world):
    c = submit(world, received_at=at(3, 20, 30))
    assert c.intake_day == at(4).date()


def test_public_submission_without_actor_and_anonymous(world):
    c = submit(world, actor=None, channel="web", reporter_name="", reporter_phone="", received_at=None, lat=28.77, lon=113.6)
    assert c.anonymous
    assert c.operator is None


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"text": "x"}, "text"),
        ({"address": "", "lat": None, "lon": None}, "address"),
        ({"lat": 95, "lon": 10}, "lat"),
        ({"lat": 28.1, "lon": None}, "lat"),
        ({"channel": "pigeon"}, "channel"),
        ({"type_hints": ["lava"]}, "type_hints"),
        ({"received_at": at(1) - dt.timedelta(days=400)}, "received_at"),
        ({"attachments": [("evil.png", b"MZ\x90\x00 not an image")]}, "attachments"),
    ],
)
def test_bad_input_is_rejected_and_nothing_saved(world, kw, field):
    with pytest.raises(ValidationError) as exc:
        submit(world, **kw)
    assert field in exc.value.message_dict
    assert Complaint.objects.count() == 0


def test_oversized_upload(world, monkeypatch):
    from inspectorate.complaints import uploads

    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 50)
    with pytest.raises(ValidationError):
        submit(world, attachments=[("a.png", PNG)])
    c = submit(world, attachments=[("a.png", PNG[:40])])
    assert c.attachments.get().content_type == "image/png"


def test_idempotency(world):
    a = submit(world, idempotency_key="k1", idempotency_scope="u1")
    b = submit(world, idempotency_key="k1", idempotency_scope="u1")
    assert a.pk == b.pk
    assert Complaint.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        submit(world, idempotency_key="k1", idempotency_scope="u1", text="完全不同的一个投诉内容，噪声扰民")
    other = submit(world, idempotency_key="k1", idempotency_scope="u2")
    assert other.pk != a.pk


def test_staff_intake_needs_permission(world):
    with pytest.raises(PermissionDenied):
        submit(world, actor=world.liaison_a)


def test_reveal_is_audited_and_restricted(world):
    c = submit(world)
    with pytest.raises(PermissionDenied):
        reveal_reporter(c, actor=world.liaison_a)
    data = reveal_reporter(c, actor=world.inspector, reason="return visit")
    assert data["reporter_phone"] == "13912345678"
    assert AuditEvent.objects.filter(verb="complaint.reveal_reporter", object_id=str(c.pk)).count() == 1


def test_similar_reports_found(world):
    a = submit(world)
    b = submit(world, text="平江县某化工厂夜间偷排废水，河水发黑发臭，请查处")
    assert str(a.pk) in [s[0] for s in b.similar]
