"""Complaint photos and videos: staff in scope view and download them; nobody else, never on public pages."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.testing.matrix import assert_matrix

from .conftest import submit

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 300
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x22" * 500


def _with_media(world):  # type: ignore[no-untyped-def]
    c = submit(world, attachments=[("河边照片.jpg", JPEG), ("clip.mp4", MP4)])
    atts = {a.name: a for a in c.attachments.all()}
    return c, atts["河边照片.jpg"], atts["clip.mp4"]


def _body(r) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(r.streaming_content) if r.streaming else r.content


def test_attachment_permission_matrix(world):
    w = world
    c, photo, video = _with_media(world)
    url = f"/complaints/{c.pk}/attachments/{photo.pk}/"
    nobody_else = [w.liaison_a, w.handler_a, w.liaison_b, w.auditor, w.enterprise_officer, w.outsider]
    for r in assert_matrix(url, api=False, allowed=[w.inspector, w.team_leader], out_of_scope=nobody_else):
        assert r["Content-Type"] == "image/jpeg"
        assert r["Content-Disposition"].startswith("inline;")
        assert "filename*=utf-8''%E6%B2%B3" in r["Content-Disposition"]  # the original (Chinese) name
        assert r["X-Content-Type-Options"] == "nosniff"
        assert "private" in r["Cache-Control"]
        assert _body(r) == JPEG
    [r] = assert_matrix(
        f"/complaints/{c.pk}/attachments/{video.pk}/?download=1", api=False, allowed=[w.inspector], out_of_scope=nobody_else
    )
    assert r["Content-Type"] == "video/mp4"
    assert r["Content-Disposition"] == 'attachment; filename="clip.mp4"'
    assert _body(r) == MP4


def test_attachment_only_under_its_own_complaint(world):
    c, photo, _video = _with_media(world)
    other = submit(world, text="另一件投诉：县城某饭店油烟直排")
    client = Client()
    client.force_login(world.inspector)
    assert client.get(f"/complaints/{other.pk}/attachments/{photo.pk}/").status_code == 404
    assert client.get(f"/complaints/{c.pk}/attachments/{other.pk}/").status_code == 404


def test_missing_file_is_404_not_500(world):
    c, photo, _video = _with_media(world)
    photo.file.delete(save=False)
    client = Client()
    client.force_login(world.inspector)
    assert client.get(f"/complaints/{c.pk}/attachments/{photo.pk}/").status_code == 404


def test_detail_page_shows_media_to_staff(world):
    c, photo, video = _with_media(world)
    client = Client()
    client.force_login(world.inspector)
    html = client.get(f"/complaints/{c.pk}/").content.decode()
    assert f'<img src="/complaints/{c.pk}/attachments/{photo.pk}/"' in html
    assert f'<video src="/complaints/{c.pk}/attachments/{video.pk}/"' in html
    assert f"/complaints/{c.pk}/attachments/{video.pk}/?download=1" in html


def test_attachments_never_on_public_pages(world):
    from inspectorate.complaints.models import Complaint

    c, photo, video = _with_media(world)
    c = Complaint.objects.get(pk=c.pk)
    public = Client()
    pages = [
        public.post("/public/track/", {"receipt_code": c.receipt_code, "secret": c.tracking_secret}),
        public.get("/public/"),
        public.get("/public/results/"),
    ]
    assert "public-status" in pages[0].content.decode()  # the tracking page did find the report
    for r in pages:
        html = r.content.decode()
        for needle in ("/attachments/", str(photo.pk), str(video.pk), photo.name, photo.sha256[:12]):
            assert needle not in html
    # Without a login the file itself is a redirect to the login page, never the bytes.
    r = public.get(f"/complaints/{c.pk}/attachments/{photo.pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_attachment_api_matrix(world):
    w = world
    c, photo, video = _with_media(world)
    nobody_else = [w.liaison_a, w.handler_a, w.liaison_b, w.auditor, w.enterprise_officer, w.outsider]
    [r] = assert_matrix(f"/api/v1/complaints/{c.pk}/attachments/", allowed=[w.inspector], out_of_scope=nobody_else)
    rows = {row["name"]: row for row in r.json()}
    assert rows["clip.mp4"]["content_type"] == "video/mp4" and rows["clip.mp4"]["size"] == len(MP4)
    assert rows["河边照片.jpg"]["url"].endswith(f"/api/v1/complaints/{c.pk}/attachments/{photo.pk}/")
    [r] = assert_matrix(
        f"/api/v1/complaints/{c.pk}/attachments/{video.pk}/?download=1", allowed=[w.team_leader], out_of_scope=nobody_else
    )
    assert r["Content-Type"] == "video/mp4"
    assert r["Content-Disposition"] == 'attachment; filename="clip.mp4"'
    assert _body(r) == MP4
    other = submit(world, text="另一件投诉：县城某饭店油烟直排")
    client = Client()
    client.force_login(w.inspector)
    assert client.get(f"/api/v1/complaints/{other.pk}/attachments/{photo.pk}/").status_code == 404
