"""Issue 9 point 4: the merge queue — clusters per intake day with evidence, merge in one step, unmerge,
audited, idempotent, counted right in the bulletin, and only for the campaign's screeners."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from inspectorate.audit.models import AuditEvent as Event
from inspectorate.complaints import actions, merge_queue
from inspectorate.complaints.bulletin import bulletin
from inspectorate.complaints.models import Case, CaseStatus, Complaint, ComplaintStatus
from inspectorate.testing.matrix import assert_matrix

from .conftest import at, submit

pytestmark = pytest.mark.django_db

# The example: one incident told twice, and a third telling; then a different problem on the same street.
TOLD = [
    {"text": "长岭精细化工晚上往湖里排污，松阳湖的水都变黑了", "polluter_name": "长岭精细化工", "lat": 29.4601, "lon": 113.2801},
    {
        "text": "云溪区长岭街道一家化工厂每天半夜偷偷往松阳湖排废水，请督察组尽快查处",
        "polluter_name": "岳阳市云溪区长岭精细化工有限公司",
        "lat": 29.4620,
        "lon": 113.2830,
    },
    {
        "text": "长岭精细化工有限公司深夜偷排污水进松阳湖，湖水发黑发臭",
        "polluter_name": "长岭精细化工有限公司",
        "lat": 29.4608,
        "lon": 113.2815,
    },
]
NOISE = {
    "text": "长岭街道宏发机械厂晚上机器轰鸣，吵得睡不着，请督察组尽快查处",
    "polluter_name": "宏发机械厂",
    "lat": 29.4610,
    "lon": 113.2810,
}


def _day_of(world):
    told = [submit(world, **t, received_at=at(3, 9 + i)) for i, t in enumerate(TOLD)]
    noise = submit(world, **NOISE, received_at=at(3, 14))
    return told, noise


def _api(user, lang="en"):
    c = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_authenticate(user)
    return c


def _url(world, day):
    return f"/api/v1/complaints/duplicate-clusters/?campaign={world.campaign.code}&day={day.isoformat()}"


def test_the_day_has_one_cluster_of_the_retellings_with_evidence(world):
    told, noise = _day_of(world)
    day = told[0].intake_day
    found = merge_queue.clusters(world.inspector, world.campaign, day)
    assert len(found) == 1
    (cl,) = found
    assert {m.pk for m in cl.members} == {c.pk for c in told}
    assert noise.pk not in {m.pk for m in cl.members}
    assert cl.is_open and cl.id == str(told[0].pk)
    best = cl.evidence[0]
    assert best.score >= 0.45 and best.polluter and best.place and best.time
    assert best.metres is not None and 0 < best.metres < 1000
    assert "松阳湖" in best.shared_words or "排污" in best.shared_words
    # The API says the same.
    r = _api(world.inspector).get(_url(world, day))
    assert r.status_code == 200, r.content
    (body,) = r.json()
    assert body["open"] is True and len(body["members"]) == 3
    assert body["evidence"][0]["signals"]["polluter"] is True and body["evidence"][0]["metres"] < 1000
    assert isinstance(body["evidence"][0]["shared_words"], list)
    r = _api(world.inspector).get(f"/api/v1/complaints/duplicate-clusters/{told[1].pk}/?campaign={world.campaign.code}&day={day}")
    assert r.status_code == 200 and r.json()["id"] == str(told[0].pk)
    # Another day has none.
    assert merge_queue.clusters(world.inspector, world.campaign, at(5).date()) == []


def test_merge_in_one_step_then_unmerge_with_audit_and_bulletin(world):
    told, _noise = _day_of(world)
    day = told[0].intake_day
    primary = told[0]
    case = actions.accept_complaint(primary, actor=world.inspector)
    other_case = actions.accept_complaint(told[2], actor=world.inspector)  # accepted on its own before the merge
    client = _api(world.inspector)
    body = {"primary": str(primary.pk), "duplicates": [str(told[1].pk), str(told[2].pk)], "reason": "同一问题"}
    r = client.post("/api/v1/complaints/duplicate-clusters/merge/", body, format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    assert r.status_code == 200, r.content
    assert {d["status"] for d in r.json()["duplicates"]} == {"duplicate"}
    for c in told[1:]:
        c.refresh_from_db()
        assert c.status == ComplaintStatus.DUPLICATE and c.duplicate_of_id == primary.pk and c.case_id == case.pk
    other_case.refresh_from_db()
    assert other_case.status == CaseStatus.MERGED and other_case.merged_into_id == case.pk
    ev = Event.objects.filter(verb="complaint.merge", object_id=str(told[1].pk)).get()
    assert ev.before["status"] == "received" and ev.after["status"] == "duplicate"
    assert Event.objects.filter(verb="case.merge", object_id=str(other_case.pk)).exists()
    # A retry with the same key answers the first result; nothing is merged twice.
    events = Event.objects.count()
    r2 = client.post("/api/v1/complaints/duplicate-clusters/merge/", body, format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    assert r2.status_code == 200 and r2.json() == r.json()
    assert Event.objects.count() == events
    # The same key with another body is refused; the same body without a key (a double click) is a clear 400.
    r3 = client.post(
        "/api/v1/complaints/duplicate-clusters/merge/", {**body, "reason": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="m-1"
    )
    assert r3.status_code == 422
    r4 = client.post("/api/v1/complaints/duplicate-clusters/merge/", body, format="json")
    assert r4.status_code == 400 and "no longer be merged" in str(r4.json())
    assert Event.objects.count() == events
    # The cluster is closed now; the queue shows it merged.
    (cl,) = merge_queue.clusters(world.inspector, world.campaign, day)
    assert not cl.is_open and len(cl.duplicates) == 2
    # Bulletin: 4 received, 4 valid, one case transferred for the three tellings (+ none for the noise, not accepted).
    batch = actions.close_intake_day(world.campaign, day, actor=world.inspector)
    actions.transfer_batch(batch, actor=world.team_leader, at=at(4, 9))
    figures = bulletin([world.campaign], at(4).date())
    assert (figures["received"], figures["valid"], figures["transferred"]) == (4, 4, 1)
    # Unmerge one (its own case comes back and goes in the next batch), with an Idempotency-Key.
    unmerge = f"/api/v1/complaints/{told[2].pk}/unmerge/"
    r = client.post(unmerge, {"reason": "不同问题"}, format="json", HTTP_IDEMPOTENCY_KEY="u-1")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted"
    unmerge = f"/api/v1/complaints/{told[2].pk}/unmerge/"
    r = client.post(unmerge, {"reason": "不同问题"}, format="json", HTTP_IDEMPOTENCY_KEY="u-1")
    assert r.status_code == 200 and Event.objects.filter(verb="complaint.unmerge").count() == 1
    r = client.post(f"/api/v1/complaints/{told[2].pk}/unmerge/", {"reason": "不同问题"}, format="json")
    assert r.status_code == 400  # a second unmerge without the key: clearly refused
    other_case.refresh_from_db()
    assert other_case.status == CaseStatus.REGISTERED and other_case.merged_into_id is None
    batch2 = actions.close_intake_day(world.campaign, day, actor=world.inspector)
    actions.transfer_batch(batch2, actor=world.team_leader, at=at(5, 9))
    figures = bulletin([world.campaign], at(5).date())
    assert (figures["received"], figures["valid"], figures["transferred"]) == (4, 4, 2)


def test_duplicates_merged_before_the_primary_has_a_case_join_it_and_count_once(world):
    told, _noise = _day_of(world)
    merged = actions.merge_cluster(told[1], [told[0], told[2]], actor=world.inspector, reason="同一问题")
    assert {c.case_id for c in merged} == {None}
    case = actions.accept_complaint(told[1], actor=world.inspector)
    assert set(Complaint.objects.filter(duplicate_of=told[1]).values_list("case_id", flat=True)) == {case.pk}
    # A duplicate cannot be accepted into a case of its own.
    told[0].refresh_from_db()
    with pytest.raises(Exception, match="already been decided"):
        actions.accept_complaint(told[0], actor=world.inspector)
    batch = actions.close_intake_day(world.campaign, told[0].intake_day, actor=world.inspector)
    actions.transfer_batch(batch, actor=world.team_leader, at=at(4, 9))
    figures = bulletin([world.campaign], at(4).date())
    assert (figures["received"], figures["valid"], figures["transferred"]) == (4, 4, 1)
    # Unmerged, it goes back to screening and out of the case.
    actions.unmerge_complaint(told[0], actor=world.inspector, reason="另案")
    told[0].refresh_from_db()
    assert told[0].status == ComplaintStatus.SCREENED and told[0].case_id is None and told[0].duplicate_of_id is None


def test_merge_refuses_a_complaint_with_a_case_under_a_primary_without_one(world):
    told, _noise = _day_of(world)
    actions.accept_complaint(told[2], actor=world.inspector)
    r = _api(world.inspector, "zh-hans").post(
        "/api/v1/complaints/duplicate-clusters/merge/",
        {"primary": str(told[0].pk), "duplicates": [str(told[2].pk)]},
        format="json",
    )
    assert r.status_code == 400 and "primary" in r.json()
    assert Complaint.objects.filter(status=ComplaintStatus.DUPLICATE).count() == 0
    r = _api(world.inspector).post(
        "/api/v1/complaints/duplicate-clusters/merge/", {"primary": str(told[0].pk), "duplicates": []}, format="json"
    )
    assert r.status_code == 400 and "duplicates" in r.json()
    r = _api(world.inspector).post(
        "/api/v1/complaints/duplicate-clusters/merge/", {"primary": "nope", "duplicates": ["x"]}, format="json"
    )
    assert r.status_code == 400
    r = _api(world.inspector).get(f"/api/v1/complaints/duplicate-clusters/?campaign={world.campaign.code}&day=2026-13-40")
    assert r.status_code == 400 and "day" in r.json()


def test_permission_matrix(world):
    told, _noise = _day_of(world)
    day = told[0].intake_day.isoformat()
    code = world.campaign.code
    # An inspector of another campaign: screens, but not this campaign.
    from inspectorate.testing.factories import MembershipFactory, UserFactory

    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, role="inspector", campaign=world.other_campaign)
    out, wrong = [stranger], [world.liaison_a, world.handler_a, world.auditor]
    allowed = [world.inspector, world.team_leader]
    assert_matrix(_url(world, told[0].intake_day), allowed=allowed, out_of_scope=out, forbidden=wrong)
    assert_matrix(
        f"/api/v1/complaints/duplicate-clusters/{told[0].pk}/?campaign={code}&day={day}",
        allowed=[world.inspector],
        out_of_scope=out,
        forbidden=wrong,
    )
    assert_matrix(
        "/api/v1/complaints/duplicate-clusters/merge/",
        method="post",
        data={"primary": str(told[0].pk), "duplicates": [str(told[1].pk)]},
        allowed=[world.inspector],
        out_of_scope=out,
        forbidden=wrong,
    )
    assert_matrix(
        f"/api/v1/complaints/{told[1].pk}/unmerge/",
        method="post",
        data={"reason": "另案"},
        allowed=[world.team_leader],
        out_of_scope=[*out, world.liaison_a, world.auditor],  # complaints are the team's: others get 404 as elsewhere
    )
    # Pages.
    assert_matrix(
        f"/complaints/merge-queue/?campaign={code}&day={day}", api=False, allowed=[world.inspector], out_of_scope=[],
        forbidden=wrong,
    )  # fmt: skip
    assert_matrix(
        f"/complaints/merge-queue/{told[0].pk}/?campaign={code}&day={day}", api=False, allowed=[world.inspector],
        out_of_scope=out, forbidden=wrong,
    )  # fmt: skip
    assert_matrix(
        f"/complaints/merge-queue/{told[0].pk}/merge/", method="post", api=False,
        data={"campaign": code, "day": day, "primary": str(told[0].pk), "duplicates": [str(told[2].pk)]},
        allowed=[world.inspector], out_of_scope=out, forbidden=wrong, ok=200,
    )  # fmt: skip
    assert_matrix(
        f"/complaints/merge-queue/unmerge/{told[1].pk}/", method="post", api=False, data={"day": day, "reason": "x"},
        allowed=[world.inspector], out_of_scope=out, forbidden=wrong, ok=200,
    )  # fmt: skip


def test_pages_merge_with_confirmation_and_unmerge(world):
    told, _noise = _day_of(world)
    day = told[0].intake_day.isoformat()
    code = world.campaign.code
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(world.inspector)
    r = page.get(f"/complaints/merge-queue/?campaign={code}")
    html = r.content.decode()
    assert r.status_code == 200 and "合并队列" in html and day in html and told[0].receipt_code in html
    r = page.get(f"/complaints/merge-queue/{told[0].pk}/?campaign={code}&day={day}")
    html = r.content.decode()
    assert r.status_code == 200 and "证据" in html and told[2].receipt_code in html and " 米" in html
    data = {"campaign": code, "day": day, "primary": str(told[0].pk), "duplicates": [str(told[1].pk), str(told[2].pk)]}
    r = page.post(f"/complaints/merge-queue/{told[0].pk}/merge/", {**data, "reason": "同一问题"})
    assert r.status_code == 200 and "确认合并" in r.content.decode()
    assert Complaint.objects.filter(status=ComplaintStatus.DUPLICATE).count() == 0  # not before confirming
    r = page.post(f"/complaints/merge-queue/{told[0].pk}/merge/", {**data, "reason": "同一问题", "confirm": "1"}, follow=True)
    assert r.status_code == 200 and Complaint.objects.filter(status=ComplaintStatus.DUPLICATE, duplicate_of=told[0]).count() == 2
    # A double click: the second post merges nothing and says why.
    r = page.post(f"/complaints/merge-queue/{told[0].pk}/merge/", {**data, "confirm": "1"}, follow=True)
    assert "不能再合并" in r.content.decode() or "无法再合并" in r.content.decode()
    assert Event.objects.filter(verb="complaint.merge").count() == 2
    r = page.post(f"/complaints/merge-queue/unmerge/{told[1].pk}/", {"day": day, "reason": "另案", "confirm": "1"}, follow=True)
    assert r.status_code == 200
    told[1].refresh_from_db()
    assert told[1].status == ComplaintStatus.SCREENED
    assert Case.objects.count() == 0


def test_demo_screening_day_has_a_cluster_to_merge():
    from inspectorate.demo import complaints, foundation
    from inspectorate.demo import merge_queue as demo_queue
    from inspectorate.demo.registry import DemoContext

    ctx = DemoContext()
    foundation.load(ctx)
    complaints.load(ctx)
    demo_queue.load(ctx)
    demo_queue.load(ctx)  # idempotent
    campaign = ctx.campaigns["hn-lookback-yueyang"]
    told = Complaint.objects.filter(campaign=campaign, extra__demo="merge_queue")
    assert told.count() == 4
    inspector = ctx.users["hn2_inspector"]
    day = told.first().intake_day
    open_ = [cl for cl in merge_queue.clusters(inspector, campaign, day) if cl.is_open]
    assert len(open_) == 1 and len(open_[0].members) == 3
