"""Exports on an S3-compatible store (moto's server on 127.0.0.1): the file lands in the private bucket and is
downloaded through the app by its owner only; a store that is down fails the job with a message, no file."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from inspectorate.audit.models import AuditEvent
from inspectorate.core.storage import StorageUnavailable
from inspectorate.rectification.tests.conftest import build
from inspectorate.reports.models import ExportJob, ExportStatus
from inspectorate.reports.tasks import run_export
from inspectorate.testing.matrix import assert_matrix
from inspectorate.testing.s3 import MotoS3, anonymous_get, bucket_keys, moto_fixtures
from inspectorate.testing.spreadsheets import ledger_sheet

pytestmark = pytest.mark.django_db

moto_s3, s3_storage = moto_fixtures()


def _request_export(user) -> str:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    r = c.post("/api/v1/exports/", {"kind": "ledger", "query": ""}, content_type="application/json")
    assert r.status_code == 202, r.content
    return str(r.json()["id"])


def test_export_lands_in_the_bucket_and_downloads_through_the_app(world, s3_storage):
    server, bucket = s3_storage
    rect = build(world)
    for _ in range(3):
        rect.task()
    job_id = _request_export(world.liaison_a)
    run_export.call(job_id)  # what the worker runs
    job = ExportJob.objects.get(pk=job_id)
    assert job.status == ExportStatus.DONE and job.file.name in bucket_keys(server, bucket)
    assert anonymous_get(server, bucket, job.file.name) == 403
    [resp] = assert_matrix(f"/api/v1/exports/{job_id}/download/", allowed=[world.liaison_a], out_of_scope=[world.liaison_b])
    assert "Location" not in resp and "private" in resp["Cache-Control"]
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
    ws, at, _columns = ledger_sheet(wb, "tasks")
    assert len([row for row in ws.iter_rows(min_row=at + 1, values_only=True) if row[0]]) == 3
    listed = Client()
    listed.force_login(world.liaison_a)
    body = listed.get(f"/api/v1/exports/{job_id}/").content.decode()
    assert server.endpoint not in body and "/media/" not in body


def test_export_with_the_store_down_fails_with_a_message(world, settings, tmp_path):
    server = MotoS3().start()
    try:
        bucket = server.create_bucket("inspectorate-export-down")
        settings.STORAGES = server.storages(bucket, settings.STORAGES)
        settings.MEDIA_ROOT = tmp_path / "no-media-here"
        build(world).task()
        job_id = _request_export(world.liaison_a)
        server.stop()
        with pytest.raises(StorageUnavailable):
            run_export.call(job_id)
        job = ExportJob.objects.get(pk=job_id)
        assert job.status == ExportStatus.FAILED and not job.file
        assert "文件存储" in job.error or "file store" in job.error
        assert not AuditEvent.objects.filter(verb="export.done", object_id=job_id).exists()
        c = Client()
        c.force_login(world.liaison_a)
        assert c.get(f"/api/v1/exports/{job_id}/download/").status_code == 404
    finally:
        server.stop()
