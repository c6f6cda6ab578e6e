"""The offline checklist's sync endpoint (`POST /api/v1/self-inspections/<id>/sync/`): idempotent retries, conflicts
(answered meanwhile, closed), validation in both languages, the permission matrix, and the service worker script."""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from inspectorate.hazards import actions
from inspectorate.hazards.actions.selfcheck import Reply
from inspectorate.hazards.models import Answer, ChecklistRun, HiddenDanger, SelfInspection
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .conftest import PNG
from .test_selfcheck import answers, client_for


def sync_url(insp: SelfInspection) -> str:
    return f"/api/v1/self-inspections/{insp.pk}/sync/"


def body(tree, insp, *, base=None, **kw):  # type: ignore[no-untyped-def]
    out = {
        "unit": str(tree.p1.pk),
        "answers": answers(insp.checklist),
        "base": (base or timezone.now() - dt.timedelta(minutes=30)).isoformat(),
    }
    out.update(kw)
    return out


def post(user, insp, data, key="sync-1", **headers):  # type: ignore[no-untyped-def]
    return client_for(user).post(sync_url(insp), data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **headers)


def counts() -> tuple[int, int, int]:
    return ChecklistRun.objects.count(), Answer.objects.count(), HiddenDanger.objects.count()


def test_a_retried_sync_creates_nothing_twice(tree):
    insp = tree.inspection()
    first = post(tree.u("p1_officer"), insp, body(tree, insp))
    assert first.status_code == 201, first.content
    assert counts() == (1, 3, 1)
    assert len(first.json()["hidden_dangers"]) == 1
    # The answer was lost on the way back: the phone sends the same thing again, even after the run exists.
    again = post(tree.u("p1_officer"), insp, body(tree, insp))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["hidden_dangers"] == first.json()["hidden_dangers"]
    assert counts() == (1, 3, 1)
    # The same key with other answers is refused (as in the rest of the API); a new key is a new checklist.
    other = body(tree, insp, answers=answers(insp.checklist, fail=2, photo_for=(2, 3)))
    r = post(tree.u("p1_officer"), insp, other)
    assert r.status_code == 422 and r.json()["original"] == first.json()["id"]
    assert counts() == (1, 3, 1)


def test_the_key_is_shared_with_submit(tree):
    insp = tree.inspection()
    r = client_for(tree.u("p1_officer")).post(
        f"/api/v1/self-inspections/{insp.pk}/submit/",
        {"unit": str(tree.p1.pk), "answers": answers(insp.checklist)},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-shared",
    )
    assert r.status_code == 201
    again = post(tree.u("p1_officer"), insp, body(tree, insp), key="k-shared")
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert counts() == (1, 3, 1)


def _answered_meanwhile(tree, insp, *, result: str = "pass") -> ChecklistRun:  # type: ignore[no-untyped-def]
    items = list(insp.checklist.items.all())
    replies = [
        Reply(
            item=it,
            result=result if it.position == 2 else "pass",
            note="colleague" if it.position == 2 else "",
            photo=("c.png", PNG) if it.position == 3 or (it.position == 2 and result == "fail") else None,
        )
        for it in items
    ]
    return actions.submit_checklist(insp, actor=tree.u("p1_colleague"), unit=tree.p1, replies=replies)


def test_an_item_answered_meanwhile_is_a_conflict_until_the_inspector_chooses(tree):
    insp = tree.inspection()
    base = timezone.now() - dt.timedelta(minutes=5)
    theirs = _answered_meanwhile(tree, insp, result="fail")
    before = counts()
    r = post(tree.u("p1_officer"), insp, body(tree, insp, base=base))
    assert r.status_code == 409, r.content
    data = r.json()
    assert data["closed"] is False and "answered by someone else" in data["detail"]
    # Every item of the colleague's run is in conflict; each shows what the server has and what the phone has.
    assert [c["position"] for c in data["conflicts"]] == [1, 2, 3]
    second = data["conflicts"][1]
    assert second["kind"] == "answered" and second["server"][0]["by"] == "p1_colleague"
    assert second["server"][0]["result"] == "fail" and second["server"][0]["hidden_danger"]
    assert second["server"][0]["run"] == str(theirs.pk)
    assert second["mine"]["result"] == "pass"
    assert counts() == before  # nothing saved
    # Keep mine on 1 and 3, discard mine on 2: a run without item 2, no danger from the inspector's pass.
    ids = {c["position"]: c["item"] for c in data["conflicts"]}
    choice = {ids[1]: "mine", ids[2]: "discard", ids[3]: "mine"}
    r = post(tree.u("p1_officer"), insp, body(tree, insp, base=base, resolutions=choice))
    assert r.status_code == 201, r.content
    run = ChecklistRun.objects.get(pk=r.json()["id"])
    assert sorted(a.item.position for a in run.answers.all()) == [1, 3]
    assert HiddenDanger.objects.count() == before[2] + 1  # the inspector's failed item 1
    # Retried with the same choices: the same run.
    again = post(tree.u("p1_officer"), insp, body(tree, insp, base=base, resolutions=choice))
    assert again.status_code == 200 and again.json()["id"] == str(run.pk)
    assert ChecklistRun.objects.count() == 2


def test_no_conflict_for_answers_before_the_page_was_opened(tree):
    insp = tree.inspection()
    _answered_meanwhile(tree, insp)
    r = post(tree.u("p1_officer"), insp, body(tree, insp, base=timezone.now() + dt.timedelta(seconds=1)))
    assert r.status_code == 201, r.content


