"""Form pages (issue 10): create and edit interviews and accountability issues, add records, record a later
career step. Bad input comes back with what was typed and bilingual errors; every save is audited; the
permission matrix covers anonymous, out-of-scope, wrong-role and allowed users (the target never creates nor
sees accountability drafts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.accountability.models import AccountabilityIssue, AccountabilityRecord, CareerEvent, Interview
from inspectorate.audit.models import AuditEvent
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .test_issues import make_issue, walk_to

pytestmark = pytest.mark.django_db


def login(user, lang="zh-hans"):
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


def interview_data(acc, **kw):
    data = {
        "campaign": str(acc.w.campaign.pk),
        "title": "平江县黑臭水体整治约谈",
        "reason": "lagging_rectification",
        "units": [str(acc.w.county_a.pk)],
        "interview_date": str(today() - dt.timedelta(days=1)),
        "report_due": "",
        "requirements": "30日内报送整改报告",
        "persons": "李某某 | 平江县县长\n王某 | 副县长 | 平江县",
    }
    data.update(kw)
    return data


def test_interview_create_and_edit_pages(acc):
    w = acc.w
    assert_matrix(
        "/accountability/interviews/new/",
        api=False,
        allowed=[w.inspector, w.team_leader],
        forbidden=[w.liaison_a, acc.discipline],
    )
    c = login(w.inspector)
    r = c.post("/accountability/interviews/new/", interview_data(acc))
    assert r.status_code == 302, r.content.decode()[:2000]
    i = Interview.objects.get()
    assert i.report_due == i.interview_date + dt.timedelta(days=30)
    assert sorted(p.name for p in i.persons.all()) == ["李某某", "王某"]
    assert AuditEvent.objects.filter(verb="interview.create", object_id=str(i.pk)).exists()
    edit = f"/accountability/interviews/{i.pk}/edit/"
    assert_matrix(
        edit,
        api=False,
        allowed=[w.inspector],
        forbidden=[w.liaison_a, acc.discipline],
        out_of_scope=[acc.discipline_b, w.liaison_b],
    )
    data = interview_data(acc, title="改期后的约谈", interview_date=str(today() + dt.timedelta(days=3)), report_due="")
    data.pop("campaign")
    r = c.post(edit, data)
    assert r.status_code == 302, r.content.decode()[r.content.decode().find("errorlist") - 200 :][:1500]
    i.refresh_from_db()
    assert i.title == "改期后的约谈" and i.report_due == today() + dt.timedelta(days=33)
    assert AuditEvent.objects.filter(verb="interview.update", object_id=str(i.pk)).exists()


def test_interview_bad_input_kept_and_explained_in_both_languages(acc):
    c = login(acc.w.inspector)
    bad = interview_data(acc, report_due=str(today() - dt.timedelta(days=5)), persons="李某某 | 县长\n李某某 | 县长")
    r = c.post("/accountability/interviews/new/", bad)
    page = r.content.decode()
    assert r.status_code == 400 and Interview.objects.count() == 0
    assert "约谈" in page and "30日内报送整改报告" in page  # nothing lost
    assert "报告期限不能早于约谈日期。" in page
    assert "李某某" in page and "重复" in page
    r = login(acc.w.inspector, "en").post("/accountability/interviews/new/", {**bad, "persons": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "The report cannot be due before the interview." in r.content.decode()


def issue_data(acc, **kw):
    data = {
        "campaign": str(acc.w.campaign.pk),
        "title": "平江县黑臭水体整治不力",
        "facts": "整治工程长期停滞，虚报完成情况。",
        "responsible_units": [str(acc.w.county_a.pk)],
        "suggested_people": "建议追责：副县长李某某",
        "handed_over_on": str(today() - dt.timedelta(days=5)),
    }
    data.update(kw)
    return data


def test_issue_create_and_edit_pages(acc):
    w = acc.w
    # The target (liaison office) never creates a draft, nor does the discipline body or an inspector.
    assert_matrix(
        "/accountability/issues/new/", api=False, allowed=[w.team_leader], forbidden=[w.liaison_a, acc.discipline, w.inspector]
    )
    c = login(w.team_leader)
    r = c.post("/accountability/issues/new/", issue_data(acc))
    assert r.status_code == 302
    issue = AccountabilityIssue.objects.get()
    assert AuditEvent.objects.filter(verb="accountability_issue.create", object_id=str(issue.pk)).exists()
    edit = f"/accountability/issues/{issue.pk}/edit/"
    # The draft is invisible to the target: 404, like for people of another city.
    assert_matrix(
        edit, api=False, allowed=[w.team_leader], forbidden=[w.inspector, acc.discipline], out_of_scope=[w.liaison_a, w.liaison_b]
    )
    data = issue_data(acc, title="平江县黑臭水体整治不力（修订）")
    data.pop("campaign")
    assert c.post(edit, data).status_code == 302
    issue.refresh_from_db()
    assert issue.title.endswith("（修订）")
    assert AuditEvent.objects.filter(verb="accountability_issue.update", object_id=str(issue.pk)).exists()
    # Bad input: a responsible unit outside the targets; nothing lost.
    bad = issue_data(acc, title="第二个", responsible_units=[str(w.city_b.pk)])
    r = login(w.admin).post("/accountability/issues/new/", bad)
    assert r.status_code == 400 and "第二个" in r.content.decode() and AccountabilityIssue.objects.count() == 1


def record_data(acc, **kw):
    data = {
        "person_name": "李某某",
        "post": "平江县副县长",
        "unit": str(acc.w.county_a.pk),
        "rank": "division",
        "unit_type": "government",
        "measure": "sanction",
        "approving_body": "岳阳市纪委监委",
        "decided_on": str(today() - dt.timedelta(days=1)),
    }
    data.update(kw)
    return data


def test_record_page_refuses_a_person_twice_and_wrong_dates(acc):
    w = acc.w
    issue = walk_to(acc, make_issue(acc), "decided")  # walk_to records nothing before "published"
    url = f"/accountability/issues/{issue.pk}/records/new/"
    # Records are the discipline body's: the team reads them, the target never sees them before publication.
    assert_matrix(
        url,
        api=False,
        allowed=[acc.discipline],
        forbidden=[w.team_leader, w.inspector, w.liaison_a],
        out_of_scope=[acc.discipline_b],
    )
    c = login(acc.discipline)
    assert c.post(url, record_data(acc)).status_code == 302
    rec = AccountabilityRecord.objects.get()
    assert AuditEvent.objects.filter(verb="accountability_record.create", object_id=str(rec.pk)).exists()
    twice = c.post(url, record_data(acc, post="改写的职务"))
    page = twice.content.decode()
    assert twice.status_code == 400 and "改写的职务" in page and AccountabilityRecord.objects.count() == 1
    assert "该人员在本问题下已记录同一问责方式。" in page
    early = c.post(url, record_data(acc, person_name="王某", decided_on=str(issue.handed_over_on - dt.timedelta(days=1))))
    assert early.status_code == 400 and "王某" in early.content.decode()
    en = login(acc.discipline, "en").post(url, record_data(acc), HTTP_ACCEPT_LANGUAGE="en")
    assert "This person already has this measure recorded for this issue." in en.content.decode()


def test_career_event_page(acc):
    w = acc.w
    issue = walk_to(acc, make_issue(acc), "published")
    rec = AccountabilityRecord.objects.get(issue=issue)
    url = f"/accountability/records/{rec.pk}/career/"
    assert_matrix(
        url, api=False, allowed=[acc.discipline], forbidden=[w.team_leader, w.liaison_a], out_of_scope=[acc.discipline_b]
    )
    c = login(acc.discipline)
    bad = c.post(url, {"kind": "promotion", "on": str(rec.decided_on - dt.timedelta(days=1)), "new_post": "副市长"})
    assert bad.status_code == 400 and "副市长" in bad.content.decode() and CareerEvent.objects.count() == 0
    assert c.post(url, {"kind": "promotion", "on": str(today()), "new_post": "副市长"}).status_code == 302
    page = login(w.inspector).get(f"/accountability/issues/{issue.pk}/").content.decode()
    assert "副市长" in page
    assert "副市长" not in login(w.liaison_a).get(f"/accountability/issues/{issue.pk}/").content.decode()
