"""Audit verbs as words: a timeline reads "平江县承办人员 申请验收销号", not `task.apply_sign_off`.

A verb is "<object>.<action>".  Steps with their own meaning have a phrase of their own (FULL);
the rest are an action on an object ("created the task", "创建了任务"), each part translated.
A verb that is in neither table is shown as it is, in a <code> element, and the test
`audit/tests/test_verbs.py` fails for every verb the demo records that has no words.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

FULL: dict[str, Promise] = {
    "complaint.receive": gettext_lazy("received the complaint"),
    "complaint.accept": gettext_lazy("accepted the complaint as a case"),
    "complaint.invalid": gettext_lazy("marked the complaint invalid"),
    "complaint.merge": gettext_lazy("merged the complaint as a duplicate"),
    "complaint.unmerge": gettext_lazy("undid a duplicate merge"),
    "complaint.classify": gettext_lazy("corrected the pollution type"),
    "complaint.route": gettext_lazy("corrected the jurisdiction"),
    "complaint.reveal_reporter": gettext_lazy("revealed the reporter's identity"),
    "case.register": gettext_lazy("registered the case"),
    "case.dispatch": gettext_lazy("dispatched the case to a handling unit"),
    "case.joint": gettext_lazy("made the case a joint case"),
    "case.key": gettext_lazy("changed the key-case mark"),
    "case.split": gettext_lazy("split the case"),
    "case.merge": gettext_lazy("merged cases"),
    "case.unmerge": gettext_lazy("undid a case merge"),
    "case.reply": gettext_lazy("reported the handling result"),
    "case.accept": gettext_lazy("accepted the handling result"),
    "case.return": gettext_lazy("returned the handling result for more work"),
    "case.rate": gettext_lazy("recorded the complainant's rating"),
    "case.review_rating": gettext_lazy("closed the review of a rating"),
    "case.reopen": gettext_lazy("reopened the case"),
    "case.deadline_warning": gettext_lazy("raised a deadline warning"),
    "batch.close": gettext_lazy("closed the day's intake into a batch"),
    "batch.transfer": gettext_lazy("transferred the batch"),
    "batch.acknowledge": gettext_lazy("acknowledged receipt of the batch"),
    "disclosure.approve": gettext_lazy("approved the handling table for publication"),
    "disclosure.publish": gettext_lazy("published the handling table"),
    "task.apply_sign_off": gettext_lazy("applied for sign-off"),
    "task.verify": gettext_lazy("verified the rectification on site"),
    "task.sign": gettext_lazy("signed the acceptance"),
    "task.start_notice": gettext_lazy("published the closure notice"),
    "task.file": gettext_lazy("filed the task as closed"),
    "task.return": gettext_lazy("returned the task for more work"),
    "task.reopen": gettext_lazy("reopened the task"),
    "task.progress": gettext_lazy("reported progress"),
    "task.evidence": gettext_lazy("uploaded evidence"),
    "task.measures": gettext_lazy("changed the measures"),
    "task.objection": gettext_lazy("received an objection to the closure"),
    "task.objection_decided": gettext_lazy("decided an objection"),
    "flag.review": gettext_lazy("reviewed a fake-rectification warning"),
    "token.revoke": gettext_lazy("revoked an API token"),
    "open311key.revoke": gettext_lazy("revoked an Open311 key"),
    "user.password_change": gettext_lazy("changed the password"),
    "export.request": gettext_lazy("requested an export"),
    "export.done": gettext_lazy("finished an export"),
    "export.file_expired": gettext_lazy("removed an expired export file"),
    "export.worker_lost": gettext_lazy("marked the export failed: its worker stopped"),
    "interview.minutes": gettext_lazy("recorded the minutes of the interview"),
    "interview.report": gettext_lazy("filed the interview report"),
    "interview.verify": gettext_lazy("verified the interview report"),
    "interview.publish": gettext_lazy("disclosed the interview"),
    "interview.deadline_warning": gettext_lazy("raised an interview report warning"),
    "accountability_issue.transfer": gettext_lazy("transferred the accountability issue to the discipline body"),
    "accountability_issue.investigate": gettext_lazy("opened the investigation of the accountability issue"),
    "accountability_issue.decide": gettext_lazy("recorded the accountability decision"),
    "accountability_issue.publish": gettext_lazy("published the accountability results"),
    "handover_pack.create": gettext_lazy("generated the feedback handover pack"),
    "maintenance.record": gettext_lazy("recorded facility maintenance"),
    "facility_log.record": gettext_lazy("entered the daily running log"),
    "facility_log.review": gettext_lazy("reviewed a flagged running log"),
    "facility_warning.raise": gettext_lazy("warned of a missing daily log"),
    "facility_warning.resolve": gettext_lazy("resolved a missing-log warning with a late log"),
    "project.step": gettext_lazy("recorded a three-simultaneities step"),
    "project.operate": gettext_lazy("put the project into operation"),
    "project.operate_override": gettext_lazy("put the project into operation with missing steps (override)"),
    "visit_request.raise": gettext_lazy("raised a problem to the government"),
    "visit_request.assign": gettext_lazy("assigned the raised problem to an owner"),
    "visit_request.answer": gettext_lazy("answered the raised problem"),
    "hidden_danger.escalate": gettext_lazy("escalated the major hidden danger to the level above"),
    "hidden_danger.start": gettext_lazy("started rectifying the hidden danger"),
    "hidden_danger.submit": gettext_lazy("asked for verification of the rectified hidden danger"),
    "hidden_danger.verify": gettext_lazy("verified and closed the hidden danger"),
    "hidden_danger.reject": gettext_lazy("sent the hidden danger back for more rectification"),
    "hidden_danger.evidence": gettext_lazy("added a file to the hidden danger"),
    "hidden_danger.promote": gettext_lazy("put the hidden danger on the rectification ledger"),
    "checklist_run.submit": gettext_lazy("submitted a filled self-inspection checklist"),
    "info_request.issue": gettext_lazy("issued the information request"),
    "info_request_item.assign": gettext_lazy("assigned the requested item to a department"),
    "info_request_item.deliver": gettext_lazy("delivered documents with a truthfulness declaration"),
    "info_request_item.review": gettext_lazy("marked the requested item"),
    "site_visit.complete": gettext_lazy("recorded the site visit as done"),
    "site_visit.photos": gettext_lazy("added photos to the site visit"),
    "visit_finding.to_case": gettext_lazy("made the visit finding a case"),
    "visit_finding.to_problem": gettext_lazy("made the visit finding a rectification problem"),
}

# "%(object)s" is the object's name (OBJECTS); each language orders the sentence its own way.
ACTIONS: dict[str, Promise] = {
    "create": gettext_lazy("created the %(object)s"),
    "update": gettext_lazy("changed the %(object)s"),
    "delete": gettext_lazy("deleted the %(object)s"),
    "end": gettext_lazy("ended the %(object)s"),
    "import": gettext_lazy("imported the %(object)s"),
    "relations": gettext_lazy("changed the links of the %(object)s"),
}

OBJECTS: dict[str, Promise] = {
    "campaign": gettext_lazy("inspection"),
    "team": gettext_lazy("team"),
    "membership": gettext_lazy("role"),
    "user": gettext_lazy("user"),
    "group": gettext_lazy("group"),
    "token": gettext_lazy("API token"),
    "apitoken": gettext_lazy("API token"),
    "flag": gettext_lazy("fake-rectification warning"),
    "open311key": gettext_lazy("Open311 key"),
    "org_unit": gettext_lazy("organisation unit"),
    "orgunit": gettext_lazy("organisation unit"),
    "department": gettext_lazy("department"),
    "enterprise": gettext_lazy("enterprise"),
    "jurisdiction": gettext_lazy("jurisdiction"),
    "complaint": gettext_lazy("complaint"),
    "case": gettext_lazy("case"),
    "feedback": gettext_lazy("feedback"),
    "problem": gettext_lazy("problem"),
    "plan": gettext_lazy("rectification plan"),
    "task": gettext_lazy("task"),
    "leader": gettext_lazy("responsible leader"),
    "ledger_settings": gettext_lazy("ledger settings"),
    "ledgersettings": gettext_lazy("ledger settings"),
    "keywordrule": gettext_lazy("keyword rule"),
    "intakeconfig": gettext_lazy("intake settings"),
    "acceptancerule": gettext_lazy("acceptance rule"),
    "calendaroverride": gettext_lazy("calendar day"),
    "interview": gettext_lazy("interview"),
    "accountability_issue": gettext_lazy("accountability issue"),
    "accountability_record": gettext_lazy("accountability record"),
    "accountabilityissue": gettext_lazy("accountability issue"),
    "accountabilityrecord": gettext_lazy("accountability record"),
    "facility": gettext_lazy("pollution-control facility"),
    "maintenance_plan": gettext_lazy("maintenance plan"),
    "project": gettext_lazy("construction project"),
    "visit": gettext_lazy("government-enterprise visit"),
    "hidden_danger": gettext_lazy("hidden danger"),
    "checklist": gettext_lazy("checklist"),
    "self_inspection": gettext_lazy("self-inspection"),
    "talk": gettext_lazy("individual talk"),
    "site_visit": gettext_lazy("site visit"),
    "visit_finding": gettext_lazy("visit finding"),
}


def describe(verb: str) -> str | None:
    """The verb in the active language, or None when there are no words for it."""
    if verb in FULL:
        return str(FULL[verb])
    obj, _dot, action = verb.rpartition(".")
    if action in ACTIONS and obj in OBJECTS:
        return str(ACTIONS[action]) % {"object": OBJECTS[obj]}
    return None
