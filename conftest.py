"""Root pytest configuration: shared fixtures, and the rules for tests that need a browser or ../shared.

Locally such tests skip with a message; in CI (`INSPECTORATE_STRICT=1`, set by .ci/run) a
missing browser or ../shared fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent / "shared"
CHROMIUM = Path(os.environ.get("INSPECTORATE_CHROMIUM", "/usr/bin/chromium"))
STRICT = os.environ.get("INSPECTORATE_STRICT") == "1"


def need(condition: bool, message: str) -> None:
    if condition:
        return
    if STRICT:
        pytest.fail(f"{message} (INSPECTORATE_STRICT=1: CI treats this as a failure)")
    pytest.skip(message)


@pytest.fixture
def shared_dir() -> Path:
    need(SHARED.is_dir(), f"../shared is absent ({SHARED}); this test reads it")
    return SHARED


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from inspectorate.testing.cast import World

    return World.build()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Password hashing is not what the tests measure: a fast hasher keeps factories quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
