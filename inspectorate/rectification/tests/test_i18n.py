"""The zh-hans catalogue is complete and used."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from inspectorate.rectification.models import FlagKind, ScheduleState, TaskStatus

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_filled_without_fuzzy_entries():
    import polib

    po = polib.pofile(str(PO))
    assert not po.fuzzy_entries()
    empty = [e.msgid for e in po if not (e.msgstr or any(e.msgstr_plural.values()))]
    assert empty == []
    assert len(po) > 300


@pytest.mark.django_db
def test_pages_speak_chinese(rect, client):
    with translation.override("zh-hans"):
        assert str(TaskStatus.CLOSED.label) == "已销号"
        assert str(ScheduleState.BEHIND.label) == "滞后"
        assert str(FlagKind.REUSED_EVIDENCE.label) == "佐证材料重复使用"
    client.force_login(rect.w.liaison_a)
    body = client.get("/rectification/battle-map/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "挂图作战" in body
