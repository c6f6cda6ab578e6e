"""KPI test cast: the facilities cast (group → sub → plant_a, plant_b) with ten days of logs and a scheme grading
the two plants over those days (dates relative to today).

plant_a: logs every day but day −5 (warned of), a fault on day −3 (with a reason).
plant_b: logs every day; a stop on day −2 without a reason, rejected on review (the veto item).
"""

from __future__ import annotations

from typing import Any

import pytest

from inspectorate.facilities import actions as fac
from inspectorate.facilities.models import Facility
from inspectorate.facilities.tests.conftest import Ent, day
from inspectorate.facilities.tests.conftest import ent as ent
from inspectorate.kpi import actions
from inspectorate.kpi.models import Scheme

INDICATORS = [
    {"name": "日志按时填报", "kind": "process", "metric": "logs_on_time", "weight": 60},
    {"name": "设施正常运行", "kind": "result", "metric": "facilities_running", "weight": 40},
    {"name": "日志缺报", "kind": "deduction", "metric": "missing_log_warnings", "points": 3, "cap": 2},
    {"name": "虚报停运", "kind": "veto", "metric": "logs_rejected"},
]


def logs(ent: Ent) -> None:
    for n in range(-10, 0):
        if n != -5:
            status, reason = ("fault", "风机故障") if n == -3 else ("running", "")
            fac.record_log(ent.facility_a, actor=ent.officer_a, day=day(n), status=status, reason=reason)
        log = fac.record_log(ent.facility_b, actor=ent.officer_b, day=day(n), status="stopped" if n == -2 else "running")
        if n == -2:
            fac.review_log(log, actor=ent.group_liaison, accept=False, note="抽查：当日未停运")
    fac.check_missing_logs(day(-5), facilities=Facility.objects.filter(pk__in=[ent.facility_a.pk, ent.facility_b.pk]))


def make_scheme(ent: Ent, **overrides: Any) -> Scheme:
    fields: dict[str, Any] = {
        "actor": ent.group_liaison, "owner_unit": ent.group, "title": "季度过程考核", "period_start": day(-10),
        "period_end": day(-1), "units": [ent.plant_a, ent.plant_b], "indicators": INDICATORS,
    }  # fmt: skip
    fields.update(overrides)
    return actions.create_scheme(**fields)


@pytest.fixture
def scored(ent: Ent) -> tuple[Ent, Scheme]:
    logs(ent)
    scheme = make_scheme(ent)
    actions.compute_scores(scheme, actor=ent.group_liaison)
    return ent, scheme
