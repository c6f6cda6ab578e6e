"""Every admin change is audited: each registered model's add, change and delete, and inline rows on their own.

The walk goes through `admin.site._registry`, so a new admin without audit (or without an entry below saying how
to fill in its add form) fails here. Forms are submitted the way a browser would: the page is fetched, its form's
current values are taken from the HTML, a few fields are filled in or changed, and the form is posted back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest import mock

import lxml.html
import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from inspectorate.accounts import actions as account_actions
from inspectorate.accounts.models import Membership, User
from inspectorate.audit.admin_mixins import AuditedAdmin, AuditedInlineFormSet
from inspectorate.audit.chain import verify
from inspectorate.audit.models import AuditEvent
from inspectorate.testing.factories import credit_code

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-Passw0rd"


def _later(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# label → (what the add form needs beyond its defaults, one field to change and its new value)
CASES: dict[str, tuple[Callable[[Any], dict[str, Any]], tuple[str, Any]]] = {
    "core.calendaroverride": (lambda w: {"date": _later(500), "label": "调休"}, ("label", "调休（改）")),
    "accounts.user": (
        lambda w: {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD},
        ("display_name", "新同事"),
    ),
    "accounts.membership": (
        lambda w: {"user": w.outsider.pk, "org_unit": w.city_b.pk, "role": "auditor"},
        ("title", "审计员"),
    ),
    "accounts.apitoken": (lambda w: {}, ("name", "renamed")),
    "auth.group": (lambda w: {"name": "reviewers"}, ("name", "reviewers 2")),
    "open311.open311key": (
        lambda w: {"name": "市民App", "contact": "dev@example.org", "campaigns": [w.campaign.pk], "rate_limit": 30},
        ("name", "市民App 2"),
    ),
    "orgs.orgunit": (
        lambda w: {"name_zh": "新区", "code": "430799", "kind": "government", "unit_type": "county", "parent": w.city_b.pk},
        ("name_en", "New district"),
    ),
    "orgs.enterprise": (
        lambda w: {"name": "常德市某纸业有限公司", "credit_code": credit_code(9001), "org_unit": w.city_b.pk},
        ("name_en", "Changde Paper"),
    ),
    "campaigns.campaign": (
        lambda w: {
            "code": "hn-3-changde",
            "name_zh": "第三轮督察常德市",
            "level": w.campaign.level,
            "campaign_type": w.campaign.campaign_type,
            "inspecting_unit": w.inspect_office.pk,
            "targets": [w.city_b.pk],
            "stationing_start": _later(30),
            "stationing_end": _later(60),
            "reply_days": "15",
        },
        ("name_en", "Round 3 inspects Changde"),
    ),
    "complaints.keywordrule": (lambda w: {"term": "恶臭扰民", "pollution_type": "air", "weight": "2.0"}, ("weight", "3.5")),
    "complaints.intakeconfig": (
        lambda w: {"campaign": w.other_campaign.pk, "region_code": "HN", "team_code": "2"},
        ("region_code", "CD"),
    ),
    "rectification.leader": (lambda w: {"name": "常德市副市长", "unit": w.city_b.pk}, ("name", "常德市市长")),
    "rectification.acceptancerule": (
        lambda w: {"campaign": w.other_campaign.pk, "nature": "specific", "unit_type": "city"},
        ("unit_type", "province"),
    ),
    "rectification.ledgersettings": (lambda w: {"campaign": w.other_campaign.pk}, ("due_soon_days", "9")),
}


def form_values(response: Any, form_id: str) -> dict[str, Any]:
    """What a browser would submit from the page's form as it stands (empty inline templates left out)."""
    assert response.status_code == 200, response.status_code
    doc = lxml.html.fromstring(response.content.decode())
    form = doc.get_element_by_id(form_id)
    data: dict[str, Any] = {}
    for name, value in form.form_values():
        if "__prefix__" in name:
            continue
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data


def _post(c: Client, url: str, data: dict[str, Any]) -> None:
    r = c.post(url, data)
    if r.status_code != 302:
        errors = getattr(r, "context", None) and r.context.get("errors")
        raise AssertionError(f"{url}: {r.status_code} {errors}")


def _events(label: str, pk: Any, verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=label, object_id=str(pk), verb__endswith=f".{verb}"))


