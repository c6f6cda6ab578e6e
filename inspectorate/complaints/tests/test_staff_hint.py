"""The staff entry page's live similar-report hint (HTMX partial, like the public form's)."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.testing.matrix import assert_matrix

from .conftest import at, submit

pytestmark = pytest.mark.django_db

TEXT = "平江县某化工厂夜间偷排废水，河水发黑发臭，下游鱼塘死鱼"


def test_hint_matrix_and_content(world):
    w = world
    earlier = submit(world, text=TEXT)
    data = {"campaign": w.campaign.code, "text": TEXT + "很多", "polluter_name": ""}
    [r] = assert_matrix(
        "/complaints/new/similar/",
        method="post",
        data=data,
        api=False,
        allowed=[w.inspector],
        forbidden=[w.liaison_a, w.handler_a, w.auditor, w.liaison_b, w.outsider],
    )
    html = r.content.decode()
    assert 'class="similar"' in html and earlier.receipt_code in html
    assert f'href="/complaints/{earlier.pk}/"' in html
    assert "王小明" not in html and "13912345678" not in html  # staff see the text, never the reporter here


def test_hint_empty_for_short_text_unrelated_text_or_other_campaign(world):
    submit(world, text=TEXT)
    client = Client()
    client.force_login(world.inspector)
    url = "/complaints/new/similar/"
    assert client.post(url, {"campaign": world.campaign.code, "text": "废水"}).content.strip() == b""
    assert client.post(url, {"campaign": world.campaign.code, "text": "城区某KTV深夜噪声扰民严重影响休息"}).content.strip() == b""
    # A campaign the inspector cannot take complaints for gives nothing (no leak of its reports).
    assert client.post(url, {"campaign": world.other_campaign.code, "text": TEXT}).content.strip() == b""
    assert client.post(url, {"campaign": "no-such", "text": TEXT}).content.strip() == b""


def test_entry_page_wires_the_hint(world):
    client = Client()
    client.force_login(world.inspector)
    html = client.get("/complaints/new/").content.decode()
    assert 'id="similar-hint"' in html
    assert 'hx-post="/complaints/new/similar/"' in html
    assert "#id_campaign, #id_text" in html


@pytest.mark.parametrize(("lang", "needle"), [("en", "belong to no batch"), ("zh-hans", "不属于任何批次")])
def test_bulletin_page_explains_batch_rows(world, lang, needle):
    from django.conf import settings

    from .conftest import flow_to_dispatch

    flow_to_dispatch(world)
    client = Client()
    client.force_login(world.inspector)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = client.get(f"/complaints/bulletin/?campaign={world.campaign.code}&as_of={at(20).date()}").content.decode()
    assert 'id="batch-note"' in html and needle in html
