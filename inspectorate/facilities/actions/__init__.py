"""The facilities app's state changes: one function per step, atomic, authorised and audited."""

from .facilities import check_overdue_maintenance, create_facility, create_plan, next_due, record_maintenance, update_facility
from .logs import check_missing_logs, record_log, review_log
from .projects import MissingSteps, add_step, create_project, missing_steps, start_operation, update_project
from .visits import answer_request, assign_request, create_visit, raise_request

__all__ = [
    "MissingSteps",
    "add_step",
    "answer_request",
    "assign_request",
    "check_missing_logs",
    "check_overdue_maintenance",
    "create_facility",
    "create_plan",
    "create_project",
    "create_visit",
    "missing_steps",
    "next_due",
    "raise_request",
    "record_log",
    "record_maintenance",
    "review_log",
    "start_operation",
    "update_facility",
    "update_project",
]
