"""The production profile: gunicorn, the task worker(s) and the scheduler, started and stopped together.

Run it as `bin/serve` (or `make serve`, or `python -m inspectorate.serve`). It refuses to start, naming
every missing variable at once, unless the production settings are given (see README "Production profile");
then it checks the deployment (`manage.py check --deploy`), collects the static files, migrates, and starts

- gunicorn with WEB_WORKERS (4) workers on HOST:PORT (127.0.0.1:8000),
- TASK_WORKERS (1) task workers (`manage.py db_worker`),
- one scheduler (`manage.py run_scheduler`; several would be harmless, each job runs once per day).

Ctrl-C (or SIGTERM) stops them all; if one of them dies the others are stopped too and the exit status is 1.
Other scripts (the load test) start the same profile by running this module.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REQUIRED = {
    "SECRET_KEY": "the Django secret key (50+ random characters)",
    "INSPECTORATE_FIELD_KEY": "Fernet key(s) for personal data at rest",
    "INSPECTORATE_AUDIT_KEY": "HMAC key(s), 32+ characters each, signing the audit anchors",
    "ALLOWED_HOSTS": "comma-separated host names the site answers to",
    "DATABASE_URL": "postgres://user@host:5432/name (the production profile runs on PostgreSQL)",
    "REDIS_URL": "redis://host:6379/0 (the cache shared by the workers: rate limits, lock-outs, stamps)",
}


def missing_settings(environ: Mapping[str, str]) -> list[str]:
    """One line per missing or unusable variable; empty when the profile may start."""
    problems = [f"{name} is not set: {hint}" for name, hint in REQUIRED.items() if not environ.get(name, "").strip()]
    db = environ.get("DATABASE_URL", "").strip()
    if db and not db.startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append(f"DATABASE_URL must name a PostgreSQL database (got {db.split(':', 1)[0]}://...)")
    if environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        problems.append("DEBUG is on: the production profile runs with DEBUG=0 (unset it)")
    return problems


def _positive(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"serve: {name} must be a whole number (got {value!r})") from None
    if number < 1:
        raise SystemExit(f"serve: {name} must be 1 or more (got {number})")
    return number


def commands(python: str, bind: str, web_workers: int, task_workers: int) -> list[tuple[str, list[str]]]:
    manage = [python, str(ROOT / "manage.py")]
    gunicorn = [python, "-m", "gunicorn", "inspectorate.wsgi", "--bind", bind, "--workers", str(web_workers)]
    gunicorn += ["--access-logfile", "-", "--graceful-timeout", "20"]
    procs = [("web", gunicorn)]
    procs += [(f"worker-{i + 1}", [*manage, "db_worker"]) for i in range(task_workers)]
    procs.append(("scheduler", [*manage, "run_scheduler"]))
    return procs


def _stop(running: Sequence[tuple[str, subprocess.Popen[bytes]]], grace: float = 25.0) -> None:
    for _name, proc in running:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for _name, proc in running:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--workers", default=os.environ.get("WEB_WORKERS", "4"), help="gunicorn workers (4)")
    parser.add_argument("--task-workers", default=os.environ.get("TASK_WORKERS", "1"), help="db_worker processes (1)")
    parser.add_argument("--skip-setup", action="store_true", help="no check/collectstatic/migrate before starting")
    args = parser.parse_args(argv)
    web_workers = _positive("WEB_WORKERS", str(args.workers))
    task_workers = _positive("TASK_WORKERS", str(args.task_workers))

    problems = missing_settings(os.environ)
    if problems:
        sys.stderr.write("serve: the production profile cannot start:\n")
        for line in problems:
            sys.stderr.write(f"  - {line}\n")
        sys.stderr.write("See README.md, section 'Production profile'.\n")
        return 2
    # Triage (classify, route, duplicate check) in the task workers unless told otherwise: a burst of intake is
    # absorbed by the insert (complaints.actions.triage).
    env = {"INTAKE_TRIAGE": "worker", **os.environ, "DEBUG": "0"}
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    if not args.skip_setup:
        setup = (["check", "--deploy", "--fail-level", "ERROR"], ["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput"])
        for step in setup:
            if subprocess.run([*manage, *step], cwd=ROOT, env=env).returncode != 0:  # noqa: S603 (our own commands)
                sys.stderr.write(f"serve: `manage.py {' '.join(step)}` failed; nothing started.\n")
                return 2

    bind = f"{args.host}:{args.port}"
    running: list[tuple[str, subprocess.Popen[bytes]]] = []
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for name, cmd in commands(python, bind, web_workers, task_workers):
        # Own process group each: a terminal's Ctrl-C reaches us only, and we stop them in order.
        running.append((name, subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)))  # noqa: S603
    pids = ", ".join(f"{name} {proc.pid}" for name, proc in running)
    print(f"serve: http://{bind}/ with {web_workers} web workers ({pids}); Ctrl-C stops all.", flush=True)
    status = 0
    while not stopping:
        dead = [(name, proc) for name, proc in running if proc.poll() is not None]
        if dead:
            for name, proc in dead:
                sys.stderr.write(f"serve: {name} exited with status {proc.returncode}; stopping the others.\n")
            status = 1
            break
        time.sleep(0.5)
    _stop(running)
    print("serve: stopped.", flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
