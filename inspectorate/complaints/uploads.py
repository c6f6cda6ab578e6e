"""Photo/video checks for public uploads: size and type by content (magic bytes), not by name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 50 * 1024 * 1024
MAX_FILES = 6
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def sniff(head: bytes) -> str:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"qt  ",):
            return "video/quicktime"
        if brand.startswith(b"heic") or brand in (b"heix", b"mif1"):
            return "image/heic"
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"%PDF"):
        return "application/pdf"
    return ""


def _read(f: Any) -> tuple[str, bytes]:
    if isinstance(f, tuple):
        return str(f[0]), bytes(f[1])
    name = getattr(f, "name", "upload")
    if hasattr(f, "seek"):
        f.seek(0)
    return str(name).rsplit("/", 1)[-1], f.read()


def precheck_sizes(files: Any) -> None:
    """Refuse oversized uploads by their declared size, before anything reads them into memory."""
    for f in files or ():
        size = len(f[1]) if isinstance(f, tuple) else getattr(f, "size", 0) or 0
        if size > MAX_VIDEO_BYTES:
            name = f[0] if isinstance(f, tuple) else getattr(f, "name", "upload")
            raise ValidationError(
                {
                    "attachments": _("%(name)s is too large (limit %(mb)d MB).")
                    % {"name": name, "mb": MAX_VIDEO_BYTES // (1024 * 1024)}
                }
            )


def check_media(files: Any) -> list[CheckedFile]:
    """Accept photos (≤10 MB) and videos (≤50 MB); anything else is a ValidationError naming the file."""
    files = list(files or ())
    if len(files) > MAX_FILES:
        raise ValidationError({"attachments": _("At most %(n)d files can be attached.") % {"n": MAX_FILES}})
    out = []
    for f in files:
        name, data = _read(f)
        kind = sniff(data[:32])
        if kind.startswith("image/"):
            limit = MAX_IMAGE_BYTES
        elif kind.startswith("video/"):
            limit = MAX_VIDEO_BYTES
        else:
            raise ValidationError(
                {
                    "attachments": _("%(name)s is not a photo or video (JPEG, PNG, WebP, GIF, HEIC, MP4, MOV, WebM).")
                    % {"name": name}
                }
            )
        if len(data) > limit:
            raise ValidationError(
                {"attachments": _("%(name)s is too large (limit %(mb)d MB).") % {"name": name, "mb": limit // (1024 * 1024)}}
            )
        out.append(CheckedFile(name[:200], data, kind, hashlib.sha256(data).hexdigest()))
    return out


def check_evidence(files: Any) -> list[CheckedFile]:
    out = []
    for f in files or ():
        name, data = _read(f)
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValidationError({"evidence": _("%(name)s is too large (limit %(mb)d MB).") % {"name": name, "mb": 50}})
        if not data:
            raise ValidationError({"evidence": _("%(name)s is empty.") % {"name": name}})
        out.append(
            CheckedFile(name[:200], data, sniff(data[:32]) or "application/octet-stream", hashlib.sha256(data).hexdigest())
        )
    return out
