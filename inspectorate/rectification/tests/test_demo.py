"""The rectification demo: published figures, planted fake-rectification cases caught, honest tasks not flagged, idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from inspectorate.demo import foundation
from inspectorate.demo import rectification as demo
from inspectorate.demo.registry import DemoContext
from inspectorate.rectification.models import Flag, Measure, Problem, Task
from inspectorate.rectification.schedule import schedule_state

pytestmark = pytest.mark.django_db


def test_demo_ledgers():
    ctx = DemoContext()
    foundation.load(ctx)
    demo.load(ctx)
    counts = (Task.objects.count(), Measure.objects.count(), Flag.objects.count())
    demo.load(ctx)  # idempotent
    assert (Task.objects.count(), Measure.objects.count(), Flag.objects.count()) == counts

    chalco = Task.objects.filter(campaign__code="c2-4-chinalco")
    assert Problem.objects.filter(campaign__code="c2-4-chinalco").count() == 27
    assert set(Problem.objects.filter(campaign__code="c2-4-chinalco").values_list("nature", flat=True)) == {
        "specific", "common", "deep_seated"
    }  # fmt: skip
    ms = Measure.objects.filter(task__campaign__code="c2-4-chinalco")
    assert (ms.filter(done=True).count(), ms.count()) == (43, 54)  # 79.6%, the sample of 162 / 204
    assert {t.lead_unit.code for t in chalco.select_related("lead_unit")} >= {"CHALCO-RE", "CHALCO-RE-GX", "CHALCO-RE-GX-HZ"}

    yy = list(Task.objects.filter(campaign__code="hn-2-yueyang").prefetch_related("measures"))
    assert Counter(str(schedule_state(t)) for t in yy) == {"done": 10, "on_schedule": 12, "behind": 1}
    assert set(Problem.objects.filter(campaign__code="hn-2-yueyang").values_list("source", flat=True)) == {
        "central_feedback", "complaint_case", "provincial_feedback", "self_found"
    }  # fmt: skip
    assert Counter(t.signoff_step for t in yy)["under_notice"] == 1

    sx = list(Task.objects.filter(campaign__code="sxjm-2021").prefetch_related("measures"))
    assert {str(schedule_state(t)) for t in sx} == {"done", "on_schedule", "behind", "overdue"}

    flagged = {(f.task.campaign.code, f.task.number, f.kind) for f in Flag.objects.select_related("task__campaign")}
    assert flagged == {
        ("c2-4-chinalco", "5.1", "reused_evidence"),
        ("c2-4-chinalco", "12.1", "reused_evidence"),
        ("c2-4-chinalco", "8.1", "shortened_notice"),
        ("sxjm-2021", "5", "contradicted_status"),
    }
