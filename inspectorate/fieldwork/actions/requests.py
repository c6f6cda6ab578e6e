"""Information requests (资料调阅): issue → assign → deliver (with a truthfulness declaration) → review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from ..models import Delivery, InfoRequest, InfoRequestItem, ItemStatus
from ..uploads import check_documents
from .common import actor_or_none, next_number, under_targets

DECLARATION = (
    "本单位（本人）承诺：所提供的资料真实、准确、完整，不存在虚报、瞒报、漏报、拒报或者伪造、篡改资料等情形。"
    " / We declare that the documents and data provided are true, accurate and complete, with nothing false, "
    "concealed, withheld or altered."
)
DELIVERABLE = (ItemStatus.ISSUED, ItemStatus.ASSIGNED, ItemStatus.INCOMPLETE)
REVIEWABLE: dict[str, tuple[str, ...]] = {
    ItemStatus.COMPLETE: (ItemStatus.DELIVERED,),
    ItemStatus.INCOMPLETE: (ItemStatus.DELIVERED,),
    ItemStatus.REFUSED: (ItemStatus.ISSUED, ItemStatus.ASSIGNED, ItemStatus.DELIVERED, ItemStatus.INCOMPLETE),
}


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def create_request(
    *,
    actor: Any,
    campaign: Any,
    target_unit: Any,
    title: str,
    legal_basis: str,
    due_at: dt.datetime,
    contact_name: str,
    contact_phone: str,
    items: list[str],
    issued_at: dt.datetime | None = None,
) -> InfoRequest:
    authorize(actor, "info_requests.manage", campaign)
    under_targets(campaign, target_unit, "target_unit")
    texts = [str(t).strip() for t in items or [] if str(t).strip()]
    if not texts:
        raise ValidationError({"items": _("List at least one document or data item.")})
    issued_at = _aware(issued_at) if issued_at else timezone.now()
    due_at = _aware(due_at)
    if due_at <= issued_at:
        raise ValidationError({"due_at": _("The due time must be after the time the request is issued.")})
    with transaction.atomic():
        req = InfoRequest(
            campaign=campaign,
            number=next_number(InfoRequest.objects.select_for_update().filter(campaign=campaign)),
            target_unit=target_unit,
            title=title.strip(),
            legal_basis=legal_basis.strip(),
            issued_at=issued_at,
            due_at=due_at,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            issued_by=actor_or_none(actor),
        )
        req.full_clean()
        req.save()
        for i, text in enumerate(texts, start=1):
            InfoRequestItem.objects.create(request=req, seq=i, description=text)
        audit.record(actor, "info_request.issue", req, after={**snapshot(req), "items": texts})
    return req


def _claim(item: InfoRequestItem, statuses: tuple[str, ...], **changes: Any) -> None:
    """Conditional UPDATE: of two simultaneous callers exactly one moves the item."""
    if InfoRequestItem.objects.filter(pk=item.pk, status__in=statuses).update(**changes) != 1:
        raise ValidationError(_("The item changed meanwhile (someone else may have acted on it first). Reload and try again."))
    for k, v in changes.items():
        setattr(item, k, v)


def assign_item(item: InfoRequestItem, *, actor: Any, department: Any) -> InfoRequestItem:
    """The target's coordinator hands an item to one of its departments (or units)."""
    authorize(actor, "info_requests.assign", item)
    target = item.request.target_unit
    if department is None or not department.path.startswith(target.path):
        raise ValidationError({"department": _("Choose a department or unit under %(unit)s.") % {"unit": target}})
    if item.status not in (ItemStatus.ISSUED, ItemStatus.ASSIGNED, ItemStatus.INCOMPLETE):
        raise ValidationError(_("This item is “%(s)s”; it can no longer be reassigned.") % {"s": item.get_status_display()})
    before = snapshot(item, ["department", "status"])
    with transaction.atomic():
        new_status = ItemStatus.INCOMPLETE if item.status == ItemStatus.INCOMPLETE else ItemStatus.ASSIGNED
        _claim(item, (item.status,), department=department, status=new_status, assigned_at=timezone.now())
        audit.record(actor, "info_request_item.assign", item, before=before, after=snapshot(item, ["department", "status"]))
    return item


