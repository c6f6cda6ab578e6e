"""Evidence on an S3-compatible store (moto's server on 127.0.0.1): stored in the private bucket, downloaded
only through the app's scope check, and a store that is down or a full disk records nothing."""

from __future__ import annotations

import errno
import hashlib

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.rectification.models import Evidence
from inspectorate.testing.matrix import assert_matrix
from inspectorate.testing.s3 import MotoS3, anonymous_get, bucket_keys, moto_fixtures

from .test_target_ledger import api, upload

pytestmark = pytest.mark.django_db

moto_s3, s3_storage = moto_fixtures()

PDF = b"%PDF-1.4 rectification report " + b"x" * 2000


def _body(r) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(r.streaming_content) if r.streaming else r.content


def test_evidence_upload_lands_in_the_private_bucket_and_downloads_only_through_the_app(rect, s3_storage):
    server, bucket = s3_storage
    w = rect.w
    t = rect.task()
    m = t.measures.first()
    r = api(w.liaison_a).post(f"/api/v1/tasks/{t.pk}/evidence/", upload(m, PDF, "整改报告.pdf"))
    assert r.status_code == 200, r.content
    ev = Evidence.objects.get(task=t)
    assert ev.file.name in bucket_keys(server, bucket)
    head = server.client().get_object(Bucket=bucket, Key=ev.file.name)
    assert head["Body"].read() == PDF and ev.sha256 == hashlib.sha256(PDF).hexdigest()
    # Private: no grant to everyone, and a plain GET without credentials is refused by the store.
    grants = server.client().get_object_acl(Bucket=bucket, Key=ev.file.name)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    assert anonymous_get(server, bucket, ev.file.name) == 403

    url = f"/rectification/evidence/{ev.pk}/"
    for resp in assert_matrix(url, api=False, allowed=[w.liaison_a, rect.acceptance], out_of_scope=[w.liaison_b, w.outsider]):
        assert resp.status_code == 200 and _body(resp) == PDF
        assert resp["X-Content-SHA256"] == ev.sha256 and "private" in resp["Cache-Control"]
        assert "Location" not in resp  # streamed, never a redirect to the store
    # The pages link to the app's download view, never to the store or /media/.
    page = api(w.liaison_a).get(f"/rectification/tasks/{t.pk}/").content.decode()
    assert url in page and server.endpoint not in page and "/media/" not in page


def test_evidence_page_upload_to_s3(rect, s3_storage):
    server, bucket = s3_storage
    t = rect.task()
    m = t.measures.first()
    r = api(rect.w.handler_a).post("/rectification/evidence/", upload(m, PDF, "photo-log.pdf"))
    assert r.status_code == 302, r.content[:2000]
    ev = Evidence.objects.get(task=t)
    assert bucket_keys(server, bucket) == [ev.file.name]


def test_s3_store_down_during_upload_records_nothing(rect, settings, tmp_path):
    """The store is stopped mid-test: the upload answers 503 with a message in the user's language, and no
    evidence row, no audit event and no object exist afterwards."""
    server = MotoS3().start()
    try:
        bucket = server.create_bucket("inspectorate-down")
        settings.STORAGES = server.storages(bucket, settings.STORAGES)
        settings.MEDIA_ROOT = tmp_path / "no-media-here"
        t = rect.task()
        m = t.measures.first()
        assert api(rect.w.liaison_a).post(f"/api/v1/tasks/{t.pk}/evidence/", upload(m, PDF, "ok.pdf")).status_code == 200
        ev = Evidence.objects.get(task=t)
        server.stop()

        for lang, words in (("en", "file store is full or unavailable"), ("zh-hans", "文件存储空间已满或暂不可用")):
            r = api(rect.w.liaison_a, lang).post(f"/api/v1/tasks/{t.pk}/evidence/", upload(m, PDF + b"2", "lost.pdf"))
            assert r.status_code == 503 and words in r.json()["detail"], r.content
        page = api(rect.w.liaison_a).post("/rectification/evidence/", upload(m, PDF + b"3", "lost.pdf"))
        assert page.status_code == 503 and "file store is full or unavailable" in page.content.decode()
        c = api(rect.w.liaison_a)
        r = c.post(f"/rectification/tasks/{t.pk}/evidence/", upload(m, PDF + b"4", "lost.pdf"))
        assert r.status_code == 302
        shown = c.get(r["Location"]).content.decode()
        assert "file store is full or unavailable" in shown
        assert list(Evidence.objects.filter(task=t)) == [ev]
        assert AuditEvent.objects.filter(verb="task.evidence", object_id=str(t.pk)).count() == 1
        # Reading while the store is down: 503 with the message, not a 500 and not a 404 claiming the file is gone.
        down = api(rect.w.liaison_a).get(f"/rectification/evidence/{ev.pk}/")
        assert down.status_code == 503 and "file store is full or unavailable" in down.content.decode()
    finally:
        server.stop()
    # Back up (a new, empty server on another port here): nothing was written while it was down.


class FullDisk(FileSystemStorage):
    """A real file-system storage whose disk is full: every save fails with ENOSPC."""

    def _save(self, name, content):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_during_upload_records_nothing(rect, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDisk"}}
    t = rect.task()
    m = t.measures.first()
    for lang, words in (("en", "file store is full or unavailable"), ("zh-hans", "文件存储空间已满或暂不可用")):
        r = api(rect.w.liaison_a, lang).post(f"/api/v1/tasks/{t.pk}/evidence/", upload(m, PDF, "a.pdf"))
        assert r.status_code == 503 and words in r.json()["detail"], r.content
        page = api(rect.w.liaison_a, lang).post("/rectification/evidence/", upload(m, PDF, "a.pdf"))
        assert page.status_code == 503 and words in page.content.decode()
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(verb="task.evidence").exists()
    assert not list((tmp_path / "media").rglob("*.pdf")) if (tmp_path / "media").exists() else True


def test_local_disk_default_still_works(rect, settings, tmp_path):
    """Sanity with the default storage (local disk under MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    t = rect.task()
    m = t.measures.first()
    assert api(rect.w.liaison_a).post(f"/api/v1/tasks/{t.pk}/evidence/", upload(m, PDF, "local.pdf")).status_code == 200
    ev = Evidence.objects.get(task=t)
    assert (tmp_path / "media" / ev.file.name).read_bytes() == PDF
    c = Client()
    c.force_login(rect.w.liaison_a)
    assert _body(c.get(f"/rectification/evidence/{ev.pk}/")) == PDF
