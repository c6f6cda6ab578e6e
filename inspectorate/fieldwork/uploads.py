"""Checks for delivered documents: type by content (magic bytes) and name, size; photos reuse the complaint checks."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inspectorate.complaints.uploads import CheckedFile, _read, sniff

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_DOCUMENT_FILES = 10
# Office files are zip containers; the name says which.
OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OLE = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}
ALLOWED_TEXT = "PDF, Word, Excel, PowerPoint, JPEG, PNG, WebP, GIF, HEIC, zip"


def _kind(name: str, data: bytes) -> str:
    lower = name.lower()
    ext = lower[lower.rfind(".") :] if "." in lower else ""
    found = sniff(data[:32])
    if found == "application/pdf" or found.startswith("image/"):
        return found
    if data.startswith(b"PK\x03\x04"):
        return OFFICE.get(ext, "application/zip")
    if data.startswith(b"\xd0\xcf\x11\xe0") and ext in OLE:
        return OLE[ext]
    return ""


def check_documents(files: Any, field: str = "files") -> list[CheckedFile]:
    """Accept documents an inspection asks for; refuse anything else, empty or too large, naming the file."""
    files = list(files or ())
    if not files:
        raise ValidationError({field: _("Attach at least one file.")})
    if len(files) > MAX_DOCUMENT_FILES:
        raise ValidationError({field: _("At most %(n)d files can be attached.") % {"n": MAX_DOCUMENT_FILES}})
    out = []
    for f in files:
        declared = len(f[1]) if isinstance(f, tuple) else getattr(f, "size", 0) or 0
        name_hint = f[0] if isinstance(f, tuple) else getattr(f, "name", "upload")
        if declared > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                {field: _("%(name)s is too large (limit %(mb)d MB).") % {"name": name_hint, "mb": MAX_DOCUMENT_BYTES // 1048576}}
            )
        name, data = _read(f)
        if not data:
            raise ValidationError({field: _("%(name)s is empty.") % {"name": name}})
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                {field: _("%(name)s is too large (limit %(mb)d MB).") % {"name": name, "mb": MAX_DOCUMENT_BYTES // 1048576}}
            )
        kind = _kind(name, data)
        if not kind:
            raise ValidationError(
                {field: _("%(name)s is not an accepted document type (%(types)s).") % {"name": name, "types": ALLOWED_TEXT}}
            )
        out.append(CheckedFile(name[:200], data, kind, hashlib.sha256(data).hexdigest()))
    return out
