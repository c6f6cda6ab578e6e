"""Reminder e-mails sent by the daily job (`accountability.reminders`): one row per object, recipient and day, so
that a second run on the same day sends nothing twice and what was sent to whom can be shown later."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderSubject(models.TextChoices):
    INTERVIEW_REPORT = "interview_report", _("Interview report")
    INFO_REQUEST_ITEM = "info_request_item", _("Requested item")


class ReminderMail(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.CharField(_("about"), max_length=20, choices=ReminderSubject.choices)
    ref = models.UUIDField(_("object"))
    level = models.CharField(_("level"), max_length=10)  # "soon" or "overdue"
    day = models.DateField(_("day"))
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("Empty: Chinese with English below."))
    mail_subject = models.CharField(_("e-mail subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-day", "subject"]
        verbose_name = _("reminder e-mail")
        verbose_name_plural = _("reminder e-mails")
        constraints = [
            models.UniqueConstraint(fields=["subject", "ref", "recipient", "day"], name="reminder_mail_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} → {self.recipient} {self.day}"
