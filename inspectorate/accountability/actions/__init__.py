from .common import IdempotencyConflict
from .interviews import (
    create_interview,
    publish_interview,
    record_minutes,
    submit_report,
    update_interview,
    verify_report,
)
from .issues import (
    add_record,
    create_issue,
    decide,
    publish_issue,
    record_career_event,
    remove_record,
    start_investigation,
    transfer,
    update_issue,
)

__all__ = [
    "IdempotencyConflict",
    "add_record",
    "create_interview",
    "create_issue",
    "decide",
    "publish_interview",
    "publish_issue",
    "record_career_event",
    "record_minutes",
    "remove_record",
    "start_investigation",
    "submit_report",
    "transfer",
    "update_interview",
    "update_issue",
    "verify_report",
]
