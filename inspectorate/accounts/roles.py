"""Roles and what each may do. One table, read by `authorize` and `restrict`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("Inspection team member")
    TEAM_LEADER = "team_leader", _("Team leader")
    LIAISON = "liaison", _("Liaison / rectification office")
    HANDLER = "handler", _("Handling unit")
    ENTERPRISE_OFFICER = "enterprise_officer", _("Enterprise environmental officer")
    ACCEPTANCE_OFFICER = "acceptance_officer", _("Acceptance officer")
    DISCIPLINE_OFFICER = "discipline_officer", _("Discipline officer")
    AUDITOR = "auditor", _("Auditor (read-only)")
    INSPECTION_OFFICE = "inspection_office", _("Inspection office staff")
    ADMIN = "admin", _("Administrator")


# Roles that act for an inspection team: their membership names a campaign and
# reaches what that campaign's targets hold, for that campaign.
TEAM_ROLES = frozenset({Role.INSPECTOR, Role.TEAM_LEADER})

VIEW = "view"

# Actions are "<area>.<verb>" strings; "view" is reading.  Later apps add their
# actions here so that the whole permission picture stays in one table.
_INSPECTOR = {
    VIEW,
    "audit.view",
    "complaints.intake",
    "complaints.screen",
    "complaints.reveal_reporter",
    "cases.register",
    "cases.review",
    "batches.create",
    "info_requests.manage",
    "problems.manage",
    "tasks.object",
    "tasks.reopen",
    "flags.review",
    # Issue 10 (accountability app): interviews are the team's; it reads the accountability drafts.
    "interviews.manage",
    "accountability.view",
    # Fieldwork (issue 10): record talks and site visits, read talk notes and unannounced visits before they happen.
    "fieldwork.record",
    "talks.notes",
}
_TEAM_LEADER = _INSPECTOR | {
    "accountability.handover",
    "plans.approve",
    "ledger_settings.manage",
    "campaigns.change",
    "batches.transfer",
    "batches.publish",
    "feedback.manage",
    "disclosure.approve",
}
# Hidden dangers and self-inspections (issue 11; app `hazards`), kept by the enterprise side on its own subtree:
#   hazards.report    register a hidden danger, edit it, move it through rectification, add its files
#   hazards.verify    verify a rectified danger (never the person who reported or rectified it); a major
#                     danger only from its supervising unit (the level above) or higher
#   selfcheck.manage  keep checklist templates and open self-inspections
#   selfcheck.fill    fill a checklist on site (failed items become hidden dangers)
# Promoting a danger to a ledger problem needs "problems.manage" (the liaison / rectification office).
_HAZARDS = {"hazards.report", "hazards.verify", "selfcheck.manage", "selfcheck.fill"}
_LIAISON = {
    VIEW,
    "audit.view",
    "campaigns.view_team",
    "cases.dispatch",
    "batches.acknowledge",
    "batches.publish",
    "plans.manage",
    "tasks.manage",
    # The target keeps its own implementing departments (org units of type "department" under its units):
    # create, rename, end. Not the rest of the org tree, which stays "orgs.manage".
    "departments.manage",
    "tasks.progress",
    "tasks.notice",
    "info_requests.assign",
    "interviews.report",
    "problems.manage",
    "tasks.apply",
    "tasks.file",
    "tasks.return",
    "tasks.reopen",
    "tasks.object",
    *_HAZARDS,
}
_HANDLER = {VIEW, "cases.reply", "tasks.progress", "tasks.apply", "info_requests.deliver"}
_ENTERPRISE = {VIEW, "enterprise.manage", "tasks.progress", "info_requests.deliver", *_HAZARDS}
_ACCEPTANCE = {VIEW, "tasks.verify", "tasks.sign", "tasks.return", "flags.review"}
# Accountability (issue 10, app `accountability`):
#   accountability.view      read the drafts: issues with their suggested people, records before publication
#                            (the campaign's team and the discipline body; the target sees only what is handed
#                            over to it, through plain "view" -- see accountability.selectors)
#   accountability.handover  the team leader lists the issues and transfers them to the discipline body
#   accountability.manage    the discipline body investigates, decides, records people and publishes
#   interviews.manage        the team schedules, minutes, verifies and discloses interviews (约谈)
#   interviews.report        the interviewed units' liaison office files the 30-day report
_DISCIPLINE = {VIEW, "accountability.manage", "accountability.view", "flags.review", "talks.notes"}
_AUDITOR = {VIEW, "audit.view"}
# The inspecting body's office (issue 10, point 0): a membership with this role on the office's org unit
# (kind "inspectorate", unit_type "inspection_office") opens the office's campaigns and sets what the office
# decides -- level, type, round, targets, dates, clock rules ("campaigns.create") -- and, like the team
# leader, keeps the team and its roster ("campaigns.change"), for every campaign whose inspecting body lies
# in its subtree.  The office may name any government or enterprise unit as a target: targets are not
# limited to a jurisdiction (kept simple on purpose).
#   campaigns.create   open a campaign; change its office-set fields (everything but the team's own fields)
#   campaigns.change   the team's own fields (feedback date, field descent, summary), the team's hotline,
#                      hours and PO box, and the roster (team members with roles, dated) -- held by the
#                      team leader for their own campaign, and by the office
_INSPECTION_OFFICE = {VIEW, "audit.view", "campaigns.create", "campaigns.change"}
# Facilities, three-simultaneities and government-enterprise visits (issue 11, points 3, 4, 6).
#   facilities.manage   register facilities and their maintenance plans (the plant's environmental officer)
#   facilities.log      enter daily running logs and maintenance records
#   facilities.review   review a flagged log (stop without reason, complaint nearby): the supervising liaison office
#   projects.manage     record construction projects and their three-simultaneities steps, start operation
#   projects.override   start operation although a step is missing, with a written reason (the liaison office)
#   visits.manage       record a government visit to an enterprise, assign the raised problems (the visiting unit)
#   visits.raise        raise a problem or request to the government (the visited enterprise)
#   visits.answer       answer a raised problem (the owner unit it was assigned to)
_ENTERPRISE |= {"facilities.manage", "facilities.log", "projects.manage", "visits.raise"}
_LIAISON |= {"facilities.review", "projects.manage", "projects.override", "visits.manage", "visits.raise", "visits.answer"}
_HANDLER |= {"visits.answer"}
# Process-based KPI assessment (issue 11, point 5; app `kpi`).
#   kpi.manage   keep assessment schemes, compute the scores, adjust them with reasons, review them -- checked on
#                the scheme's assessing unit, so an assessed unit never grades itself. Everyone else reads
#                (scores: the assessed unit and the levels above; a sibling never sees another's score).
_LIAISON |= {"kpi.manage"}
_ADMIN = (
    _TEAM_LEADER
    | _LIAISON
    | _HANDLER
    | _ENTERPRISE
    | _ACCEPTANCE
    | _DISCIPLINE
    | {"orgs.manage", "accounts.manage", "calendar.manage", "campaigns.create"}
)

# Separated duties (issue 8).  These actions belong to the *inspecting* side: the inspection team of the
# object's campaign, an acceptance body above the inspected party, a discipline body.  Holding the permission
# is not enough: `authorize` also refuses anyone who holds any membership inside the inspected party, that is
# on a unit in the subtree of one of the campaign's targets or of the object's owning units (ScopeSpec.owners:
# a task's lead and implementing units).  So the liaison office of the unit that owns a task never reviews the
# fake-rectification flags raised against it (it lacks "flags.review"), nor does an acceptance officer of the
# target city reviewing its own county's task, nor an inspector who also holds a post in the inspected city.
#   flags.review            confirm or dismiss a fake-rectification flag
#   ledger_settings.manage  edit a campaign's ledger settings (flag thresholds, the small-unit sign-off exemption)
#   campaigns.create/.change  set up a campaign, its team and its roster: an administrator of the inspected city
#                           does not staff or reschedule the inspection of his own city
# The sign-off steps add a rule of their own (rectification.actions.signoff): applicant, verifier and signer are
# three different people; a campaign's ledger settings may let the verifier also sign, for a documented
# small acceptance unit only, and each such signature says so in the audit chain.
INSPECTING_SIDE_ONLY = frozenset({"flags.review", "ledger_settings.manage", "campaigns.create", "campaigns.change"})

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.INSPECTOR: frozenset(_INSPECTOR),
    Role.TEAM_LEADER: frozenset(_TEAM_LEADER),
    Role.LIAISON: frozenset(_LIAISON),
    Role.HANDLER: frozenset(_HANDLER),
    Role.ENTERPRISE_OFFICER: frozenset(_ENTERPRISE),
    Role.ACCEPTANCE_OFFICER: frozenset(_ACCEPTANCE),
    Role.DISCIPLINE_OFFICER: frozenset(_DISCIPLINE),
    Role.AUDITOR: frozenset(_AUDITOR),
    Role.INSPECTION_OFFICE: frozenset(_INSPECTION_OFFICE),
    Role.ADMIN: frozenset(_ADMIN),
}


def roles_with(action: str) -> set[str]:
    return {role for role, perms in PERMISSIONS.items() if action in perms}
