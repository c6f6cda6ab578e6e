"""Shared state of several app processes: version stamps in Redis (or the database), the classifier seeing an
edit made by another process at once, and the client address from the trusted proxy header."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from inspectorate.complaints.classify import suggest
from inspectorate.complaints.models import KeywordRule
from inspectorate.core import stamps
from inspectorate.core.clientip import client_ip
from inspectorate.core.models import VersionStamp

ROOT = Path(__file__).resolve().parents[3]
REDIS = "redis://127.0.0.1:6379/0"
STRICT = os.environ.get("INSPECTORATE_STRICT") == "1"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _need_redis() -> None:
    if not _redis_up():
        if STRICT:
            pytest.fail("Redis is not listening on 127.0.0.1:6379 (INSPECTORATE_STRICT=1)")
        pytest.skip("Redis is not listening on 127.0.0.1:6379")


def _prefix() -> str:
    return f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"


def _drop_prefix(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def redis_cache(settings):  # type: ignore[no-untyped-def]
    _need_redis()
    prefix = _prefix()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    }
    yield prefix
    _drop_prefix(prefix)


# -- version stamps ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_shared_cache_the_stamp_is_read_from_the_database():
    assert not stamps.shared_cache()
    (before,) = stamps.current(stamps.KEYWORDS)
    stamps.bump(stamps.KEYWORDS)
    (after,) = stamps.current(stamps.KEYWORDS)
    assert after != before and after == VersionStamp.objects.get(name=stamps.KEYWORDS).token


@pytest.mark.django_db
def test_with_redis_the_stamp_moves_when_the_edit_commits(redis_cache, django_capture_on_commit_callbacks):
    import redis

    assert stamps.shared_cache()
    (before,) = stamps.current(stamps.KEYWORDS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stamps.bump(stamps.KEYWORDS)
    assert stamps.current(stamps.KEYWORDS) == (before,)  # not committed yet: readers keep the old token
    for callback in callbacks:
        callback()
    (after,) = stamps.current(stamps.KEYWORDS)
    stored = VersionStamp.objects.get(name=stamps.KEYWORDS).token
    assert after == stored != before
    raw = redis.Redis.from_url(REDIS).get(f"{redis_cache}:1:stamp:{stamps.KEYWORDS}")
    assert raw is not None and stored in raw.decode("latin-1")
    # Lost from the cache (a Redis restart): read again from the database.
    cache.delete(f"stamp:{stamps.KEYWORDS}")
    assert stamps.current(stamps.KEYWORDS) == (stored,)


@pytest.mark.django_db
def test_an_admin_edit_of_a_keyword_rule_reaches_the_classifier(world, redis_cache, django_capture_on_commit_callbacks):
    assert suggest("这里有很浓的沼气味道").pollution_types == ["other"]
    c = __import__("django.test", fromlist=["Client"]).Client()
    c.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/admin/complaints/keywordrule/add/",
            {"term": "沼气", "language": "zh", "pollution_type": "air", "sector": "", "weight": "1.0", "active": "on"},
        )
    assert r.status_code == 302, r.content.decode()[:1500]
    assert suggest("这里有很浓的沼气味道").pollution_types == ["air"]
    rule = KeywordRule.objects.get(term="沼气")
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/admin/complaints/keywordrule/{rule.pk}/delete/", {"post": "yes"})
    assert suggest("这里有很浓的沼气味道").pollution_types == ["other"]


# -- two real processes on one database file ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def file_db(_migrated_sqlite_template, tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("two-processes") / "db.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, path)  # a freshly migrated database file (conftest)
    return path


def _env(db_path: Path, redis_prefix: str | None) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db_path}"}
    env.pop("REDIS_URL", None)
    if redis_prefix:
        env.update(REDIS_URL=REDIS, CACHE_KEY_PREFIX=redis_prefix)
    return env


READER = """
import sys
from inspectorate.complaints.classify import suggest
text = {text!r}
print(suggest(text).pollution_types, flush=True)
sys.stdin.readline()
print(suggest(text).pollution_types, flush=True)
"""

WRITER = """
from inspectorate.complaints.models import KeywordRule
KeywordRule.objects.create(term={term!r}, language="zh", pollution_type="noise", weight=1.0)
"""


@pytest.mark.wall_clock
@pytest.mark.parametrize(("shared", "term"), [("redis", "汽笛长鸣"), ("database", "广场舞")])
def test_a_keyword_added_in_one_process_is_used_by_another_at_once(file_db, shared, term):
    prefix = None
    if shared == "redis":
        _need_redis()
        prefix = _prefix()
    env = _env(file_db, prefix)
    text = f"楼下每天{term}到深夜"
    reader = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", READER.format(text=text)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "['other']"  # dictionary built and kept in the reader
        writer = [sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITER.format(term=term)]
        subprocess.run(writer, cwd=ROOT, env=env, check=True, timeout=120)
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "['noise']"
        assert reader.wait(timeout=60) == 0
    finally:
        if reader.poll() is None:
            reader.kill()
        if prefix:
            _drop_prefix(prefix)


def test_two_schedulers_at_once_run_each_job_once(file_db):
    env = _env(file_db, None)
    noon = f"{timezone.localdate().isoformat()}T12:00"  # whatever the hour now, both jobs are due at noon
    jobs = ["--job", "audit_anchor", "--job", "complaint_deadlines"]
    cmd = [sys.executable, "manage.py", "run_scheduler", "--once", "--now", noon, *jobs]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    printed = "".join(o for o, _e in outs)
    assert printed.count("audit_anchor") == 1 and printed.count("complaint_deadlines") == 1
    check = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from inspectorate.core.models import SchedulerRun as R; "
            "print(sorted(R.objects.exclude(job__startswith='purge').values_list('job', 'status')))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert check.stdout.strip() == "[('audit_anchor', 'succeeded'), ('complaint_deadlines', 'succeeded')]"


# -- the client address -------------------------------------------------------------------------------------------


def _request(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HEADER = ""
    assert client_ip(_request("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left entry was written by the client: not trusted
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "203.0.113.9", "10.0.0.5"),  # fewer entries than proxies: the connection's address
        (1, "not-an-address", "10.0.0.5"),
        (1, "", "10.0.0.5"),
    ],
)
def test_behind_trusted_proxies_the_right_entry_counts(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request("10.0.0.5", forwarded)) == expected


@pytest.mark.django_db
def test_public_form_limit_counts_each_visitor_behind_the_proxy(settings):
    from inspectorate.portal.views import SUBMISSIONS_PER_HOUR, too_many_submissions

    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(SUBMISSIONS_PER_HOUR):
        assert not too_many_submissions(_request("10.0.0.1", "198.51.100.7"))
    assert too_many_submissions(_request("10.0.0.1", "198.51.100.7"))
    assert not too_many_submissions(_request("10.0.0.1", "198.51.100.8"))  # same proxy, another visitor
    assert too_many_submissions(_request("10.0.0.1", "1.2.3.4, 198.51.100.7"))  # a forged left entry changes nothing


@pytest.mark.django_db
def test_failed_logins_record_the_client_behind_the_proxy(settings, world):
    from django.test import Client

    from inspectorate.accounts.models import LoginFailure

    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").post(
        "/accounts/login/", {"username": world.inspector.username, "password": "wrong"}
    )
    assert list(LoginFailure.objects.values_list("ip", flat=True)) == ["198.51.100.7"]


# -- a rate limit counted in Redis ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_open311_key_limit_is_counted_in_redis_for_every_process(world, redis_cache):
    import redis
    from django.core.cache import caches

    from inspectorate.open311.actions import create_key, take_request

    key, _plain = create_key(
        name="city app", contact="ops@example.org", campaigns=[world.campaign], actor=world.admin, rate_limit=3
    )
    now = 1_900_000_000.0  # one fixed minute window
    assert [take_request(key, now=now) for _ in range(2)] == [True, True]
    # Another process: a new connection to the same Redis continues the same count.
    caches.close_all()
    del caches._connections.default  # type: ignore[attr-defined]
    assert take_request(key, now=now) is True
    assert take_request(key, now=now) is False
    stored = redis.Redis.from_url(REDIS).get(f"{redis_cache}:1:open311-rate:{key.pk}:{int(now // 60)}")
    assert stored is not None and int(stored) == 4


@pytest.mark.wall_clock
def test_the_long_running_scheduler_stops_on_sigterm(file_db):
    import signal

    proc = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--interval", "1", "--job", "purge_throttle_hits"],
        cwd=ROOT,
        env=_env(file_db, None),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("scheduler:")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
