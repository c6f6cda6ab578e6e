"""`manage.py restore PATH`: a backup written by `backup.py` into a freshly migrated, empty database.

In order, and stopping at the first problem:
1. the archive is read and every member's sha256 checked against the manifest (nothing is written before);
2. the database must have the backup's migrations applied and hold no rows beyond what `migrate` itself
   creates (`SEEDED_BY_MIGRATIONS`);
3. in one transaction: those seeded rows are cleared, every model's rows loaded with their primary keys, the row
   counts compared with the manifest, foreign keys checked, PostgreSQL sequences moved past the loaded ids,
   and the files written through their fields' storage (a failure rolls the database back).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from . import stamps
from .backup import CHUNK, COPY_BUFFER, FORMAT, MANIFEST, applied_migrations, dumped_models, model_label
from .crypto import decrypt
from .models import VersionStamp

# Tables that `migrate` fills by itself (post_migrate signals and data migrations). A database whose other
# tables are all empty counts as fresh; these rows are replaced by the backup's.
SEEDED_BY_MIGRATIONS = frozenset(
    {
        "contenttypes.contenttype",  # post_migrate
        "auth.permission",  # post_migrate
        "audit.chainhead",  # audit 0002_chain_head_row
        "complaints.keywordrule",  # complaints 0002_seed_keywords
    }
)


class RestoreError(Exception):
    pass


@dataclass
class RestoreSummary:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0


def _open(path: Path) -> tuple[tarfile.TarFile, dict[str, tarfile.TarInfo]]:
    tar = None
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 -- handed to the caller, which closes it
        members = {m.name: m for m in tar.getmembers()}
    except FileNotFoundError:
        raise RestoreError(_("No such file: %(path)s") % {"path": path}) from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        if tar is not None:
            tar.close()
        raise RestoreError(
            _("%(path)s is not a complete backup archive (truncated or damaged: %(error)s).") % {"path": path, "error": exc}
        ) from None
    return tar, members


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    fh = tar.extractfile(member) if member.isfile() else None
    if fh is None:
        raise RestoreError(_("Archive member %(name)s is not a file.") % {"name": member.name})
    return fh


def _sha256(fh: IO[bytes]) -> str:
    sha = hashlib.sha256()
    while block := fh.read(COPY_BUFFER):
        sha.update(block)
    return sha.hexdigest()


def read_manifest(path: Path) -> tuple[tarfile.TarFile, dict[str, tarfile.TarInfo], dict[str, Any]]:
    """Open the archive and check it whole: the manifest is there, and every member has its recorded hash."""
    tar, members = _open(path)
    if MANIFEST not in members:
        tar.close()
        raise RestoreError(
            _("%(path)s has no manifest: the archive is incomplete (truncated?) or not a backup.") % {"path": path}
        )
    try:
        manifest = json.loads(_read(tar, members[MANIFEST]).read().decode("utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError("format")
        expected: dict[str, str] = manifest["members"]
    except (ValueError, KeyError, TypeError, tarfile.TarError, EOFError, OSError):
        tar.close()
        raise RestoreError(_("%(path)s has an unreadable manifest: not a backup of this application.") % {"path": path}) from None
    extra = sorted(set(members) - set(expected) - {MANIFEST})
    if extra:
        tar.close()
        raise RestoreError(_("The archive holds members its manifest does not list: %(names)s") % {"names": ", ".join(extra[:5])})
    for name, digest in expected.items():
        try:
            actual = _sha256(_read(tar, members[name])) if name in members else None
        except (tarfile.TarError, EOFError, OSError) as exc:
            tar.close()
            raise RestoreError(_("Archive member %(name)s cannot be read (%(error)s).") % {"name": name, "error": exc}) from None
        if actual is None:
            tar.close()
            raise RestoreError(_("Archive member %(name)s is missing: the archive is incomplete.") % {"name": name})
        if actual != digest:
            tar.close()
            raise RestoreError(
                _("Archive member %(name)s does not match its sha256 in the manifest: the archive was altered or damaged.")
                % {"name": name}
            )
    return tar, members, manifest


def check_target(manifest: dict[str, Any]) -> None:
    """The database must carry the same migrations as the backup and be empty apart from `migrate`'s own rows."""
    here = applied_migrations()
    there = manifest["migrations"]
    if here != there:
        missing = sorted(f"{a}.{n}" for a, names in there.items() for n in names if n not in here.get(a, []))
        extra = sorted(f"{a}.{n}" for a, names in here.items() for n in names if n not in there.get(a, []))
        raise RestoreError(
            _(
                "The database's migrations differ from the backup's (missing here: %(missing)s; not in the backup: "
                "%(extra)s). Restore with the application version that wrote the backup (%(version)s)."
            )
            % {"missing": ", ".join(missing[:5]) or "-", "extra": ", ".join(extra[:5]) or "-", "version": manifest["app_version"]}
        )
    unknown = sorted(set(manifest["models"]) - {model_label(m) for m in dumped_models()})
    if unknown:
        raise RestoreError(
            _("The backup holds tables this installation does not have: %(names)s") % {"names": ", ".join(unknown)}
        )
    used = [model_label(m) for m in dumped_models() if model_label(m) not in SEEDED_BY_MIGRATIONS and m._base_manager.exists()]
    if used:
        raise RestoreError(
            _(
                "The database is not empty (%(tables)s hold rows): restore only into a freshly migrated, empty "
                "database. Nothing was changed."
            )
            % {"tables": ", ".join(used[:5])}
        )


