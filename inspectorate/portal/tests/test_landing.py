"""The public portal at `/` and the campaign page: only published things appear, every link resolves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.complaints import actions
from inspectorate.complaints.models import DisclosureTable

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_world(world):
    today = timezone.localdate()
    world.campaign.stationing_start = today - dt.timedelta(days=5)
    world.campaign.stationing_end = today + dt.timedelta(days=20)
    world.campaign.save()
    team = world.campaign.team
    team.hotline, team.po_box = "0730-12369", "岳阳市A001信箱"
    team.save()
    return world


def _batch(w, text, *, reply=True):
    c = actions.submit_complaint(campaign=w.campaign, channel="phone", text=text, address="岳阳市平江县城关镇", actor=w.inspector)
    case = actions.accept_complaint(c, actor=w.inspector)
    batch = actions.close_intake_day(w.campaign, case.intake_day, actor=w.inspector)
    actions.transfer_batch(batch, actor=w.team_leader)
    case.refresh_from_db()
    if reply:
        actions.reply_case(case, actor=w.admin, summary="经查属实", verdict="true", status="closed", measures="已责令停产整改")
        actions.review_case(case, actor=w.inspector, accept=True)
    return batch, case


def _local_links(body: str) -> set[str]:
    return {h for h in re.findall(r'href="(/[^"#]*)', body) if not h.startswith(("/static/", "/i18n/"))}


def test_landing_for_the_public_and_dashboard_for_staff(open_world):
    w = open_world
    anon = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    r = anon.get("/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "我要举报" in body and f"/public/report/{w.campaign.code}/" in body
    assert "/public/track/" in body and "0730-12369" in body and "岳阳市A001信箱" in body
    assert "08:00–20:00" in body
    assert f"/public/campaigns/{w.campaign.code}/" in body
    assert "权限内的督察" not in body  # no dashboard figures for the public
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert "Report pollution" in en and "Track my report" in en and "Past inspections" in en
    # Staff keep their dashboard at `/`, with the portal one click away.
    staff = Client()
    staff.force_login(w.liaison_a)
    body = staff.get("/").content.decode()
    assert "权限内的督察" in body and 'href="/public/"' in body
    # The portal is also at /public/ for everyone.
    assert "我要举报" in staff.get("/public/").content.decode()


def test_only_published_things_appear(open_world):
    w = open_world
    b1, _case1 = _batch(w, "平江县某化工厂夜间偷排废水，河水发黑发臭")
    published = actions.publish_batch(b1, actor=w.team_leader)
    DisclosureTable.objects.filter(pk=published.pk).update(published_at=timezone.now() - dt.timedelta(days=2))
    b2, case2 = _batch(w, "汨罗市某砖厂粉尘污染严重，周边农田受损")
    approved_only = actions.approve_disclosure(b2, actor=w.team_leader)
    b3, _case3 = _batch(w, "岳阳楼区某饭店油烟直排扰民", reply=False)
    later = actions.publish_batch(b3, actor=w.team_leader)
    unscreened = actions.submit_complaint(
        campaign=w.campaign,
        channel="web",
        text="尚未甄别的举报：某养猪场粪污直排入河",
        address="岳阳市平江县",
        reporter_name="钱七",
        reporter_phone="13911112222",
    )
    anon = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    pages = {url: anon.get(url) for url in ("/", f"/public/campaigns/{w.campaign.code}/")}
    for url, r in pages.items():
        body = r.content.decode()
        assert r.status_code == 200, url
        assert str(published.pk) in body and str(later.pk) in body
        assert str(approved_only.pk) not in body and case2.number not in body and "砖厂" not in body
        assert "养猪场" not in body and "钱七" not in body and "13911112222" not in body
        assert unscreened.receipt_code not in body
        for link in _local_links(body):
            assert anon.get(link).status_code == 200, f"{url} links to {link}"
    body = pages[f"/public/campaigns/{w.campaign.code}/"].content.decode()
    # The public line counts the published tables only: batches 1 and 3 (two cases, one closed, one open).
    line = re.search(r'<p class="bulletin-line">(.*?)</p>', body, re.S)
    assert line is not None
    text = " ".join(line.group(1).split())
    assert "2批" in text and "转办件2件" in text and "办结1件" in text and "正在办理1件" in text, text
    # History: as of each publication day; the earlier day saw batch 1 only.
    history = re.search(r'id="bulletin-history".*?</table>', body, re.S)
    assert history is not None
    rows = re.findall(
        r"<tr><td>(\d{4}-\d{2}-\d{2})</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", history.group(0)
    )
    assert [(n, c) for _d, n, c in rows] == [("2", "2"), ("1", "1")]
    # The staff bulletin (received, valid …) is not on the public page.
    assert "有效举报" not in body


def test_unknown_or_future_campaign_is_404(open_world):
    w = open_world
    anon = Client()
    assert anon.get("/public/campaigns/no-such-campaign/").status_code == 404
    w.other_campaign.stationing_start = timezone.localdate() + dt.timedelta(days=30)
    w.other_campaign.stationing_end = timezone.localdate() + dt.timedelta(days=60)
    w.other_campaign.save()
    assert anon.get(f"/public/campaigns/{w.other_campaign.code}/").status_code == 404
    assert w.other_campaign.code not in anon.get("/").content.decode()


def test_campaign_page_shows_published_plans_progress_and_notices(world):
    from inspectorate.rectification import actions as ractions
    from inspectorate.rectification.models import Plan, SignOffStep
    from inspectorate.rectification.tests.conftest import build
    from inspectorate.rectification.tests.test_api import at

    rect = build(world)
    w = rect.w
    under_notice = at(rect, SignOffStep.UNDER_NOTICE)
    signed_only = at(rect, SignOffStep.SIGNED)
    rect.task(progress=50)
    plan = ractions.create_plan(
        actor=w.liaison_a,
        campaign=w.campaign,
        target=w.city_a,
        title="岳阳整改方案",
        body="内部分工细节",
        public_summary="公开摘要",
    )
    draft = ractions.create_plan(actor=w.liaison_a, campaign=w.campaign, target=w.city_a, title="未公开的草稿方案", body="x")
    anon = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    url = f"/public/campaigns/{w.campaign.code}/"
    body = anon.get(url).content.decode()
    assert "岳阳整改方案" not in body  # not published yet
    for to, who in (
        ("internal_review", w.liaison_a),
        ("submitted", w.liaison_a),
        ("approved", w.team_leader),
        ("published", w.liaison_a),
    ):
        ractions.transition_plan(Plan.objects.get(pk=plan.pk), to, actor=who)
    body = anon.get(url).content.decode()
    assert "岳阳整改方案" in body and draft.title not in body and "内部分工细节" not in body
    assert rect.problem.title in body and 'role="progressbar"' in body
    assert f"/rectification/public/notices/{under_notice.pk}/#objection-form" in body
    assert str(signed_only.pk) not in body and rect.leader.name not in body
    for link in _local_links(body):
        assert anon.get(link).status_code == 200, link
    # The campaign's stationing is over: it is listed among the past inspections on the landing page.
    landing = anon.get("/").content.decode()
    assert url in landing.split('id="past-campaigns"')[1]
