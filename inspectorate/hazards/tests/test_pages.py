"""Hidden-danger pages: list (shared filters, overdue first), detail with timeline, forms, one POST per step."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.hazards.models import HiddenDanger
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .conftest import PNG


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_list_page_filters_like_the_api_and_puts_overdue_first(tree):
    tree.danger(title="按期隐患", deadline=today() + dt.timedelta(days=20))
    tree.danger(title="逾期隐患", deadline=today() - dt.timedelta(days=1))
    tree.danger(tree.p2, actor=tree.u("p2_officer"), title="二号矿隐患")
    html = client_for(tree.u("s1_officer")).get("/hazards/").content.decode()
    assert html.index("逾期隐患") < html.index("按期隐患") and "二号矿隐患" in html
    assert 'class="overdue"' in html
    html = client_for(tree.u("p1_officer")).get("/hazards/").content.decode()
    assert "二号矿隐患" not in html
    html = client_for(tree.u("s1_officer")).get("/hazards/", {"unit": str(tree.p2.pk)}).content.decode()
    assert "二号矿隐患" in html and "逾期隐患" not in html


def test_create_edit_and_steps_from_the_pages(tree):
    c = client_for(tree.u("p1_officer"))
    r = c.post(
        "/hazards/new/",
        {
            "unit": str(tree.p1.pk),
            "title": "危废暂存间无防渗",
            "location": "机修车间",
            "category": "hazardous_waste",
            "level": "general",
            "found_on": today().isoformat(),
            "files": SimpleUploadedFile("f.png", PNG),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    danger = HiddenDanger.objects.get()
    assert danger.evidence.count() == 1
    url = f"/hazards/{danger.pk}/"
    r = c.post(f"{url}start/", follow=True)
    assert "Write the rectification measure first." in r.content.decode()
    r = c.post(
        f"{url}edit/",
        {
            "title": danger.title,
            "location": danger.location,
            "category": danger.category,
            "level": "general",
            "found_on": today().isoformat(),
            "measure": "铺设防渗层",
            "responsible_person": "李工",
            "deadline": (today() + dt.timedelta(days=7)).isoformat(),
            "reason": "补充措施",
        },
    )
    assert r.status_code == 302
    c.post(f"{url}start/")
    c.post(f"{url}evidence/", {"file": SimpleUploadedFile("g.png", PNG), "stage": "rectified", "note": "整改后"})
    c.post(f"{url}submit/")
    r = c.post(f"{url}verify/", {"conclusion": "自己核查"}, follow=True)
    assert "different person" in r.content.decode()
    client_for(tree.u("p1_colleague")).post(f"{url}verify/", {"conclusion": "现场已铺设防渗层"})
    danger.refresh_from_db()
    assert danger.status == "closed"
    page = c.get(url).content.decode()
    assert "verified and closed the hidden danger" in page and "started rectifying" in page
    # The file is served to the scope only.
    ev = danger.evidence.first()
    assert c.get(f"/hazards/files/{ev.pk}/").status_code == 200
    assert client_for(tree.u("p2_officer")).get(f"/hazards/files/{ev.pk}/").status_code == 404


def test_promote_from_the_page(tree):
    danger = tree.danger()
    c = client_for(tree.u("g_liaison"))
    assert "form-promote" in c.get(f"/hazards/{danger.pk}/").content.decode()
    assert "form-promote" not in client_for(tree.u("p1_officer")).get(f"/hazards/{danger.pk}/").content.decode()
    r = c.post(f"/hazards/{danger.pk}/promote/", {"campaign": str(tree.campaign.pk)}, follow=True)
    danger.refresh_from_db()
    assert danger.problem is not None and "ledger-problem" in r.content.decode()


def test_escalated_to_me_page(tree):
    tree.danger(title="重大隐患", level="major")
    html = client_for(tree.u("s1_officer")).get("/hazards/", {"escalated_to_me": "true"}).content.decode()
    assert "重大隐患" in html
    html = client_for(tree.u("g_liaison")).get("/hazards/", {"escalated_to_me": "true"}).content.decode()
    assert "重大隐患" not in html


def test_matrix_of_the_pages(tree):
    danger = tree.danger()
    assert_matrix("/hazards/", api=False, allowed=[tree.u("x_officer"), tree.u("g_auditor")])
    assert_matrix(
        f"/hazards/{danger.pk}/",
        api=False,
        allowed=[tree.u("p1_officer"), tree.u("g_liaison"), tree.u("g_auditor")],
        out_of_scope=[tree.u("p2_officer"), tree.u("s2_officer"), tree.u("x_officer")],
    )
    assert_matrix(
        "/hazards/new/", api=False, allowed=[tree.u("p1_officer")], forbidden=[tree.u("g_auditor"), tree.u("p1_handler")]
    )
    assert_matrix(
        f"/hazards/{danger.pk}/edit/",
        api=False,
        allowed=[tree.u("p1_officer"), tree.u("s1_officer")],
        out_of_scope=[tree.u("p2_officer"), tree.u("x_officer")],
        forbidden=[tree.u("g_auditor"), tree.u("p1_handler")],
    )
    assert_matrix(
        f"/hazards/{danger.pk}/start/",
        method="post",
        api=False,
        allowed=[tree.u("p1_officer")],
        out_of_scope=[tree.u("p2_officer"), tree.u("x_officer")],
        forbidden=[tree.u("g_auditor"), tree.u("p1_handler")],
        ok=302,
    )


def test_pages_and_timeline_in_chinese(tree):
    from django.utils import translation

    danger = tree.danger(level="major")
    c = client_for(tree.u("s1_officer"))
    with translation.override("zh-hans"):
        c.cookies["django_language"] = "zh-hans"
        html = c.get(f"/hazards/{danger.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "将重大隐患上报上一级督办" in html and "上报督办单位" in html and "重大" in html
