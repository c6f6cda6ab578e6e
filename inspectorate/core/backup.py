"""One-file backups (`manage.py backup PATH`): the database of every installed app, every stored file, a manifest.

The archive is an uncompressed tar file:

* ``db/NNN-<app_label>.<model>.jsonl``: the rows of one model, one object per line in Django's serializer
  format (``{"model": …, "pk": …, "fields": {…}}``), primary keys kept, written in chunks so the table is never
  held in memory at once. Encrypted fields (`EncryptedTextField`) stay encrypted: their values are written
  as Fernet tokens under the current `INSPECTORATE_FIELD_KEY`, so the restoring site needs that key.
* ``media/<name>``: every file a `FileField` of any model refers to, read through the field's storage (the
  default storage: local disk or any object store configured for it).
* ``manifest.json`` (last): the app and Django versions, the applied migrations, per-model row counts, and the
  sha256 of every other member. `restore.py` checks every hash before it writes anything.

Content types and permissions are dumped like any other table: the restore clears the rows a fresh `migrate`
created and loads these, so generic foreign keys keep pointing at the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import django
from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .crypto import encrypt

FORMAT = "inspectorate-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1000
COPY_BUFFER = 1024 * 1024


def dumped_models() -> list[type[models.Model]]:
    """Every concrete, managed model of every installed app (proxies share their concrete model's table)."""
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and not m._meta.swapped]


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def applied_migrations() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        out.setdefault(app, []).append(name)
    return out


def app_version() -> str:
    try:
        return metadata.version("inspectorate")
    except metadata.PackageNotFoundError:  # run from a checkout: the version in pyproject.toml
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        for line in pyproject.read_text(encoding="utf-8").splitlines() if pyproject.exists() else []:
            if line.startswith("version"):
                return line.split("=", 1)[1].strip().strip('"')
        return "unknown"


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's stops at milliseconds, which would change
    the audit events' times and so break their hash chain)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _HashingReader(io.RawIOBase):
    """Reads through to `inner`, hashing what passes (tar reads exactly the member's size)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.sha = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.inner.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    serializer = serializers.get_serializer("python")()
    secret = encrypted_fields(model)
    chunk: list[models.Model] = []
    qs = model._base_manager.order_by("pk")

    def flush() -> Iterator[dict[str, Any]]:
        for obj in serializer.serialize(chunk):
            for name in secret:
                if obj["fields"].get(name):
                    obj["fields"][name] = encrypt(obj["fields"][name])
            yield obj
        chunk.clear()

    for obj in qs.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) >= CHUNK:
            yield from flush()
    yield from flush()


def _add(tar: tarfile.TarFile, name: str, fh: IO[bytes], size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    reader = _HashingReader(fh)
    tar.addfile(info, reader)  # type: ignore[arg-type]
    if reader.size != size:
        raise OSError(f"{name}: read {reader.size} bytes, expected {size}")
    return reader.sha.hexdigest()


def write_backup(path: Path) -> BackupSummary:
    """Write the archive to `path` (through a temporary file beside it, renamed at the end)."""
    summary = BackupSummary(path)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "app_version": app_version(),
        "django_version": django.get_version(),
        "database_vendor": connection.vendor,
        "migrations": applied_migrations(),
        "models": {},
        "files": {},
        "missing_files": [],
        "members": {},
    }
    partial = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    stored: dict[str, models.FileField] = {}
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            for n, model in enumerate(dumped_models()):
                label = model_label(model)
                member = f"db/{n:03d}-{label}.jsonl"
                count = 0
                with tempfile.TemporaryFile() as tmp:
                    for obj in _rows(model):
                        tmp.write(json.dumps(obj, cls=_Encoder, ensure_ascii=False).encode("utf-8"))
                        tmp.write(b"\n")
                        count += 1
                    size = tmp.tell()
                    tmp.seek(0)
                    manifest["members"][member] = _add(tar, member, tmp, size)
                manifest["models"][label] = {"member": member, "rows": count, "encrypted": encrypted_fields(model)}
                summary.rows[label] = count
                for f in file_fields(model):
                    names = model._base_manager.exclude(**{f.name: ""}).exclude(**{f"{f.name}__isnull": True})
                    for name in names.values_list(f.name, flat=True).iterator(chunk_size=CHUNK):
                        stored.setdefault(str(name), f)
            for name in sorted(stored):
                storage = stored[name].storage
                if not storage.exists(name):
                    manifest["missing_files"].append(name)
                    continue
                member = f"media/{name}"
                with storage.open(name, "rb") as fh:
                    digest = _add(tar, member, fh, storage.size(name))
                manifest["members"][member] = digest
                f = stored[name]
                where = f"{f.model._meta.app_label}.{f.model._meta.model_name}.{f.name}"
                manifest["files"][name] = {"member": member, "sha256": digest, "field": where}
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            _add(tar, MANIFEST, io.BytesIO(body), len(body))
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    summary.files = len(manifest["files"])
    summary.missing_files = manifest["missing_files"]
    return summary
