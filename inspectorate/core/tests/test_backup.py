"""`manage.py backup` / `manage.py restore`: a round trip through an emptied database and media store gives the
same rows, the same files and an intact audit chain; altered, truncated archives and used databases are refused.

The tests commit (transactional_db): the restore clears and reloads whole tables, as it would on a server.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from inspectorate.complaints.actions import submit_complaint
from inspectorate.complaints.models import Attachment, Complaint
from inspectorate.core.backup import MANIFEST, dumped_models, model_label
from inspectorate.rectification.actions.tasks import add_evidence
from inspectorate.rectification.models import Evidence
from inspectorate.rectification.tests.conftest import build as build_rect
from inspectorate.testing.cast import World
from inspectorate.testing.clock import stay_at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


def _dataset() -> dict[str, Any]:
    world = World.build()
    c = submit_complaint(
        campaign=world.campaign, channel="phone", text="长岭精细化工晚上往湖里排污", received_at=stay_at(1, 10),
        address="岳阳市云溪区", reporter_name="张三", reporter_phone="13800001234", actor=world.inspector,
    )  # fmt: skip
    Attachment.objects.create(
        complaint=c, file=ContentFile(b"\xff\xd8\xff" + b"x" * 500, name="photo.jpg"), name="photo.jpg",
        content_type="image/jpeg", size=503,
    )  # fmt: skip
    rect = build_rect(world)  # moves the campaign's dates: after the complaint
    task = rect.task()
    measure = task.measures.first()
    for i in range(3):
        add_evidence(task, actor=world.admin, measure=measure, content=f"监测报告 {i}".encode() * 50, filename=f"r{i}.pdf")
    return {"complaint": c.pk}


def _counts() -> dict[str, int]:
    return {model_label(m): m._base_manager.count() for m in dumped_models()}


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def _empty(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)  # content types and permissions come back, as after migrate
    shutil.rmtree(media)
    media.mkdir()


def test_round_trip_gives_the_same_rows_files_and_audit_chain(media, tmp_path, english):
    keep = _dataset()
    counts, files = _counts(), _files(media)
    assert len(files) == 4 and counts["audit.auditevent"] > 0
    archive = tmp_path / "site.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "4 files" in out.getvalue()
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        dump = tar.extractfile(manifest["models"]["complaints.complaint"]["member"]).read().decode()  # type: ignore[union-attr]
    assert manifest["models"]["complaints.complaint"]["rows"] == 1
    assert "张三" not in dump and "13800001234" not in dump  # personal data stays encrypted in the archive
    assert set(manifest["files"]) == set(files)

    _empty(media)
    assert Complaint.objects.count() == 0 and _files(media) == {}
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "complaints.complaint: 1" in out.getvalue()
    assert _counts() == counts
    assert _files(media) == files
    verified = io.StringIO()
    call_command("verify_audit", stdout=verified)
    assert f"{counts['audit.auditevent']} events" in verified.getvalue()
    c = Complaint.objects.get(pk=keep["complaint"])
    assert (c.reporter_name, c.reporter_phone) == ("张三", "13800001234")
    ev = Evidence.objects.first()
    assert ev is not None and hashlib.sha256(ev.file.read()).hexdigest() == ev.sha256
    ContentType.objects.get_for_model(Evidence)  # the content-type cache holds the restored ids

    # New rows get fresh ids (sequences moved past the restored ones) and extend the chain.
    user = get_user_model().objects.create(username="after-restore")
    assert user.pk > max(get_user_model().objects.exclude(pk=user.pk).values_list("pk", flat=True))
    task = ev.task
    add_evidence(task, actor=get_user_model().objects.get(username="admin"), measure=ev.measure, content=b"new", filename="n.pdf")
    call_command("verify_audit", stdout=io.StringIO())


def test_an_altered_archive_is_refused_before_anything_is_written(media, tmp_path, english):
    _dataset()
    archive = tmp_path / "site.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as src, tarfile.open(altered, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("media/evidence/"):
                data = data.replace(b"0", b"1")
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    _empty(media)
    before = _counts()
    with pytest.raises(CommandError, match="does not match its sha256"):
        call_command("restore", str(altered), stdout=io.StringIO())
    assert _counts() == before and _files(media) == {}


def test_a_truncated_archive_is_refused_with_a_clear_error(media, tmp_path, english):
    _dataset()
    archive = tmp_path / "site.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    _empty(media)
    before = _counts()
    cut = tmp_path / "cut.tar"
    data = archive.read_bytes()
    with tarfile.open(archive) as tar:
        last = tar.getmember(MANIFEST)
    # Inside the manifest, just after its header, in the middle, in the first header.
    for size in (last.offset_data + last.size - 10, last.offset_data, len(data) // 2, 100):
        cut.write_bytes(data[:size])
        with pytest.raises(CommandError, match=r"(not a complete backup archive|has no manifest|is missing)"):
            call_command("restore", str(cut), stdout=io.StringIO())
    assert _counts() == before and _files(media) == {}


def test_a_database_in_use_is_refused(media, tmp_path, english):
    _dataset()
    archive = tmp_path / "site.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = _counts()
    with pytest.raises(CommandError, match="The database is not empty") as exc:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert "accounts.user" in str(exc.value)
    assert _counts() == before
    with translation.override("zh-hans"), pytest.raises(CommandError, match="数据库不为空"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_exits_non_zero_from_the_command_line(media, tmp_path):
    """What an operator sees: a CommandError is an exit status of 1."""
    _dataset()
    archive = tmp_path / "site.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "restore", str(archive)]).execute()
    assert exit_.value.code == 1


@pytest.mark.wall_clock
@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "sqlite", reason="an operator's restore into a new SQLite file")
def test_restore_into_a_freshly_migrated_database_file(media, tmp_path, migrated_sqlite):
    """What an operator does on a new server: `migrate`, then `restore`, then `verify_audit`; this also fails when a
    data migration starts seeding a table that `SEEDED_BY_MIGRATIONS` does not list."""
    _dataset()
    counts = _counts()
    archive = tmp_path / "site.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{migrated_sqlite}"}
    env["MEDIA_ROOT"] = str(tmp_path / "new-media")
    env.pop("INSPECTORATE_CLOCK_SHIFT_DAYS", None)

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False
        )

    restored = manage("restore", str(archive))
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert f"complaints.complaint: {counts['complaints.complaint']}" in restored.stdout
    verified = manage("verify_audit")
    assert verified.returncode == 0, verified.stderr[-3000:]
    assert _files(tmp_path / "new-media") == _files(media)
    again = manage("restore", str(archive))
    assert again.returncode == 1 and "accounts.user" in again.stderr
