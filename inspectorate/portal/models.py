"""E-mail alerts of the public portal: someone asks to hear of new published results tables and new closures
under public notice, for one campaign and/or one area, confirms by e-mail (double opt-in), and gets one e-mail per
day when something new was published. The address is stored encrypted; a keyed hash finds a repeated request."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.core.crypto import EncryptedTextField


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Alert(models.Model):
    email = EncryptedTextField(_("e-mail address"))
    email_hash = models.CharField(max_length=64, db_index=True, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("inspection")
    )
    region = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("area"))
    # "<campaign id>|<region id>" (empty parts for "any"): one alert per address and area, NULLs included.
    area_key = models.CharField(max_length=80, editable=False)
    results = models.BooleanField(_("published handling results"), default=True)
    notices = models.BooleanField(_("closures under public notice"), default=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # What has been sent: results tables published up to this moment, notices that started up to this day.
    results_through = models.DateTimeField(null=True, blank=True)
    notices_through = models.DateField(null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last e-mail"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail alert")
        verbose_name_plural = _("e-mail alerts")
        constraints = [models.UniqueConstraint(fields=["email_hash", "area_key"], name="portal_alert_once_per_address_and_area")]

    def __str__(self) -> str:
        parts = [str(x) for x in (self.campaign, self.region) if x is not None]
        return " · ".join(parts) or str(_("all inspections"))

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
