"""Every catalogue is complete: each message has a Chinese translation and nothing is fuzzy."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1] / "inspectorate"
CATALOGUES = sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert ROOT / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{path}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{path}: fuzzy: {fuzzy[:10]}"


@pytest.mark.django_db
def test_default_language_is_chinese_and_english_switch_works(client):
    r = client.get("/accounts/login/")
    assert '<html lang="zh-hans">' in r.content.decode() and "登录" in r.content.decode()
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert '<html lang="en">' in r.content.decode() and "Log in" in r.content.decode()
