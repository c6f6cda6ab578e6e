from .interviews import Interview, InterviewPerson, InterviewReason, InterviewStatus, InterviewWarning, Verification
from .issues import (
    AccountabilityIssue,
    AccountabilityRecord,
    CareerEvent,
    CareerEventKind,
    HandoverPack,
    IssueStatus,
    Measure,
    Rank,
    ResponsibleUnitType,
)
from .reminders import ReminderMail, ReminderSubject

__all__ = [
    "AccountabilityIssue",
    "AccountabilityRecord",
    "CareerEvent",
    "CareerEventKind",
    "HandoverPack",
    "Interview",
    "InterviewPerson",
    "InterviewReason",
    "InterviewStatus",
    "InterviewWarning",
    "IssueStatus",
    "Measure",
    "Rank",
    "ReminderMail",
    "ReminderSubject",
    "ResponsibleUnitType",
    "Verification",
]
