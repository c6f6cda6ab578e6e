"""Intake throughput: POST /api/v1/complaints/ (validate, classify, route, dedup check, audit) vs a bare insert."""

from __future__ import annotations

import datetime as dt
import json
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
            )
            for k, c in enumerate(history)
        ],
        batch_size=2000,
    )  # fmt: skip
    key = ApiToken.new_key()
    ApiToken.objects.create(user=world.inspector, name="bench", prefix=key[:12], key_hash=hash_token(key))
    settings.ROOT_URLCONF = "bench.urls"
    report.note(
        f"set-up {time.perf_counter() - t:.1f} s: migrated a throwaway SQLite database, {HISTORY:,} complaints of history"
    )

    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    payloads = generate(2 * requests + 60, seed=31337).complaints

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

    # warm-up: the first intake builds the campaign's dedup index from the history
    t = time.perf_counter()
    post("/api/v1/complaints/", payloads[0])
    report.note(f"first intake (builds the dedup index over {HISTORY:,} complaints): {time.perf_counter() - t:.2f} s")
    for c in payloads[1:10]:
        post("/api/v1/complaints/", c)
    for c in payloads[10:20]:
        post("/bench/bare-insert/", c)
    full: list[float] = []
    bare: list[float] = []
    rest = payloads[20:]
    block = 25
    for s in range(0, requests, block):  # interleaved blocks, so that drift hits both alike
        for c in rest[2 * s : 2 * s + block]:
            full.append(post("/api/v1/complaints/", c))
        for c in rest[2 * s + block : 2 * s + 2 * block]:
            bare.append(post("/bench/bare-insert/", c))
    full_rate = len(full) / sum(full)
    bare_rate = len(bare) / sum(bare)
    report.figure(
        "bare insert endpoint, requests/s (baseline)", f"{bare_rate:.0f}/s (median {statistics.median(bare) * 1000:.1f} ms)"
    )
    report.figure(
        "POST /api/v1/complaints/ (full intake), requests/s",
        f"{full_rate:.0f}/s (median {statistics.median(full) * 1000:.1f} ms)",
    )
    ratio = full_rate / bare_rate
    report.figure("intake throughput / bare insert throughput", f"{ratio:.2f}×", "≥ 0.5×", ratio >= 0.5)
    _breakdown(report, lambda c: post("/api/v1/complaints/", c), rest[2 * requests : 2 * requests + 40])


# Where an intake request spends its time (cumulative, under cProfile: the shares are what matters).
STEPS = [
    ("inspectorate/complaints/api.py", "create", "whole API call (parse, serialise, respond)"),
    ("inspectorate/complaints/api.py", "campaign_by_ref", "campaign look-up through the user's scope"),
    ("inspectorate/accounts/authentication.py", "authenticate", "token authentication"),
    ("inspectorate/complaints/actions/intake.py", "submit_complaint", "submit_complaint (the action)"),
    ("inspectorate/complaints/classify.py", "suggest", "  classify (keyword dictionary, jieba)"),
    ("inspectorate/complaints/routing.py", "route", "  route (polygon, address, enterprise registry)"),
    ("inspectorate/complaints/similarity.py", "find_similar", "  dedup check (index query + existence check)"),
    ("inspectorate/complaints/similarity.py", "index_add", "  dedup index add"),
    ("inspectorate/audit/__init__.py", "record", "  audit event (hash chain)"),
]


def _breakdown(report: Report, call: Any, sample: list[Any]) -> None:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for c in sample:
        call(c)
    prof.disable()
    stats: Any = pstats.Stats(prof).stats
    totals: dict[tuple[str, str], float] = {}
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.items():
        for path, name, _label in STEPS:
            if filename.endswith(path) and func == name:
                totals[(path, name)] = totals.get((path, name), 0.0) + ct
    whole = totals.get((STEPS[0][0], STEPS[0][1])) or 1.0
    report.note(f"where an intake request spends its time ({len(sample)} requests under cProfile, share of the API call):")
    for path, name, label in STEPS[1:]:
        report.note(f"  {label:<52} {100 * totals.get((path, name), 0.0) / whole:5.1f} %")
