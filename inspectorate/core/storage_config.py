"""STORAGES["default"] from typed environment settings (read by settings.py; imports nothing of Django)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .env import SettingError, env_bool, env_int, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"


def storage_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """STORAGES["default"] from the environment; a wrong or missing setting raises SettingError naming it.

    STORAGE_BACKEND=local (default): files under MEDIA_ROOT.
    STORAGE_BACKEND=s3: S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required; S3_ENDPOINT_URL
    (any S3-compatible store, e.g. MinIO or a cloud provider's OSS/COS endpoint), S3_REGION, S3_PREFIX,
    S3_ADDRESSING_STYLE (path|virtual; path when an endpoint is given), S3_VERIFY_TLS, S3_CONNECT_TIMEOUT,
    S3_READ_TIMEOUT (seconds) and S3_MAX_ATTEMPTS are optional.
    Objects are written private (no ACL grant to anyone) and never overwritten.
    """
    backend = (env_str("STORAGE_BACKEND", "local", environ=environ) or "local").strip().lower()
    if backend == "local":
        return {"BACKEND": LOCAL_BACKEND}
    if backend != "s3":
        raise SettingError(f"STORAGE_BACKEND must be local or s3 (got {backend!r})")
    missing = [n for n in ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY") if not env_str(n, environ=environ)]
    if missing:
        raise SettingError(f"{missing[0]} is not set (required with STORAGE_BACKEND=s3)")
    endpoint = env_str("S3_ENDPOINT_URL", environ=environ)
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise SettingError(f"S3_ENDPOINT_URL must start with http:// or https:// (got {endpoint!r})")
    style = (env_str("S3_ADDRESSING_STYLE", "path" if endpoint else "auto", environ=environ) or "").lower()
    if style not in ("path", "virtual", "auto"):
        raise SettingError(f"S3_ADDRESSING_STYLE must be path, virtual or auto (got {style!r})")
    from botocore.config import Config

    options: dict[str, Any] = {
        "bucket_name": env_str("S3_BUCKET", environ=environ),
        "access_key": env_str("S3_ACCESS_KEY_ID", environ=environ),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY", environ=environ),
        "endpoint_url": endpoint,
        "region_name": env_str("S3_REGION", environ=environ),
        "location": (env_str("S3_PREFIX", "", environ=environ) or "").strip("/"),
        "client_config": Config(
            s3={"addressing_style": None if style == "auto" else style},
            signature_version="s3v4",
            connect_timeout=env_int("S3_CONNECT_TIMEOUT", 5, environ=environ),
            read_timeout=env_int("S3_READ_TIMEOUT", 60, environ=environ),
            retries={"max_attempts": env_int("S3_MAX_ATTEMPTS", 3, environ=environ), "mode": "standard"},
        ),
        "verify": env_bool("S3_VERIFY_TLS", True, environ=environ),
        # Never public: private objects, URLs (never handed out by the app) would be signed, no overwrites.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        # A download is fetched into a temporary file before it is streamed: beyond 2 MB on disk, not in memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
