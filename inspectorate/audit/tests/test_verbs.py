"""Timelines read as sentences in the user's language: every verb the code records has words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from inspectorate.audit.admin_mixins import _verb
from inspectorate.audit.verbs import describe

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"""(?:record\(\s*[^,()]+,\s*|verb\s*=\s*)f?["']([a-z0-9_]+\.[a-z_]+)["']""")


def _recorded_verbs() -> set[str]:
    verbs = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        verbs |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    return verbs


def test_every_verb_written_in_the_code_has_words():
    verbs = _recorded_verbs()
    assert len(verbs) > 40  # the scan really finds the actions' verbs
    assert sorted(v for v in verbs if describe(v) is None) == []


def test_every_admin_verb_has_words():
    request = RequestFactory().get("/admin/")
    request.user = type("U", (), {"is_active": True, "is_staff": True, "is_superuser": True, "has_perm": lambda *a: True})()
    missing = []
    for model, model_admin in admin.site._registry.items():
        models = [model] + [inline.model for inline in model_admin.get_inline_instances(request)]
        editable = model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        for m in models if editable else []:
            for what in ("create", "update", "delete", "relations"):
                verb = _verb(m(), what)
                if describe(verb) is None:
                    missing.append(verb)
    assert missing == []


def test_words_in_both_languages_and_unknown_verbs_left_visible():
    with translation.override("zh-hans"):
        assert describe("task.apply_sign_off") == "申请验收销号"
        assert describe("leader.create") == "创建了责任领导"
    with translation.override("en"):
        assert describe("task.apply_sign_off") == "applied for sign-off"
        assert describe("leader.create") == "created the responsible leader"
    assert describe("spaceship.launch") is None


@pytest.mark.django_db
def test_timeline_is_sentences_with_the_hash_behind_a_toggle(world):
    from inspectorate import audit

    audit.record(world.handler_a, "case.reply", world.campaign)
    audit.record(world.handler_a, "spaceship.launch", world.campaign)
    html_zh = _render(world.campaign, "zh-hans")
    assert "报送办理结果" in html_zh and "case.reply" not in html_zh
    assert '<code class="verb">spaceship.launch</code>' in html_zh  # no words yet: shown as code, not hidden
    assert '<details class="hash"><summary>#' in html_zh
    assert "reported the handling result" in _render(world.campaign, "en")


def _render(obj, lang):  # type: ignore[no-untyped-def]
    with translation.override(lang):
        return Template("{% load audit_tags %}{% timeline obj %}").render(Context({"obj": obj}))
