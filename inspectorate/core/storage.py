"""Where files live (evidence, attachments, exports) and how they leave the building.

Files go through Django's storage API: the local disk (MEDIA_ROOT) by default, any S3-compatible store with
`STORAGE_BACKEND=s3` (see `storage_config.py`). Files are never public: nothing links to `/media/` or to the
bucket. Every download is **streamed through the app** (`serve_file`) after the view's own scope check
(`restrict()`/`authorize()`), so the bucket stays private, no signed URL can be passed on, and a revoked
permission takes effect at once.

A full disk or an unreachable store while saving raises `StorageUnavailable` (HTTP 503 with a message in the
user's language); the caller's transaction rolls back, so no row points at a file that was never stored and
no audit event claims it was. `cleanup_on_error` removes the files that were stored before the failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

log = logging.getLogger(__name__)

try:  # boto3 is only needed with STORAGE_BACKEND=s3
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError

    _REMOTE_ERRORS: tuple[type[BaseException], ...] = (Boto3Error, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - boto3 is in requirements.lock
    _REMOTE_ERRORS = ()

# What a storage raises when it cannot store or read: the local disk (full, read-only, gone) or the remote store.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, *_REMOTE_ERRORS)


class StorageUnavailable(exceptions.APIException):
    """The file store refused a write or a read (full disk, store down): nothing was recorded as stored."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "The file could not be stored or read: the file store is full or unavailable. Nothing was saved; please try again later."
    )
    default_code = "storage_unavailable"


@contextmanager
def storage_guard() -> Iterator[None]:
    """Turn a storage failure inside the block into StorageUnavailable (the original stays as the cause)."""
    try:
        yield
    except StorageUnavailable:
        raise
    except STORAGE_ERRORS as exc:
        log.error("file storage failed: %r", exc)
        raise StorageUnavailable() from exc


@contextmanager
def cleanup_on_error(storage: Any) -> Iterator[list[str]]:
    """Collects the names of files stored in the block; if the block fails, those files are deleted again.

    Use around a transaction that stores files and rows together: when a later file or the commit fails,
    the earlier files do not stay behind as orphans. A store that is down cannot delete either: that is logged.
    """
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            try:
                storage.delete(name)
            except STORAGE_ERRORS as exc:
                log.warning("could not remove %s after a failed save: %r", name, exc)
        raise


def serve_file(field_file: Any, *, filename: str, as_attachment: bool = True, content_type: str | None = None) -> FileResponse:
    """Stream a stored file to a caller the view has already authorised; 404 if the file is gone, 503 if the
    store cannot be read. Never a redirect and never a public URL."""
    if not field_file:
        raise Http404
    kwargs: dict[str, Any] = {"as_attachment": as_attachment, "filename": filename}
    if content_type:
        kwargs["content_type"] = content_type
    try:
        resp = FileResponse(field_file.open("rb"), **kwargs)
    except FileNotFoundError:
        raise Http404 from None
    except STORAGE_ERRORS as exc:
        log.error("file storage failed while reading %s: %r", field_file.name, exc)
        raise StorageUnavailable() from exc
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


class StorageErrorMiddleware:
    """A page whose file store failed answers 503 with the reason in the user's language, not a bare 500.

    (API views answer StorageUnavailable themselves: DRF turns it into 503 with `detail`.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StorageUnavailable):
            return None
        return render(request, "storage_unavailable.html", {"reason": str(exception.detail)}, status=503)
