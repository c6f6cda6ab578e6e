"""Wrong or missing settings stop the process with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_check(env_over: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "INSPECTORATE_FIELD_KEY", "INSPECTORATE_AUDIT_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env.update(env_over)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "INSPECTORATE_FIELD_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50, "INSPECTORATE_FIELD_KEY": "k"}, "INSPECTORATE_AUDIT_KEY"),
        (
            {"DEBUG": "0", "SECRET_KEY": "x" * 50, "INSPECTORATE_FIELD_KEY": "k", "INSPECTORATE_AUDIT_KEY": "a" * 40},
            "ALLOWED_HOSTS",
        ),
        ({"DEBUG": "1", "INSPECTORATE_AUDIT_KEY": "short"}, "INSPECTORATE_AUDIT_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "LOGIN_MAX_FAILURES": "many"}, "LOGIN_MAX_FAILURES"),
    ],
)
def test_bad_settings_fail_with_one_line(env, variable):
    result = run_check(env)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert variable in lines[0] and "Traceback" not in result.stderr


def test_production_starts_with_its_secrets():
    from cryptography.fernet import Fernet

    result = run_check(
        {
            "DEBUG": "0",
            "SECRET_KEY": "s" * 60,
            "INSPECTORATE_FIELD_KEY": Fernet.generate_key().decode(),
            "INSPECTORATE_AUDIT_KEY": "a" * 40,
            "ALLOWED_HOSTS": "inspect.example.org",
        }
    )
    assert result.returncode == 0, result.stderr
