"""Open311 client keys: one per client application, bound to the campaigns it may post to.

An ordinary user's API token is not an Open311 key: a key belongs to an application (a city app, a
hotline system), is issued by the team of the campaigns it posts to, is rate-limited and revocable.
Only the key's SHA-256 is stored; the key itself is shown once when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec

KEY_PREFIX = "o311_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class Open311Key(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("client application"), max_length=100)
    contact = models.CharField(
        _("contact"), max_length=200, help_text=_("Who runs the application: a person or office, with a phone or e-mail.")
    )
    prefix = models.CharField(_("key prefix"), max_length=16, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    campaigns = models.ManyToManyField(
        "campaigns.Campaign",
        related_name="open311_keys",
        verbose_name=_("campaigns it may post to"),
    )
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"), default=30, help_text=_("New reports this key may post per minute.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    scope = ScopeSpec(units=(), campaign="campaigns")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_limit__gte=1),
                name="open311key_rate_limit_positive",
                violation_error_message=_("The rate limit must be at least one request per minute."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
