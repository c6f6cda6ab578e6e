"""Complaint attachments and case evidence on an S3-compatible store (moto's server on 127.0.0.1): stored in the
private bucket, read only through the app's scope check; a full disk or a store that is down records nothing."""

from __future__ import annotations

import errno
import io
import json
import zipfile

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.models import Attachment, Complaint, EvidenceFile
from inspectorate.testing.matrix import assert_matrix
from inspectorate.testing.s3 import MotoS3, anonymous_get, bucket_keys, moto_fixtures

from .conftest import at, flow_to_dispatch

pytestmark = pytest.mark.django_db

moto_s3, s3_storage = moto_fixtures()

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 300
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x22" * 500
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WORDS = {"en": "file store is full or unavailable", "zh-hans": "文件存储空间已满或暂不可用"}


@pytest.fixture
def open_world(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    world.campaign.stationing_start = today - timezone.timedelta(days=3)
    world.campaign.stationing_end = today + timezone.timedelta(days=20)
    world.campaign.save()
    return world


def _body(r) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(r.streaming_content) if r.streaming else r.content


def _api(user, lang: str = "en") -> APIClient:  # type: ignore[no-untyped-def]
    c = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_authenticate(user)
    return c


def _complaint(**extra):  # type: ignore[no-untyped-def]
    return {
        "campaign": "hn-2-yueyang",
        "channel": "phone",
        "text": "平江县某化工厂偷排废水，河水发黑",
        "received_at": at(3).isoformat(),
        "address": "岳阳市平江县",
        "reporter_name": "李四",
        "reporter_phone": "13800001111",
        **extra,
    }


def _now(**extra):  # type: ignore[no-untyped-def]
    """A complaint received now (the open_world campaign's stay runs around today)."""
    return _complaint(received_at=timezone.now().isoformat(), **extra)


def _two() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"), SimpleUploadedFile("b.mp4", MP4, "video/mp4")]


def _portal(client: Client, files: list[SimpleUploadedFile], lang: str = "en"):  # type: ignore[no-untyped-def]
    data = {
        "text": "岳阳楼区某饭店油烟直排，熏得居民无法开窗",
        "address": "岳阳市平江县城关镇",
        "reporter_name": "赵六",
        "reporter_phone": "13700001111",
        "attachments": files,
    }
    return client.post("/public/report/hn-2-yueyang/", data, HTTP_ACCEPT_LANGUAGE=lang)


def test_api_attachments_land_in_the_bucket_and_download_behind_scope(world, s3_storage):
    server, bucket = s3_storage
    w = world
    files = [SimpleUploadedFile("河边照片.jpg", JPEG, "image/jpeg"), SimpleUploadedFile("clip.mp4", MP4, "video/mp4")]
    r = _api(w.inspector).post("/api/v1/complaints/", _complaint(attachments=files), format="multipart")
    assert r.status_code == 201, r.content
    c = Complaint.objects.get()
    atts = {a.name: a for a in c.attachments.all()}
    assert sorted(bucket_keys(server, bucket)) == sorted(a.file.name for a in atts.values())
    photo = atts["河边照片.jpg"]
    assert anonymous_get(server, bucket, photo.file.name) == 403  # the bucket is private
    nobody_else = [w.liaison_a, w.handler_a, w.liaison_b, w.auditor, w.enterprise_officer, w.outsider]
    page_url = f"/complaints/{c.pk}/attachments/{photo.pk}/"
    for url, api in ((page_url, False), (f"/api/v1{page_url}", True)):
        for resp in assert_matrix(url, api=api, allowed=[w.inspector, w.team_leader], out_of_scope=nobody_else):
            assert _body(resp) == JPEG and resp["Content-Type"] == "image/jpeg" and "Location" not in resp
    listed = _api(w.inspector).get(f"/api/v1/complaints/{c.pk}/attachments/").json()
    assert server.endpoint not in json.dumps(listed) and "/media/" not in json.dumps(listed)


def test_public_form_attachment_to_s3(open_world, s3_storage):
    server, bucket = s3_storage
    r = _portal(Client(), [SimpleUploadedFile("p.png", PNG, content_type="image/png")])
    assert r.status_code == 302, r.content[:2000]
    [a] = Attachment.objects.all()
    assert bucket_keys(server, bucket) == [a.file.name]
    staff = Client()
    staff.force_login(open_world.inspector)
    assert _body(staff.get(f"/complaints/{a.complaint_id}/attachments/{a.pk}/")) == PNG
    assert Client().get(f"/complaints/{a.complaint_id}/attachments/{a.pk}/").status_code == 302  # to the login page


def test_case_evidence_in_s3_and_case_file(world, s3_storage):
    server, bucket = s3_storage
    _c, case, _b = flow_to_dispatch(world)
    data = {
        "summary": "经查部分属实",
        "verdict": "partly_true",
        "status": "staged_closed",
        "next_step_date": at(40).date().isoformat(),
        "penalties": json.dumps([]),
        "evidence": SimpleUploadedFile("photo.jpg", JPEG),
    }
    r = _api(world.handler_a).post(f"/api/v1/cases/{case.pk}/reply/", data, format="multipart")
    assert r.status_code == 201, r.content
    ev = EvidenceFile.objects.get(case=case)
    assert ev.file.name in bucket_keys(server, bucket)
    c = Client()
    c.force_login(world.inspector)
    z = zipfile.ZipFile(io.BytesIO(c.get(f"/complaints/cases/{case.pk}/file.zip").content))
    assert z.read("evidence/v1/photo.jpg") == JPEG


class FullDisk(FileSystemStorage):
    """A real file-system storage on a full disk: every save fails with ENOSPC."""

    def _save(self, name, content):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")


class FullAfterPhotos(FileSystemStorage):
    """The disk fills up while a complaint's files are stored: photos fit, the video does not."""

    def _save(self, name, content):  # type: ignore[no-untyped-def]
        if name.endswith(".mp4"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return super()._save(name, content)


def _nothing_received() -> None:
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(verb="complaint.receive").exists()


@pytest.mark.parametrize("backend", ["FullDisk", "FullAfterPhotos"])
def test_full_disk_during_intake_records_nothing(open_world, settings, tmp_path, backend):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.{backend}"}}
    for lang, words in WORDS.items():
        r = _api(open_world.inspector, lang).post("/api/v1/complaints/", _now(attachments=_two()), format="multipart")
        assert r.status_code == 503 and words in r.json()["detail"], r.content
        page = _portal(Client(), _two(), lang)
        assert page.status_code == 503 and words in page.content.decode()
    _nothing_received()
    # The photo stored before the disk filled up was removed again: no orphan files.
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()] if (tmp_path / "media").exists() else True


def test_s3_down_during_intake_records_nothing(open_world, settings, tmp_path):
    server = MotoS3().start()
    try:
        bucket = server.create_bucket("inspectorate-intake-down")
        settings.STORAGES = server.storages(bucket, settings.STORAGES)
        settings.MEDIA_ROOT = tmp_path / "no-media-here"
        server.stop()
        for lang, words in WORDS.items():
            r = _api(open_world.inspector, lang).post("/api/v1/complaints/", _now(attachments=_two()), format="multipart")
            assert r.status_code == 503 and words in r.json()["detail"], r.content
            page = _portal(Client(), _two(), lang)
            assert page.status_code == 503 and words in page.content.decode()
        _nothing_received()
        # Without files, complaints still come in while the store is down.
        r = _api(open_world.inspector).post("/api/v1/complaints/", _now(), format="multipart")
        assert r.status_code == 201
    finally:
        server.stop()


def test_full_disk_during_case_reply_records_nothing(world, settings, tmp_path):
    from inspectorate.complaints.models import HandlingResult

    _c, case, _b = flow_to_dispatch(world)
    status = case.status
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDisk"}}
    data = {
        "summary": "经查部分属实",
        "verdict": "partly_true",
        "status": "staged_closed",
        "next_step_date": at(40).date().isoformat(),
        "penalties": json.dumps([]),
        "evidence": SimpleUploadedFile("photo.jpg", JPEG),
    }
    r = _api(world.handler_a, "zh-hans").post(f"/api/v1/cases/{case.pk}/reply/", data, format="multipart")
    assert r.status_code == 503 and WORDS["zh-hans"] in r.json()["detail"], r.content
    case.refresh_from_db()
    assert case.status == status and not HandlingResult.objects.filter(case=case).exists()
    assert not EvidenceFile.objects.exists()
    assert not AuditEvent.objects.filter(verb="case.reply").exists()
