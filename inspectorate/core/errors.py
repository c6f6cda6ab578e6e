"""Exceptions shared across apps."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ExplainedDenial(PermissionDenied):
    """A refusal whose message is written for the user (translated): the API and the 403 page show it.

    A plain PermissionDenied carries an internal action name and is shown as a generic refusal.
    """
