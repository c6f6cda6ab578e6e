"""Users, memberships (user × org unit × role, optionally for one campaign), API tokens, login failures."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import TEAM_ROLES, Role
from .scoping import ScopeSpec


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    title = models.CharField(_("position"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_username()


class Membership(models.Model):
    # Seen by whoever manages accounts on the unit's subtree, or the campaign's team leader.
    scope = ScopeSpec(units=("org_unit",), campaign="campaign")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("org unit"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("campaign"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("title in this role"), max_length=150, blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="membership_dates_ordered",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(org_unit__isnull=False) | Q(campaign__isnull=False),
                name="membership_has_scope",
                violation_error_message=_("A membership needs an org unit or a campaign."),
            ),
        ]

    def __str__(self) -> str:
        where = self.campaign or self.org_unit
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        if self.role in TEAM_ROLES and self.campaign_id is None:
            raise ValidationError({"campaign": _("Team roles need the campaign they work on.")})
        if self.role not in TEAM_ROLES and self.org_unit_id is None:
            raise ValidationError({"org_unit": _("This role needs an org unit.")})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("A membership cannot end before it starts.")})
        if self.user_id and self.overlapping().exists():
            raise ValidationError(_("This user already holds this role on this unit and campaign for an overlapping period."))

    def overlapping(self) -> models.QuerySet[Membership]:
        same: dict[str, object] = {"user_id": self.user_id, "role": self.role, "campaign_id": self.campaign_id}
        if not (self.role in TEAM_ROLES and self.campaign_id):
            # A team role is one seat on its campaign's team, whichever unit it is recorded on.
            same["org_unit_id"] = self.org_unit_id
        qs = Membership.objects.filter(**same).exclude(pk=self.pk)
        if self.valid_until is not None:
            qs = qs.filter(valid_from__lte=self.valid_until)
        return qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored; the key is shown once when created."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "insp_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