def _editable(model_admin: Any, request: Any) -> bool:
    return any(
        (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
    )


def test_every_editable_admin_is_audited_inlines_included(world, rf):
    request = rf.get("/admin/")
    request.user = world.admin
    for model, model_admin in admin.site._registry.items():
        if not _editable(model_admin, request):
            continue
        assert isinstance(model_admin, AuditedAdmin), f"{model._meta.label}: admin is not audited"
        assert model._meta.label_lower in CASES, f"{model._meta.label}: add a case to this test"
        for inline in model_admin.get_inline_instances(request):
            assert issubclass(inline.formset, AuditedInlineFormSet), f"{type(inline).__name__} is not audited"


@pytest.mark.parametrize("label", sorted(CASES))
def test_admin_add_change_delete_each_write_an_event(world, label):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    model_admin = admin.site._registry[model]
    fill, (field, new_value) = CASES[label]
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
    form_id = f"{model._meta.model_name}_form"
    c = Client()
    c.force_login(world.admin)
    existing = set(model._default_manager.values_list("pk", flat=True))

    if model_admin.has_add_permission(c.get(f"{base}/").wsgi_request):
        _post(c, f"{base}/add/", {**form_values(c.get(f"{base}/add/"), form_id), **fill(world)})
        obj = model._default_manager.exclude(pk__in=existing).get()
        [created] = _events(label, obj.pk, "create")
        assert created.before is None and created.after and created.reason == "admin" and created.actor_id == world.admin.pk
    else:
        # Made elsewhere (API tokens are created by their owner, who sees the key once); the admin changes and deletes.
        assert c.get(f"{base}/add/").status_code == 403
        obj = model._default_manager.create(**_made_elsewhere(label, world))

    _post(c, f"{base}/{obj.pk}/change/", {**form_values(c.get(f"{base}/{obj.pk}/change/"), form_id), field: new_value})
    [updated] = _events(label, obj.pk, "update")
    assert updated.before[field] != updated.after[field]
    assert str(updated.after[field]) in (str(new_value), str(float(new_value)) if field == "weight" else "")

    if not model_admin.has_delete_permission(c.get(f"{base}/").wsgi_request, obj):
        # Kept for their history (Open311 keys are revoked, not deleted): the admin refuses, nothing is written.
        assert c.post(f"{base}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=obj.pk).exists() and not _events(label, obj.pk, "delete")
        assert verify().ok
        return
    _post(c, f"{base}/{obj.pk}/delete/", {"post": "yes"})
    assert not model._default_manager.filter(pk=obj.pk).exists()
    [deleted] = _events(label, obj.pk, "delete")
    assert deleted.before and deleted.before[field] == updated.after[field]
    assert verify().ok


def _made_elsewhere(label: str, world: Any) -> dict[str, Any]:
    assert label == "accounts.apitoken", label
    return {"user": world.outsider, "name": "cli", "prefix": "insp_abcdefg", "key_hash": "f" * 64}


def test_role_granted_on_the_user_page_goes_through_the_grant_action(world):
    # The admin's date-time widget keeps whole minutes; start from such a value so the user row is left as it is.
    User.objects.filter(pk=world.outsider.pk).update(date_joined=timezone.now().replace(second=0, microsecond=0))
    c = Client()
    c.force_login(world.admin)
    url = f"/admin/accounts/user/{world.outsider.pk}/change/"
    data = form_values(c.get(url), "user_form")
    n = int(data["memberships-TOTAL_FORMS"])
    data.update(
        {
            "memberships-TOTAL_FORMS": str(n + 1),
            f"memberships-{n}-org_unit": str(world.province.pk),
            f"memberships-{n}-role": "liaison",
            f"memberships-{n}-valid_from": timezone.localdate().isoformat(),
        }
    )
    with mock.patch.object(account_actions, "add_membership", wraps=account_actions.add_membership) as grant:
        _post(c, url, data)
    grant.assert_called_once()
    m = Membership.objects.get(user=world.outsider, org_unit=world.province, role="liaison")
    [ev] = _events("accounts.membership", m.pk, "create")
    assert ev.verb == "membership.create" and ev.after["role"] == "liaison" and ev.after["org_unit"] == str(world.province.pk)
    assert ev.reason == "admin" and ev.actor_id == world.admin.pk
    assert not _events("accounts.user", world.outsider.pk, "update")  # the user row itself did not change

    # Changing and deleting the row inline: each its own event, through the membership actions.
    data = form_values(c.get(url), "user_form")
    row = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == str(m.pk))
    data[f"memberships-{row}-title"] = "省督察整改办"
    _post(c, url, data)
    [ev] = _events("accounts.membership", m.pk, "update")
    assert ev.before["title"] == "" and ev.after["title"] == "省督察整改办"
    data = form_values(c.get(url), "user_form")
    data[f"memberships-{row}-DELETE"] = "on"
    _post(c, url, data)
    assert not Membership.objects.filter(pk=m.pk).exists()
    [ev] = _events("accounts.membership", m.pk, "delete")
    assert ev.before["role"] == "liaison" and ev.after is None


def test_team_edited_inline_on_the_campaign_writes_its_own_event(world):
    c = Client()
    c.force_login(world.admin)
    url = f"/admin/campaigns/campaign/{world.campaign.pk}/change/"
    team = world.campaign.team
    data = form_values(c.get(url), "campaign_form")
    data["team-0-hotline"] = "0730-12369"
    _post(c, url, data)
    [ev] = _events("campaigns.team", team.pk, "update")
    assert ev.before["hotline"] != "0730-12369" and ev.after["hotline"] == "0730-12369" and ev.reason == "admin"
    assert not _events("campaigns.campaign", world.campaign.pk, "update")  # nothing on the campaign changed
    assert verify().ok


def test_password_set_in_the_admin_is_audited_without_the_hash(world):
    c = Client()
    c.force_login(world.admin)
    url = f"/admin/accounts/user/{world.outsider.pk}/password/"
    _post(c, url, {**form_values(c.get(url), "user_form"), "password1": PASSWORD, "password2": PASSWORD})
    [ev] = AuditEvent.objects.filter(verb="user.password_change", object_id=str(world.outsider.pk))
    assert ev.before is None and ev.after is None and PASSWORD not in str(ev.reason)


def test_an_unaudited_inline_fails_the_system_check():
    from inspectorate.campaigns.models import Campaign, Team

    class PlainTeamInline(admin.StackedInline):
        model = Team

    class CarelessCampaignAdmin(AuditedAdmin):
        inlines = [PlainTeamInline]

    errors = CarelessCampaignAdmin(Campaign, admin.AdminSite()).check()
    assert [e.id for e in errors] == ["inspectorate.E001"] and "PlainTeamInline" in errors[0].msg