def test_discard_only_what_is_in_conflict(tree):
    insp = tree.inspection()
    first = insp.checklist.items.get(position=1)
    r = post(tree.u("p1_officer"), insp, body(tree, insp, resolutions={str(first.pk): "discard"}))
    assert r.status_code == 400 and "Only an answer in conflict can be discarded" in str(r.json())
    r = post(tree.u("p1_officer"), insp, body(tree, insp, resolutions={str(first.pk): "theirs"}))
    assert r.status_code == 400 and "resolutions" in r.json()
    r = post(tree.u("p1_officer"), insp, body(tree, insp, resolutions=["x"]))
    assert r.status_code == 400 and "resolutions" in r.json()
    assert counts() == (0, 0, 0)


def test_a_closed_self_inspection_refuses_the_sync_as_a_conflict(tree):
    insp = tree.inspection()
    SelfInspection.objects.filter(pk=insp.pk).update(
        start_date=today() - dt.timedelta(days=9), end_date=today() - dt.timedelta(days=1)
    )
    r = post(tree.u("p1_officer"), insp, body(tree, insp))
    assert r.status_code == 409 and r.json()["closed"] is True
    assert r.json()["conflicts"][0]["kind"] == "closed" and "closed on" in r.json()["conflicts"][0]["detail"]
    assert counts() == (0, 0, 0)


def test_a_sync_that_went_through_before_closing_is_still_answered(tree):
    insp = tree.inspection()
    first = post(tree.u("p1_officer"), insp, body(tree, insp))
    assert first.status_code == 201
    SelfInspection.objects.filter(pk=insp.pk).update(
        start_date=today() - dt.timedelta(days=9), end_date=today() - dt.timedelta(days=1)
    )
    again = post(tree.u("p1_officer"), insp, body(tree, insp))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_missing_photos_are_refused_in_both_languages_and_nothing_is_saved(tree):
    insp = tree.inspection()
    data = body(tree, insp, answers=answers(insp.checklist, photo_for=()))
    r = post(tree.u("p1_officer"), insp, data)
    assert r.status_code == 400
    text = str(r.json())
    assert "Item 1 failed: take a photo" in text and "Item 3 needs a photo" in text
    r = post(tree.u("p1_officer"), insp, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 400
    text = str(r.json())
    assert "第 1 项不合格：请拍摄现场照片。" in text and "第 3 项无论结果如何都须附照片。" in text
    r = post(tree.u("p1_officer"), insp, {k: v for k, v in body(tree, insp).items() if k != "base"})
    assert r.status_code == 400 and "base" in r.json()
    assert counts() == (0, 0, 0)


def test_conflict_texts_in_chinese(tree):
    insp = tree.inspection()
    base = timezone.now() - dt.timedelta(minutes=5)
    _answered_meanwhile(tree, insp)
    r = post(tree.u("p1_officer"), insp, body(tree, insp, base=base), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 409
    assert "其他人" in r.json()["detail"] and "第 1 项" in r.json()["conflicts"][0]["detail"]


def test_multipart_sync_with_photo_files_as_the_phone_sends_it(tree):
    insp = tree.inspection()
    items = list(insp.checklist.items.all())
    rows = [
        {"item": str(it.pk), "result": "fail" if it.position == 1 else "pass", "note": "破损" if it.position == 1 else ""}
        for it in items
    ]
    data = {
        "unit": str(tree.p1.pk),
        "base": (timezone.now() - dt.timedelta(minutes=1)).isoformat(),
        "resolutions": "{}",
        "answers": json.dumps(rows),
    }

    def send() -> object:
        files = {
            f"photo_{items[0].pk}": SimpleUploadedFile("a.jpg", PNG),
            f"photo_{items[2].pk}": SimpleUploadedFile("c.jpg", PNG),
        }
        return client_for(tree.u("p1_officer")).post(sync_url(insp), {**data, **files}, HTTP_IDEMPOTENCY_KEY="mp-1")

    r = send()
    assert r.status_code == 201, r.content  # type: ignore[attr-defined]
    assert send().status_code == 200  # type: ignore[attr-defined]
    assert counts() == (1, 3, 1)


def test_matrix_of_the_sync_endpoint(tree):
    insp = tree.inspection()
    # Anonymous 401; a sibling subsidiary and another group do not see it (404); a handler may not fill (403);
    # the plant's officer syncs (201). The sibling plant P2 sees the inspection but may not fill for P1.
    assert_matrix(
        sync_url(insp),
        method="post",
        data=body(tree, insp),
        allowed=[tree.u("p1_officer")],
        out_of_scope=[tree.u("s2_officer"), tree.u("x_officer")],
        forbidden=[tree.u("p1_handler")],
    )
    r = post(tree.u("p2_officer"), insp, body(tree, insp), key="p2")
    assert r.status_code == 400 and "unit" in r.json()
    assert ChecklistRun.objects.count() == 1


def test_the_service_worker_is_served_for_the_hazards_pages(tree):
    r = Client().get("/hazards/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/hazards/" and r["Cache-Control"] == "no-cache"
    text = r.content.decode()
    assert "self.HAZARDS_CACHE_VERSION = " in text and "/static/hazards/fill.js" in text
    assert "caches.delete" in text  # old caches go on activate


def test_the_fill_page_has_no_inline_script(tree):
    insp = tree.inspection()
    r = client_for(tree.u("p1_officer")).get(f"/hazards/self-inspections/{insp.pk}/fill/")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<script id="fill-offline" type="application/json">' in html
    assert "/static/hazards/fill.js" in html
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html)
