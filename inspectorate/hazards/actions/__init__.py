"""Every state change of hidden dangers and self-inspections: one function per step (authorize, atomic, audit)."""

from .common import IdempotencyConflict
from .dangers import (
    add_danger_evidence,
    create_danger,
    promote_danger,
    reject_danger,
    start_rectification,
    submit_for_verification,
    update_danger,
    verify_danger,
)
from .offline import SyncConflict, sync_checklist
from .selfcheck import create_checklist, create_self_inspection, submit_checklist

__all__ = [
    "IdempotencyConflict",
    "SyncConflict",
    "add_danger_evidence",
    "create_checklist",
    "create_danger",
    "create_self_inspection",
    "promote_danger",
    "reject_danger",
    "start_rectification",
    "submit_checklist",
    "submit_for_verification",
    "sync_checklist",
    "update_danger",
    "verify_danger",
]
