"""Daily anchors: a rewrite of the chain by someone with database access is caught by a published anchor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from inspectorate import audit
from inspectorate.audit.anchors import Anchor, AnchorError, make_anchor, sign
from inspectorate.audit.chain import compute_hash, event_payload, verify
from inspectorate.audit.models import AuditAnchor, AuditEvent, ChainHead
from inspectorate.testing.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _events(n: int) -> None:
    user = UserFactory()
    unit = OrgUnitFactory()
    for i in range(n):
        audit.record(user, "org_unit.update", unit, before={"i": i}, after={"i": i + 1}, reason=f"r{i}")


def _rewind_to(seq: int) -> None:
    """What an intruder with write access does: drop the newest events and move the head back."""
    AuditEvent.objects.filter(seq__gt=seq).delete()
    last = AuditEvent.objects.get(seq=seq)
    ChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=last.hash)


def _rewrite_from(seq: int) -> None:
    """Edit one event and recompute every later hash and the head, so the chain alone verifies."""
    events = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq"))
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    events[0].reason = "nothing happened"
    for ev in events:
        ev.prev_hash = prev
        ev.hash = compute_hash(prev, event_payload(ev))
        AuditEvent.objects.filter(pk=ev.pk).update(reason=ev.reason, prev_hash=ev.prev_hash, hash=ev.hash)
        prev = ev.hash
    ChainHead.objects.filter(id=1).update(last_hash=prev)


def _published(capsys) -> str:
    """Anchor today through the command and return the anchor line it printed (what the portal publishes)."""
    call_command("anchor_audit")
    return capsys.readouterr().out.strip().split()[-1]


def test_anchor_is_signed_idempotent_per_day_and_verifies(capsys):
    _events(3)
    published = _published(capsys)
    a = AuditAnchor.objects.get()
    assert a.date == timezone.localdate() and a.seq == 3 and a.hash == AuditEvent.objects.get(seq=3).hash
    assert a.hmac == sign(a.date, 3, a.hash) and published == f"{a}:{a.hmac}"
    _events(2)
    again, created = make_anchor()
    assert not created and again.pk == a.pk and again.seq == 3
    call_command("verify_audit", anchor=[published])
    out = capsys.readouterr().out
    assert "5 events verified" in out and "1 published anchors match" in out


def test_deleting_newest_events_and_rewinding_the_head_fails_against_the_anchor(capsys):
    _events(5)
    published = _published(capsys)
    _events(2)
    _rewind_to(3)
    assert verify().ok  # the chain alone cannot tell
    with pytest.raises(CommandError, match=r"#5.*gone"):
        call_command("verify_audit")
    # Even with the anchors table emptied too, an anchor published earlier catches it.
    AuditAnchor.objects.all().delete()
    call_command("verify_audit")
    with pytest.raises(CommandError, match=r"#5.*gone"):
        call_command("verify_audit", anchor=[published])


def test_editing_an_event_and_recomputing_later_hashes_fails_against_the_anchor(capsys, tmp_path):
    _events(5)
    published = _published(capsys)
    csv_file = tmp_path / "anchors.csv"
    csv_file.write_text(Client(HTTP_ACCEPT_LANGUAGE="en").get("/public/audit/anchors.csv").content.decode())
    _rewrite_from(2)
    assert verify().ok  # the chain alone cannot tell
    with pytest.raises(CommandError, match=r"#5.*rewritten"):
        call_command("verify_audit")
    # The intruder re-points the stored anchor at the new hash: without the key the HMAC no longer verifies.
    new_head = AuditEvent.objects.get(seq=5).hash
    AuditAnchor.objects.update(hash=new_head)
    with pytest.raises(CommandError, match="does not verify with INSPECTORATE_AUDIT_KEY"):
        call_command("verify_audit")
    # And anyone holding the published copy (line or downloaded CSV) still sees the rewrite.
    AuditAnchor.objects.all().delete()
    with pytest.raises(CommandError, match="rewritten"):
        call_command("verify_audit", anchor=[published])
    with pytest.raises(CommandError, match="rewritten"):
        call_command("verify_audit", anchors_file=[csv_file])


def test_a_forged_published_anchor_is_refused_when_its_hmac_is_wrong(capsys):
    _events(2)
    head = AuditEvent.objects.get(seq=2).hash
    forged = f"{timezone.localdate().isoformat()}:2:{head}:{'0' * 64}"
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_audit", anchor=[forged])
    call_command("verify_audit", anchor=[forged.rsplit(":", 1)[0]])  # without an HMAC only the hash is compared


def test_a_key_change_is_detected_and_rotation_keeps_old_anchors_valid(settings):
    _events(2)
    old_key = settings.INSPECTORATE_AUDIT_KEY
    make_anchor(timezone.localdate() - dt.timedelta(days=1))
    settings.INSPECTORATE_AUDIT_KEY = "n" * 40
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_audit")
    # Rotation: the new key first signs, the old one still listed keeps the old anchors valid.
    settings.INSPECTORATE_AUDIT_KEY = "n" * 40 + "," + old_key
    call_command("verify_audit")
    a, created = make_anchor()
    assert created and a.hmac == sign(a.date, a.seq, a.hash)
    settings.INSPECTORATE_AUDIT_KEY = "n" * 40
    assert AuditAnchor.objects.count() == 2
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_audit")  # yesterday's, signed with the old key only


def test_a_broken_chain_is_not_anchored():
    _events(3)
    AuditEvent.objects.filter(seq=2).update(reason="x")
    with pytest.raises(CommandError, match="not anchored"):
        call_command("anchor_audit")
    assert not AuditAnchor.objects.exists()


def test_bad_anchor_text_is_a_clear_error():
    with pytest.raises(AnchorError):
        Anchor.parse("yesterday:5:abc")
    with pytest.raises(CommandError, match="DATE:SEQUENCE:HASH"):
        call_command("verify_audit", anchor=["2026-01-01:x:y"])


def test_public_anchors_page_lists_each_day_and_is_linked_from_the_portal(capsys):
    _events(2)
    make_anchor(timezone.localdate() - dt.timedelta(days=1))
    _events(1)
    published = _published(capsys)
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    html = c.get("/public/audit/anchors/").content.decode()
    for a in AuditAnchor.objects.all():
        assert a.date.isoformat() in html and a.hash in html and a.hmac in html and f">{a.seq}<" in html
    assert "/public/audit/anchors/" in c.get("/public/").content.decode()
    csv_text = c.get("/public/audit/anchors.csv").content.decode()
    assert csv_text.splitlines()[0] == "date,seq,hash,hmac"
    assert published.replace(":", ",") in csv_text


def test_exported_ledger_and_documents_carry_the_head_and_the_anchor(world, capsys):
    import io

    from docx import Document
    from openpyxl import load_workbook

    published = _published(capsys)
    _events(1)
    head = ChainHead.objects.get()
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(world.admin)
    r = c.get(f"/api/v1/tasks/export.xlsx?campaign={world.campaign.pk}")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    stamp = dict(wb["Audit"].iter_rows(min_row=2, values_only=True))  # the export is in the reader's language
    assert stamp["Audit chain head"] == f"{head.last_seq}:{head.last_hash}"
    assert stamp["Latest audit anchor"] == published
    r = c.get(f"/api/v1/tasks/closure-notice.docx?campaign={world.campaign.pk}")
    assert r.status_code == 200
    doc = Document(io.BytesIO(b"".join(r.streaming_content)))
    footer = doc.sections[0].footer.paragraphs[0].text
    assert f"{head.last_seq}:{head.last_hash}" in footer and published in footer
    assert doc.core_properties.comments == footer


def test_the_daily_run_anchors_the_chain_once(capsys):
    _events(2)
    call_command("run_deadlines")
    call_command("run_deadlines")
    a = AuditAnchor.objects.get()
    out = capsys.readouterr().out
    assert f"audit anchor made: {a}:{a.hmac}" in out and f"audit anchor already made: {a}:{a.hmac}" in out
