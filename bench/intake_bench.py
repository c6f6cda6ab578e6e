"""Intake throughput: POST /api/v1/complaints/ vs a bare insert, with triage (classify, route, dedup check) in the
request (INTAKE_TRIAGE=inline, the embedded default) and in the task worker (=worker, the production profile), and
the task worker's rate of triaging what was queued (the work moved out of the request is measured, not hidden)."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from typing import Any

from bench.generator import generate
from bench.report import Report

HISTORY = 20_000


def _ready() -> bool:
    try:
        from inspectorate.complaints.actions import submit_complaint  # noqa: F401
    except ImportError:
        return False
    return True


def run(report: Report, *, requests: int) -> None:
    report.section("Intake throughput (Django test client, token auth, same process and database)")
    if not _ready():
        report.figure(
            "intake / bare insert throughput", "UNFINISHED: inspectorate.complaints.actions.submit_complaint is missing"
        )
        return
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from inspectorate.accounts.models import ApiToken, hash_token
    from inspectorate.complaints.actions.triage import pending, triage_pending
    from inspectorate.complaints.dedup_store import backfill
    from inspectorate.complaints.models import Complaint
    from inspectorate.testing.cast import World

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    world = World.build()
    campaign: Any = world.campaign
    today = timezone.localdate()
    campaign.stationing_start = today - dt.timedelta(days=10)
    campaign.stationing_end = today + dt.timedelta(days=10)
    campaign.save()
    history = generate(HISTORY, seed=777).complaints
    now = timezone.now()
    Complaint.objects.bulk_create(
        [
            Complaint(
                campaign=campaign, channel="phone", text=c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter,
                received_at=now - dt.timedelta(hours=k % 200), intake_day=today - dt.timedelta(days=(k % 200) // 24),
                triaged_at=now,
            )
            for k, c in enumerate(history)
        ],
        batch_size=2000,
    )  # fmt: skip
    backfill(campaign)  # the history's duplicate-check keys and stored features, as intake would have written them
    key = ApiToken.new_key()
    ApiToken.objects.create(user=world.inspector, name="bench", prefix=key[:12], key_hash=hash_token(key))
    settings.ROOT_URLCONF = "bench.urls"
    # As in production: DEBUG off, so that no query is recorded in connection.queries (a cost per query, which
    # the endpoint with more queries would pay more of).
    settings.DEBUG = False
    report.note(
        f"set-up {time.perf_counter() - t:.1f} s: migrated a throwaway SQLite database, {HISTORY:,} complaints of history"
        " with their dedup keys"
    )

    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    payloads = generate(3 * requests + 120, seed=31337).complaints

    def body(c: Any) -> dict[str, Any]:
        return {
            "campaign": campaign.code, "campaign_id": str(campaign.pk), "channel": "web", "text": c.text,
            "lat": c.lat, "lon": c.lon, "address": "湖南省岳阳市平江县", "polluter_name": c.polluter,
        }  # fmt: skip

    def post(url: str, c: Any) -> float:
        t0 = time.perf_counter()
        r = client.post(url, json.dumps(body(c)), content_type="application/json")
        spent = time.perf_counter() - t0
        if r.status_code != 201:
            raise RuntimeError(f"{url}: {r.status_code} {r.content[:300]!r}")
        return spent

    def intake(c: Any, mode: str) -> float:
        settings.INTAKE_TRIAGE = mode
        return post("/api/v1/complaints/", c)

    # warm-up: the first intake loads the keyword dictionary, the jurisdiction polygons and jieba
    t = time.perf_counter()
    intake(payloads[0], "inline")
    report.note(
        f"first intake (loads the dictionary, polygons, jieba; {HISTORY:,} complaints stored): {time.perf_counter() - t:.2f} s"
    )
    for c in payloads[1:10]:
        intake(c, "inline")
    for c in payloads[10:15]:
        intake(c, "worker")
    for c in payloads[15:20]:
        post("/bench/bare-insert/", c)
    triage_pending()  # the warm-up's queue
    inline: list[float] = []
    worker: list[float] = []
    bare: list[float] = []
    rest = payloads[20:]
    block = 25
    for s in range(0, requests, block):  # interleaved blocks, so that drift hits all three alike
        chunk = rest[3 * s : 3 * s + 3 * block]
        for c in chunk[:block]:
            inline.append(intake(c, "inline"))
        for c in chunk[block : 2 * block]:
            worker.append(intake(c, "worker"))
        for c in chunk[2 * block :]:
            bare.append(post("/bench/bare-insert/", c))
    settings.INTAKE_TRIAGE = "inline"
    waiting = pending().count()
    t = time.perf_counter()
    drained = triage_pending()
    drain = time.perf_counter() - t

    def rate(xs: list[float]) -> str:
        return f"{len(xs) / sum(xs):.0f}/s (median {statistics.median(xs) * 1000:.1f} ms)"

    report.figure("bare insert endpoint, requests/s (baseline)", rate(bare))
    report.figure("POST /api/v1/complaints/, triage in the request (INTAKE_TRIAGE=inline), requests/s", rate(inline))
    report.figure("POST /api/v1/complaints/, triage in the task worker (INTAKE_TRIAGE=worker), requests/s", rate(worker))
    bare_rate = len(bare) / sum(bare)
    report.figure("intake, triage in the request / bare insert", f"{len(inline) / sum(inline) / bare_rate:.2f}×")
    ratio = len(worker) / sum(worker) / bare_rate
    report.figure("intake, triage in the task worker (production profile) / bare insert", f"{ratio:.2f}×", "≥ 0.5×", ratio >= 0.5)
    report.figure(
        "the task worker's triage of what that intake queued",
        f"{drained} of {waiting} in {drain:.2f} s, {drained / drain:.0f}/s (one process)",
    )
    rest = rest[3 * requests :]
    _breakdown(report, lambda c: intake(c, "inline"), rest[:40], "triage in the request")
    _breakdown(report, lambda c: intake(c, "worker"), rest[40:80], "triage in the task worker")
    settings.INTAKE_TRIAGE = "inline"
    settings.DEBUG = True


# Where an intake request spends its time (cumulative, under cProfile: the shares are what matters).
STEPS = [
    ("inspectorate/complaints/api.py", "create", "whole API call (parse, serialise, respond)"),
    ("inspectorate/complaints/api.py", "campaign_by_ref", "campaign look-up through the user's scope"),
    ("inspectorate/accounts/authentication.py", "authenticate", "token authentication"),
    ("inspectorate/complaints/actions/intake.py", "submit_complaint", "submit_complaint (the action)"),
    ("inspectorate/complaints/actions/triage.py", "queue", "  queue the triage task (one row)"),
    ("inspectorate/complaints/actions/triage.py", "assess", "  triage: classify, route, dedup check"),
    ("inspectorate/complaints/classify.py", "suggest", "  classify (keyword dictionary, jieba)"),
    ("inspectorate/complaints/routing.py", "route", "  route (polygon, address, enterprise registry)"),
    ("inspectorate/complaints/similarity.py", "find_similar", "  dedup check (index query + existence check)"),
    ("inspectorate/complaints/similarity.py", "index_add", "  dedup index add"),
    ("inspectorate/audit/__init__.py", "record", "  audit event (hash chain)"),
]


def _breakdown(report: Report, call: Any, sample: list[Any], label: str) -> None:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for c in sample:
        call(c)
    prof.disable()
    if os.environ.get("BENCH_PROFILE_DIR"):  # the whole profile, for `python -m pstats` (one file per mode)
        prof.dump_stats(os.path.join(os.environ["BENCH_PROFILE_DIR"], f"intake-{label.rsplit(' ', 1)[-1]}.prof"))
    stats: Any = pstats.Stats(prof).stats
    totals: dict[tuple[str, str], float] = {}
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.items():
        for path, name, _label in STEPS:
            if filename.endswith(path) and func == name:
                totals[(path, name)] = totals.get((path, name), 0.0) + ct
    whole = totals.get((STEPS[0][0], STEPS[0][1])) or 1.0
    report.note(
        f"where an intake request spends its time, {label} ({len(sample)} requests under cProfile, share of the API call):"
    )
    for path, name, step in STEPS[1:]:
        share = totals.get((path, name), 0.0)
        if share:
            report.note(f"  {step:<52} {100 * share / whole:5.1f} %")
