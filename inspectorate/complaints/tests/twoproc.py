"""A long-lived worker process for the two-process duplicate test (`test_dedup_two_processes.py`).

Run as ``manage.py shell -c "from inspectorate.complaints.tests.twoproc import serve; serve()"``; it reads
one JSON command per line on stdin and answers one JSON line on stdout:

* ``{"do": "setup"}``: build the test cast (a fresh database); answers ``{"ok": true}``;
* ``{"do": "submit", "body": {...}, "day": n}``: intake of a complaint by the cast's inspector on day n of
  the stay; answers ``{"id": ..., "similar": [[id, score], ...]}``;
* ``{"do": "check", "body": {...}, "day": n}``: `find_similar` only; answers ``{"similar": [...]}``.

The environment variable ``TWOPROC_NOW`` (a POSIX timestamp) moves the process's clock to the parent's
(the test session may run with a shifted clock).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _handle(cmd: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from inspectorate.campaigns.models import Campaign
    from inspectorate.complaints.actions import submit_complaint
    from inspectorate.complaints.similarity import find_similar
    from inspectorate.testing.clock import stay_at

    if cmd["do"] == "setup":
        from inspectorate.testing.cast import World

        World.build()
        return {"ok": True}
    campaign = Campaign.objects.get(code="hn-2-yueyang")
    body = dict(cmd["body"])
    when = stay_at(int(cmd.get("day", 1)), 10)
    if cmd["do"] == "submit":
        inspector = get_user_model().objects.get(username="inspector")
        c = submit_complaint(
            campaign=campaign, channel="phone", received_at=when, address="岳阳市云溪区", actor=inspector, **body
        )
        return {"id": str(c.pk), "similar": c.similar}
    hits = find_similar(
        campaign, body["text"], lat=body.get("lat"), lon=body.get("lon"), polluter_name=body.get("polluter_name", ""),
        at=when,
    )  # fmt: skip
    return {"similar": [[i, s] for i, s in hits]}


def serve() -> None:
    import time_machine

    now = os.environ.get("TWOPROC_NOW")
    traveller = time_machine.travel(float(now), tick=True) if now else None
    if traveller is not None:
        traveller.start()
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = _handle(json.loads(line))
        except Exception as exc:  # reported to the test, which fails with it
            out = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    from django.db import connections

    connections.close_all()  # end the database session before the test drops its database
