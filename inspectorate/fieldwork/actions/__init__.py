"""Every state change in fieldwork: one function per step (authorize, atomic, audit)."""

from .requests import assign_item, create_request, deliver_item, review_item
from .talks import create_talk, update_talk
from .visits import add_finding, add_photos, complete_visit, create_visit, finding_to_case, finding_to_problem

__all__ = [
    "add_finding",
    "add_photos",
    "assign_item",
    "complete_visit",
    "create_request",
    "create_talk",
    "create_visit",
    "deliver_item",
    "finding_to_case",
    "finding_to_problem",
    "review_item",
    "update_talk",
]
