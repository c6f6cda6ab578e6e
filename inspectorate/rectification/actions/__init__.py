"""Every state change in rectification: one function per action (authorize, atomic, audit)."""

from .flags import review_flag
from .leaders import create_leader, end_leader, update_leader
from .ledger_settings import update_ledger_settings
from .problems import create_feedback, create_plan, create_problem, plan_due, transition_plan, update_plan, update_problem
from .signoff import (
    apply_sign_off,
    decide_objection,
    file,
    notice_period,
    raise_objection,
    reopen,
    return_task,
    sign,
    start_notice,
    verify,
)
from .tasks import add_evidence, create_task, import_allowed, record_progress, set_measures, update_task

__all__ = [
    "add_evidence",
    "apply_sign_off",
    "create_feedback",
    "create_leader",
    "create_plan",
    "create_problem",
    "create_task",
    "decide_objection",
    "end_leader",
    "file",
    "import_allowed",
    "notice_period",
    "plan_due",
    "raise_objection",
    "record_progress",
    "reopen",
    "return_task",
    "review_flag",
    "set_measures",
    "sign",
    "start_notice",
    "transition_plan",
    "update_leader",
    "update_ledger_settings",
    "update_plan",
    "update_problem",
    "update_task",
    "verify",
]
