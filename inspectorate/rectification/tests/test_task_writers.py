"""Every way to write a ledger task, enumerated: only the sign-off actions reach "closed" / "filed".

Four sweeps, each failing when something new appears that is not in its known list:
- the code: every function that writes a sign-off field of a task (status, step, notice, filing record);
- the URLs: every pattern of the resolver is called as a superuser with a hostile body; the ones that write the
  task table are listed, and only the sign-off "file" action closes a task;
- the management commands: each is classified, and the ones said not to write tasks are run and watched;
- the admin: no registered admin (or inline) can add or change a task.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command, get_commands
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from inspectorate.rectification import actions
from inspectorate.rectification.models import SIGNOFF_FIELDS, SignOffStep, Task, TaskStatus
from inspectorate.rectification.views import SIGNOFF_ACTIONS

from .test_api import at

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]  # inspectorate/

# -- 1. the code ------------------------------------------------------------------------------------------------

SIGNOFF_ACTION_FUNCTIONS = {"apply_sign_off", "verify", "sign", "start_notice", "file", "_return", "reopen"}
KNOWN_WRITERS: dict[tuple[str, str], str] = {
    **{("rectification.actions.signoff", f): "a sign-off step" for f in SIGNOFF_ACTION_FUNCTIONS},
    ("rectification.actions.common", "claim"): "the conditional UPDATE of the sign-off steps (callers checked below)",
    ("rectification.actions.tasks", "create_task"): "refuses sign-off fields (test_create_and_update_refuse_...)",
    ("rectification.actions.tasks", "update_task"): "refuses sign-off fields (test_create_and_update_refuse_...)",
    ("rectification.actions.tasks", "record_progress"): "not started → in progress, nothing further",
    ("rectification.ledger", "import_ledger"): "refuses changed sign-off values (test_signoff_trust.py)",
    ("demo.rectification", "_task"): "load_demo only: replays tasks filed in 2021–2023 with their notices",
    ("demo.rectification", "_chinalco"): "load_demo only: one deliberately short notice for the flag demo",
}
READ_CALLS = {"filter", "exclude", "get", "Q", "annotate", "aggregate", "order_by", "values", "values_list", "count"}


def _writes(tree: ast.AST, text: str) -> set[str]:
    """Functions (dotted within the module) that assign a task's sign-off fields, or assign task fields dynamically."""
    found: set[str] = set()

    def source(node: ast.AST) -> str:
        return ast.unparse(node)

    def hit(node: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in READ_CALLS:
                return False
            if name == "setattr":
                return True
            taskish = name in ("Task", "claim") or "Task.objects" in source(node.func)
            for kw in node.keywords:
                if kw.arg is None and taskish:
                    return True  # Task(**fields), Task.objects.….update(**changes)
                if kw.arg in SIGNOFF_FIELDS and (kw.arg != "status" or taskish or "TaskStatus" in source(kw.value)):
                    return True
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                    named = isinstance(t, ast.Attribute) and t.attr in SIGNOFF_FIELDS
                    if named and (t.attr != "status" or "task" in source(t.value).lower() or "TaskStatus" in source(node.value)):
                        return True
                    if isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value in SIGNOFF_FIELDS:
                        return True
        return False

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = child.name if where == "<module>" else f"{where}.{child.name}"
            if hit(child):
                found.add(inner)
            visit(child, inner)

    visit(tree, "<module>")
    return found


@functools.cache
def _modules() -> list[tuple[str, ast.AST, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if {"tests", "migrations", "testing"} & set(rel.parts):
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        imports_task = any(isinstance(n, ast.ImportFrom) and any(a.name == "Task" for a in n.names) for n in ast.walk(tree)) or (
            "rectification" in rel.parts and "Task" in text
        )
        if imports_task:
            out.append((".".join(rel.with_suffix("").parts), tree, text))
    return out


def test_only_known_functions_write_a_tasks_signoff_fields():
    found = {(module, fn) for module, tree, text in _modules() for fn in _writes(tree, text)}
    assert found - set(KNOWN_WRITERS) == set(), "a new writer of task sign-off fields: route it through the sign-off actions"
    assert set(KNOWN_WRITERS) - found == set(), "stale entries in KNOWN_WRITERS"


def test_the_conditional_update_is_used_only_by_the_signoff_steps():
    callers = set()
    for module, tree, _text in _modules():
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "claim":
                        callers.add((module, fn.name))
    assert callers == {("rectification.actions.signoff", f) for f in SIGNOFF_ACTION_FUNCTIONS}


def test_create_and_update_refuse_signoff_fields(rect):
    w = rect.w
    base = {
        "campaign": w.campaign, "problem": rect.problem, "number": "5.1", "goal": "g", "lead_leader": rect.leader,
        "lead_unit": w.county_a, "acceptance_unit": w.city_a, "deadline": timezone.localdate(),
    }  # fmt: skip
    for field, value in (("status", TaskStatus.CLOSED), ("signoff_step", SignOffStep.FILED), ("closed_on", base["deadline"])):
        with pytest.raises(ValidationError) as exc:
            actions.create_task(actor=w.liaison_a, **base, **{field: value})
        assert field in exc.value.message_dict and "sign-off steps" in exc.value.message_dict[field][0]
    assert not Task.objects.filter(number="5.1").exists()
    task = actions.create_task(actor=w.liaison_a, **base, status=TaskStatus.IN_PROGRESS)
    for field, value in (("status", TaskStatus.CLOSED), ("signoff_step", SignOffStep.FILED), ("notice_end", base["deadline"])):
        with pytest.raises(ValidationError, match="sign-off steps"):
            actions.update_task(Task.objects.get(pk=task.pk), actor=w.liaison_a, **{field: value})
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.signoff_step == "" and task.notice_end is None


def test_api_and_form_ignore_a_status_in_the_body(rect, client):
    w = rect.w
    task = rect.task(number="1.1")
    client.force_login(w.liaison_a)
    hostile = {"status": "closed", "signoff_step": "filed", "closed_on": f"{timezone.localdate():%Y-%m-%d}"}
    r = client.patch(f"/api/v1/tasks/{task.pk}/", {**hostile, "goal": "新目标"}, "application/json")
    assert r.status_code == 200 and r.json()["status"] == "not_started" and r.json()["signoff_step"] == ""
    data = {
        "number": "1.1", "goal": "表单目标", "lead_leader": rect.leader.pk, "lead_unit": w.county_a.pk,
        "acceptance_unit": w.city_a.pk, "deadline": "2030-06-30", "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0",
        "m-0-number": "1", "m-0-text": "措施", "m-0-milestone": "2030-01-01", **hostile,
    }  # fmt: skip
    r = client.post(f"/rectification/tasks/{task.pk}/edit/", data)
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.goal == "表单目标" and task.status == TaskStatus.NOT_STARTED and task.closed_on is None


# -- 2. the URLs ------------------------------------------------------------------------------------------------

# Patterns (by qualified name) whose requests write the task table, and why that is safe.
KNOWN_URL_WRITERS = {
    "tasks-list": "API create → actions.create_task (refuses sign-off fields)",
    "tasks-detail": "API update → actions.update_task (status is read-only; refuses sign-off fields)",
    "tasks-apply-sign-off": "sign-off step",
    "tasks-verify": "sign-off step",
    "tasks-sign": "sign-off step",
    "tasks-start-notice": "sign-off step",
    "tasks-file": "sign-off step: the filing",
    "tasks-return-": "sign-off step",
    "tasks-reopen": "sign-off step",
    "tasks-decide-objection": "sign-off step (an upheld objection returns the task)",
    "tasks-progress": "progress report: not started → in progress",
    "tasks-import-": "ledger import (never moves sign-off)",
    "rectification:task-new": "task form → actions.create_task",
    "rectification:task-edit": "task form → actions.update_task",
    "rectification:task-report": "progress form → actions.record_progress",
    "rectification:task-action": "the sign-off panel: one action per name",
    "rectification:import": "ledger import (never moves sign-off)",
}
CLOSERS = {"tasks-file", "rectification:task-action[file]"}
TASK_WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"rectification_task"', re.IGNORECASE)


def _patterns(resolvers: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str, Any]]:
    out = []
    for p in resolvers:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            out += _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            out.append((prefix + str(p.pattern), f"{namespace}{p.name or ''}", p))
    return out


def _fill(pattern: str, values: dict[str, str]) -> str:
    """A concrete path for a regex (`(?P<pk>…)`) or route (`<uuid:pk>`) pattern."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):
            name = pattern[i + 4 : pattern.index(">", i)]
            depth, j = 0, i
            while True:
                if pattern[j] in "()" and pattern[j - 1] != "\\":
                    depth += 1 if pattern[j] == "(" else -1
                j += 1
                if depth == 0:
                    break
            out, i = out + values.get(name, "x"), j
        else:
            out, i = out + pattern[i], i + 1
    out = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "x"), out)
    out = out.replace("^", "").replace("$", "").replace("\\.", ".").replace("?", "")
    return "/" + out.lstrip("/")


class _Undo(Exception):
    pass


@pytest.mark.slow
def test_every_url_that_writes_a_task_is_known_and_only_filing_closes(rect):
    w = rect.w
    targets = [at(rect, "ready"), at(rect, "expired"), at(rect, "filed")]
    today = f"{timezone.localdate():%Y-%m-%d}"
    body = {
        "status": "closed", "signoff_step": "filed", "closed_on": today, "notice_start": today, "notice_end": today,
        "notice_days": 1, "progress": 100, "campaign": str(w.campaign.pk), "problem": str(rect.problem.pk),
        "number": "99.1", "goal": "g", "lead_leader": str(rect.leader.pk), "lead_unit": str(w.county_a.pk),
        "acceptance_unit": str(w.city_a.pk), "deadline": "2030-06-30", "percent": 100, "conclusion": "ok",
        "reason": "r", "note": "n", "text": "t", "source": "spot_check",
        "confirm": "1",  # past the confirmation step of the irreversible ones (filing)
    }  # fmt: skip
    client = Client()
    client.force_login(w.admin)
    client.raise_request_exception = False
    session = client.cookies["sessionid"].value
    writers: set[str] = set()
    closers: set[str] = set()
    seen = 0
    statements: list[str] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    for pattern, name, _p in _patterns(get_resolver().url_patterns):
        if name.startswith("admin:") or "(?P<format>" in pattern:
            continue  # the admin is swept below; format suffixes repeat their pattern
        pks = [str(t.pk) for t in targets] if ("task" in pattern and "pk" in pattern) else [str(targets[0].pk)]
        slugs = [*SIGNOFF_ACTIONS, "evidence", "nothing"] if name == "rectification:task-action" else ["x"]
        for pk in pks:
            for slug in slugs:
                url = _fill(pattern, {"pk": pk, "name": slug, "fmt": "json", "att": str(uuid.uuid4()), "unit": str(uuid.uuid4())})
                key = f"{name}[{slug}]" if slug != "x" else name
                # Reading once is enough (GET must never write); every pk and action name is tried with each write verb.
                reads = ("get",) if pk == pks[0] and name not in ("schema", "api-docs") else ()
                for method in (*reads, "post", "patch", "put", "delete"):
                    statements.clear()
                    seen += 1

                    try:
                        with transaction.atomic(), connection.execute_wrapper(watch):
                            if method in ("get", "post"):
                                getattr(client, method)(url, body if method == "post" else None)
                            else:
                                getattr(client, method)(url, body, content_type="application/json")
                            if any(TASK_WRITE.match(s) for s in statements):
                                writers.add(name)
                            if Task.objects.filter(pk__in=pks[:2], status=TaskStatus.CLOSED).exists() or (
                                Task.objects.filter(signoff_step=SignOffStep.FILED).exclude(pk=targets[2].pk).exists()
                            ):
                                closers.add(key)
                            raise _Undo
                    except _Undo:
                        pass
                    if client.cookies["sessionid"].value != session:  # logged out by the sweep (logout, password)
                        client.force_login(w.admin)
                        session = client.cookies["sessionid"].value
    assert seen > 500  # the sweep really walked the resolver
    assert writers - set(KNOWN_URL_WRITERS) == set(), "a new URL writes tasks: add it to KNOWN_URL_WRITERS with a test"
    assert closers == CLOSERS  # only the filing closes, and it does (the sweep reaches it)


# -- 3. the management commands -----------------------------------------------------------------------------------

KNOWN_COMMANDS = {
    "import_ledger": "writes tasks through ledger.import_ledger (test_signoff_trust: changed status refused)",
    "load_demo": "demo seed: replays filed history (see KNOWN_WRITERS)",
    "compile_translations": None,  # .po → .mo files, no database
    "export_ledger": (),
    "verify_audit": (),
    "rectification_deadlines": (),
    "compute_flags": (),
    "close_intake": (),
    "run_deadlines": (),
    "seed_keywords": (),
    "classification_report": (),
    "check_data": (),  # reads only; exits 1 when it finds a contradiction
    "anchor_audit": (),  # signs the chain head: writes an anchor, never a task
    "run_scheduler": (),  # run with --once: the daily jobs (deadlines, anchor, cut-off, maintenance), never a task
    "dedup_keys": (),  # writes duplicate-check keys (complaints.DedupKey), never a task
    "triage_pending": (),  # classifies, routes and dedups waiting complaints (complaints.actions.triage), never a task
    "open311_key": "issues and revokes Open311 client keys (open311 tests); needs arguments, never touches tasks",
    "backup": (),  # reads every table and stored file into one archive, writes nothing to the database
    "restore": "loads a backup's rows (tasks included, as they were) into an empty database only (core tests)",
}


def test_every_project_command_is_classified_and_the_others_do_not_write_tasks(rect, tmp_path):
    ours = {name for name, app in get_commands().items() if str(app).startswith("inspectorate")}
    assert ours == set(KNOWN_COMMANDS), "a new management command: classify it in KNOWN_COMMANDS"
    for t in (at(rect, "ready"), at(rect, "expired"), at(rect, "filed")):
        assert t.pk
    statements: list[str] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    for name, kind in KNOWN_COMMANDS.items():
        if kind != ():
            continue
        args = {
            "export_ledger": [rect.w.campaign.code, str(tmp_path / "l.xlsx")],
            "run_scheduler": ["--once"],
            "backup": [str(tmp_path / "backup.tar")],
        }.get(name, [])
        statements.clear()
        with connection.execute_wrapper(watch), contextlib.suppress(SystemExit, CommandError):
            call_command(name, *args, stdout=io.StringIO(), stderr=io.StringIO())
        assert not [s for s in statements if TASK_WRITE.match(s)], f"{name} writes tasks"
    assert Task.objects.filter(status=TaskStatus.CLOSED).count() == 1


# -- 4. the admin -----------------------------------------------------------------------------------------------------


def test_no_admin_can_add_or_change_a_task(rect):
    w = rect.w
    task = at(rect, "expired")
    site_admins = list(admin.site._registry.items())
    task_admins = [ma for model, ma in site_admins if model is Task]
    inlines = [(model, i) for model, ma in site_admins for i in ma.inlines if i.model is Task]
    assert len(task_admins) == 1 and inlines == []
    client = Client()
    client.force_login(w.admin)
    request = RequestFactory().get("/admin/")
    request.user = w.admin
    ma = task_admins[0]
    assert not ma.has_add_permission(request) and not ma.has_change_permission(request, task)
    assert not ma.has_delete_permission(request, task)
    assert set(ma.get_actions(request)) == set()
    assert set(ma.readonly_fields) >= SIGNOFF_FIELDS
    change = f"/admin/rectification/task/{task.pk}/change/"
    r = client.post(change, {"status": "closed", "signoff_step": "filed", "closed_on": "2030-01-01", "goal": "x"})
    assert r.status_code == 403
    assert client.post("/admin/rectification/task/add/", {"status": "closed"}).status_code == 403
    assert client.get(change).status_code == 200  # viewable, read-only
    task.refresh_from_db()
    assert task.status == TaskStatus.UNDER_NOTICE and task.signoff_step == SignOffStep.UNDER_NOTICE
