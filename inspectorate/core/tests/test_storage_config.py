"""STORAGE_BACKEND and the S3 settings: typed, private by construction, and a wrong value stops the process."""

from __future__ import annotations

import pytest

from inspectorate.core.env import SettingError
from inspectorate.core.storage_config import LOCAL_BACKEND, S3_BACKEND, storage_config

from .test_settings import run_check

S3 = {"STORAGE_BACKEND": "s3", "S3_BUCKET": "evidence", "S3_ACCESS_KEY_ID": "id", "S3_SECRET_ACCESS_KEY": "secret"}


def test_local_disk_is_the_default():
    assert storage_config({}) == {"BACKEND": LOCAL_BACKEND}
    assert storage_config({"STORAGE_BACKEND": "LOCAL"}) == {"BACKEND": LOCAL_BACKEND}


def test_s3_is_private_and_never_overwrites():
    cfg = storage_config({**S3, "S3_ENDPOINT_URL": "https://oss.example.org", "S3_REGION": "cn-north-1", "S3_PREFIX": "/prod/"})
    assert cfg["BACKEND"] == S3_BACKEND
    opts = cfg["OPTIONS"]
    assert (opts["bucket_name"], opts["endpoint_url"], opts["region_name"], opts["location"]) == (
        "evidence",
        "https://oss.example.org",
        "cn-north-1",
        "prod",
    )
    assert opts["default_acl"] == "private" and opts["querystring_auth"] is True and opts["file_overwrite"] is False
    assert opts["client_config"].s3 == {"addressing_style": "path"}  # an endpoint of its own: path-style by default
    assert storage_config(S3)["OPTIONS"]["client_config"].s3 == {"addressing_style": None}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND"),
        ({"STORAGE_BACKEND": "s3"}, "S3_BUCKET"),
        ({**S3, "S3_SECRET_ACCESS_KEY": ""}, "S3_SECRET_ACCESS_KEY"),
        ({**S3, "S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL"),
        ({**S3, "S3_ADDRESSING_STYLE": "sideways"}, "S3_ADDRESSING_STYLE"),
        ({**S3, "S3_MAX_ATTEMPTS": "often"}, "S3_MAX_ATTEMPTS"),
        ({**S3, "S3_VERIFY_TLS": "perhaps"}, "S3_VERIFY_TLS"),
    ],
)
def test_wrong_storage_settings_name_the_variable(env, variable):
    with pytest.raises(SettingError, match=variable):
        storage_config(env)


def test_the_process_stops_with_one_line():
    result = run_check({"DEBUG": "1", "STORAGE_BACKEND": "s3", "S3_BUCKET": "evidence"})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "S3_ACCESS_KEY_ID" in lines[0] and "Traceback" not in result.stderr
