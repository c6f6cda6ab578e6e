from .interviews import Interview, InterviewPerson, InterviewReason, InterviewStatus, InterviewWarning, Verification
from .issues import (
    AccountabilityIssue,
    AccountabilityRecord,
    HandoverPack,
    IdempotencyKey,
    IssueStatus,
    Measure,
    Rank,
    ResponsibleUnitType,
)

__all__ = [
    "AccountabilityIssue",
    "AccountabilityRecord",
    "HandoverPack",
    "IdempotencyKey",
    "Interview",
    "InterviewPerson",
    "InterviewReason",
    "InterviewStatus",
    "InterviewWarning",
    "IssueStatus",
    "Measure",
    "Rank",
    "ResponsibleUnitType",
    "Verification",
]
