"""A real S3-compatible server for tests: moto's standalone server in its own process on 127.0.0.1.

`MotoS3.start()` runs `python -m moto.server` on a free port and waits until it answers; `stop()` ends that
process (the store "goes down": connections are refused). `storages(bucket)` gives the STORAGES["default"]
entry the app would build from STORAGE_BACKEND=s3 with this server's endpoint (via `storage_config`, so the
tests exercise the same settings path as production).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from typing import Any

from inspectorate.core.storage_config import storage_config

ACCESS_KEY = "inspectorate-test"
SECRET_KEY = "inspectorate-test-secret"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MotoS3:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> MotoS3:
        self.proc = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.proc.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("moto server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def environ(self, bucket: str, **extra: str) -> dict[str, str]:
        return {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
            "S3_MAX_ATTEMPTS": "2",
            "S3_CONNECT_TIMEOUT": "2",
            **extra,
        }

    def storages(self, bucket: str, base: dict[str, Any], **extra: str) -> dict[str, Any]:
        """`base` (settings.STORAGES) with its default storage pointed at `bucket` on this server."""
        return {**base, "default": storage_config(self.environ(bucket, **extra))}


def moto_fixtures() -> tuple[Any, Any]:
    """(`moto_s3`, `s3_storage`) pytest fixtures: import both into a test module to use them.

    `moto_s3`: one server per test module. `s3_storage`: a fresh private bucket on it as the default storage
    for one test (settings.STORAGES overridden; MEDIA_ROOT pointed at an empty folder so nothing lands on disk
    unnoticed); yields (server, bucket).
    """
    import uuid

    import pytest

    @pytest.fixture(scope="module")
    def moto_s3() -> Any:
        server = MotoS3().start()
        yield server
        server.stop()

    @pytest.fixture
    def s3_storage(moto_s3: MotoS3, settings: Any, tmp_path: Any) -> Any:
        bucket = moto_s3.create_bucket(f"inspectorate-{uuid.uuid4().hex[:12]}")
        settings.MEDIA_ROOT = tmp_path / "no-media-here"
        settings.STORAGES = moto_s3.storages(bucket, settings.STORAGES)
        return moto_s3, bucket

    return moto_s3, s3_storage


def bucket_keys(server: MotoS3, bucket: str) -> list[str]:
    return [o["Key"] for o in server.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def anonymous_get(server: MotoS3, bucket: str, key: str) -> int:
    """The HTTP status of a GET on the object's plain URL without credentials (what a leaked link would get)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    url = f"{server.endpoint}/{bucket}/{urllib.parse.quote(key)}"
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 (a local test server)
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
