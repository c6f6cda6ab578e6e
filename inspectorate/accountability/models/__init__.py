from .interviews import Interview, InterviewPerson, InterviewReason, InterviewStatus, InterviewWarning, Verification
from .issues import (
    AccountabilityIssue,
    AccountabilityRecord,
    HandoverPack,
    IssueStatus,
    Measure,
    Rank,
    ResponsibleUnitType,
)

__all__ = [
    "AccountabilityIssue",
    "AccountabilityRecord",
    "HandoverPack",
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
