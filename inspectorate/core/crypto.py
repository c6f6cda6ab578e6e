"""Field encryption at rest (Fernet, key from INSPECTORATE_FIELD_KEY) and masking for display.

INSPECTORATE_FIELD_KEY may hold several comma-separated keys: the first
encrypts, all decrypt (key rotation).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt(value: str) -> str:
    return _fernet(settings.INSPECTORATE_FIELD_KEY).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.INSPECTORATE_FIELD_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError("cannot decrypt field: wrong INSPECTORATE_FIELD_KEY") from None


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads give the plain text back. Not searchable."""

    encrypted = True

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def mask_name(name: str) -> str:
    """张三丰 → 张**, John Smith → J*********."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234; other lengths keep the first 2 and last 2 characters."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) == 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