def _objects(fh: IO[bytes], encrypted: list[str]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for line in fh:
        obj = json.loads(line)
        for name in encrypted:
            if obj["fields"].get(name):
                obj["fields"][name] = decrypt(obj["fields"][name])
        chunk.append(obj)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _clear_seeded() -> None:
    # Permissions before content types (they point at them); each model's own cascade handles the rest.
    for label in sorted(SEEDED_BY_MIGRATIONS, key=lambda lbl: lbl != "auth.permission"):
        apps.get_model(label)._base_manager.all().delete()


def _reset_sequences(loaded: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _restore_files(tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo], manifest: dict[str, Any]) -> int:
    for name, entry in manifest["files"].items():
        app_label, model_name, field_name = entry["field"].split(".")
        storage = apps.get_model(app_label, model_name)._meta.get_field(field_name).storage
        if storage.exists(name):
            storage.delete(name)  # a leftover of an earlier life of this media store: the backup's copy wins
        saved = storage.save(name, File(_read(tar, members[entry["member"]]), name=name))
        if saved != name:
            raise RestoreError(_("The storage stored %(name)s as %(saved)s.") % {"name": name, "saved": saved})
    return len(manifest["files"])


def restore(path: Path) -> RestoreSummary:
    tar, members, manifest = read_manifest(path)
    summary = RestoreSummary()
    with tar:
        check_target(manifest)
        by_label = {model_label(m): m for m in dumped_models()}
        with transaction.atomic():
            _clear_seeded()
            loaded = []
            for label, entry in manifest["models"].items():
                model = by_label[label]
                # Rows that signal handlers wrote during this restore (a version stamp bumped by the deletions
                # above or by a loaded many-to-many relation): the backup's rows replace them.
                model._base_manager.all().delete()
                count = 0
                for chunk in _objects(_read(tar, members[entry["member"]]), entry.get("encrypted", [])):
                    for obj in serializers.deserialize("python", chunk):
                        obj.save(force_insert=True)
                        count += 1
                if count != entry["rows"]:
                    raise RestoreError(
                        _("%(model)s: %(n)s rows loaded, the manifest says %(expected)s.")
                        % {"model": label, "n": count, "expected": entry["rows"]}
                    )
                loaded.append(model)
            for model in loaded:
                label = model_label(model)
                summary.rows[label] = model._base_manager.count()
                if summary.rows[label] != manifest["models"][label]["rows"]:
                    raise RestoreError(
                        _("%(model)s: %(n)s rows after loading, the manifest says %(expected)s.")
                        % {"model": label, "n": summary.rows[label], "expected": manifest["models"][label]["rows"]}
                    )
            connection.check_constraints()
            _reset_sequences(loaded)
            summary.files = _restore_files(tar, members, manifest)
            # Loading sends no change signals (raw saves): new tokens tell every process's caches to reload.
            stamps.bump(*VersionStamp.objects.order_by("name").values_list("name", flat=True))
        ContentType.objects.clear_cache()
    return summary
