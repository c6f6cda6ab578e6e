"""The demo's hidden-danger campaign (Shanxi Coking Coal, three levels) and Pingkuang's self-inspection."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.accounts.models import User
from inspectorate.demo import foundation
from inspectorate.demo import hazards as demo_hazards
from inspectorate.demo.registry import DemoContext
from inspectorate.hazards.models import Answer, ChecklistRun, HiddenDanger


def _load() -> None:
    ctx = DemoContext()
    foundation.load(ctx)
    demo_hazards.load(ctx)


def _seen(username: str, **params: str) -> set[str]:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return {r["title"] for r in c.get("/api/v1/hidden-dangers/", params).json()["results"]}


@pytest.mark.django_db
def test_demo_three_levels_escalation_and_self_inspection(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _load()
    counts = (HiddenDanger.objects.count(), ChecklistRun.objects.count(), Answer.objects.count())
    _load()
    assert (HiddenDanger.objects.count(), ChecklistRun.objects.count(), Answer.objects.count()) == counts == (5, 1, 4)
    sxjm = {"矸石山东坡局部自燃冒烟", "储煤场东侧挡风抑尘网破损", "矿井水处理站絮凝剂投加装置故障", "洗煤厂煤泥水闭路循环不完善"}
    assert _seen("sxjm_liaison") == sxjm  # the group sees all
    assert _seen("sxjm_officer") == sxjm - {"矿井水处理站絮凝剂投加装置故障"}  # Xishan: its mines and itself
    assert _seen("tunlan_officer") == {"矸石山东坡局部自燃冒烟", "储煤场东侧挡风抑尘网破损"}
    assert _seen("xinzhi_officer") == {"矿井水处理站絮凝剂投加装置故障"}  # never the sibling's
    assert _seen("sxjm_officer", escalated_to_me="true") == {"矸石山东坡局部自燃冒烟"}
    assert _seen("sxjm_liaison", overdue="true") >= {"矿井水处理站絮凝剂投加装置故障"}
    major = HiddenDanger.objects.get(title="矸石山东坡局部自燃冒烟")
    assert major.status == "pending_verification" and major.supervising_unit.code == "SXJM-XS"
    closed = HiddenDanger.objects.get(title="储煤场东侧挡风抑尘网破损")
    assert closed.status == "closed" and closed.verified_by != closed.rectified_by
    assert HiddenDanger.objects.get(title="洗煤厂煤泥水闭路循环不完善").problem.campaign.code == "sxjm-2021"
    # Pingkuang: the failed item of the coking plant's checklist is a hidden danger with its photo.
    failed = Answer.objects.get(result="fail")
    assert failed.run.inspection.campaign.code == "jx-2-jxig"
    assert failed.hidden_danger.unit.code == "JXIG-PK-COKE" and failed.hidden_danger.evidence.count() == 1
    assert failed.hidden_danger.title in _seen("pk_officer")
