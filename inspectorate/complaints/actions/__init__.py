"""Every state change of the complaints app: one function per action (authorize, atomic, audit)."""

from .batches import (
    acknowledge_batch,
    approve_disclosure,
    close_intake_day,
    dispatch_case,
    publish_batch,
    publish_disclosure,
    transfer_batch,
)
from .intake import IdempotencyConflict, import_calls, reveal_reporter, submit_complaint
from .merging import merge_cluster
from .results import check_tracking, close_rating_review, rate_result, reply_case, review_case
from .screening import (
    accept_complaint,
    confirm_classification,
    mark_invalid,
    merge_complaint,
    set_joint,
    set_jurisdiction,
    set_key,
    split_case,
    unmerge_complaint,
)

__all__ = [
    "IdempotencyConflict",
    "accept_complaint",
    "acknowledge_batch",
    "approve_disclosure",
    "check_tracking",
    "close_intake_day",
    "close_rating_review",
    "confirm_classification",
    "dispatch_case",
    "import_calls",
    "mark_invalid",
    "merge_cluster",
    "merge_complaint",
    "publish_batch",
    "publish_disclosure",
    "rate_result",
    "reply_case",
    "reveal_reporter",
    "review_case",
    "set_joint",
    "set_jurisdiction",
    "set_key",
    "split_case",
    "submit_complaint",
    "transfer_batch",
    "unmerge_complaint",
]