def deliver_item(
    item: InfoRequestItem,
    *,
    actor: Any,
    files: Any,
    declarant_name: str,
    declared_at: dt.datetime | None,
    declaration_accepted: bool,
    note: str = "",
) -> list[Delivery]:
    """A department uploads the documents with a truthfulness declaration: who declares, and when."""
    authorize(actor, "info_requests.deliver", item)
    errors: dict[str, str] = {}
    if not (declarant_name or "").strip():
        errors["declarant_name"] = _("Name the person who declares the documents true and complete.")
    if declared_at is None:
        errors["declared_at"] = _("Give the date and time of the declaration.")
    elif _aware(declared_at) > timezone.now() + dt.timedelta(minutes=5):
        errors["declared_at"] = _("The declaration cannot be dated in the future.")
    elif _aware(declared_at) < item.request.issued_at - dt.timedelta(minutes=5):
        errors["declared_at"] = _("The declaration cannot be dated before the request was issued.")
    if not declaration_accepted:
        errors["declaration"] = _("Confirm the truthfulness declaration: without it nothing is delivered.")
    if errors:
        raise ValidationError(errors)
    if item.status not in DELIVERABLE:
        raise ValidationError(_("This item is “%(s)s”; nothing more is delivered for it.") % {"s": item.get_status_display()})
    checked = check_documents(files)
    assert declared_at is not None
    declared = _aware(declared_at)
    before = snapshot(item, ["status", "delivered_at"])
    out = []
    with transaction.atomic():
        now = timezone.now()
        _claim(item, (item.status,), status=ItemStatus.DELIVERED, delivered_at=now)
        version = int(item.deliveries.aggregate(m=Max("version"))["m"] or 0) + 1
        for f in checked:
            d = Delivery.objects.create(
                item=item,
                version=version,
                file=ContentFile(f.content, name=f.name),
                name=f.name,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                note=note.strip(),
                declarant_name=declarant_name.strip(),
                declared_at=declared,
                declaration=DECLARATION,
                delivered_by=actor_or_none(actor),
                delivered_at=now,
            )
            out.append(d)
        audit.record(
            actor,
            "info_request_item.deliver",
            item,
            before=before,
            after={
                **snapshot(item, ["status", "delivered_at"]),
                "version": version,
                "files": [{"name": d.name, "sha256": d.sha256, "size": d.size} for d in out],
                "declarant_name": declarant_name.strip(),
                "declared_at": declared,
            },
        )
    return out


def review_item(item: InfoRequestItem, *, actor: Any, verdict: str, reason: str = "") -> InfoRequestItem:
    """The team marks an item complete, incomplete (returned for more) or refused; the last two need a reason."""
    authorize(actor, "info_requests.manage", item)
    if verdict not in REVIEWABLE:
        raise ValidationError({"verdict": _("Choose complete, incomplete or refused.")})
    reason = (reason or "").strip()
    if verdict != ItemStatus.COMPLETE and not reason:
        raise ValidationError({"reason": _("Give the reason for marking the item incomplete or refused.")})
    allowed = REVIEWABLE[verdict]
    if item.status not in allowed:
        raise ValidationError(
            _("An item is marked “%(to)s” only when it is %(from)s; it is “%(now)s”.")
            % {
                "to": ItemStatus(verdict).label,
                "from": " / ".join(str(ItemStatus(s).label) for s in allowed),
                "now": item.get_status_display(),
            }
        )
    before = snapshot(item, ["status", "review_reason"])
    with transaction.atomic():
        _claim(item, (item.status,), status=verdict, review_reason=reason, reviewed_at=timezone.now())
        audit.record(
            actor,
            "info_request_item.review",
            item,
            before=before,
            after=snapshot(item, ["status", "review_reason"]),
            reason=reason,
        )
    return item
