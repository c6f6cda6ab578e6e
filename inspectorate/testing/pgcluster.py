"""A throwaway PostgreSQL cluster for fault tests: its own data folder, port and socket, never the shared server.

    cluster = Cluster.create()          # initdb (trust auth) + start; None when the binaries are absent
    cluster.url("faults")               # postgres://postgres@127.0.0.1:PORT/faults
    cluster.stop(mode="immediate")      # as if the server died: open transactions are lost, not committed
    cluster.start()
    cluster.destroy()

As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root) via `runuser`.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (PG_BINDIR, Debian's /usr/lib/postgresql/N/bin, or the PATH)."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    found = shutil.which("pg_ctl")
    candidates.append(str(Path(found).parent) if found else "")
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser: cannot start PostgreSQL as the postgres user")
    return [runuser, "-u", "postgres", "--"]


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @classmethod
    def create(cls) -> Cluster | None:
        bindir = binaries()
        if bindir is None:
            return None
        root = Path(tempfile.mkdtemp(prefix="inspectorate-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        cluster = cls(bindir, root, free_port())
        cluster._run("initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        with open(cluster.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"\nport = {cluster.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                "fsync = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
                "max_connections = 40\n"
            )
        cluster.start()
        return cluster

    def _run(self, tool: str, *args: str, timeout: int = 60) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603 - our own argument list, no shell
            [*_as_postgres(), str(self.bindir / tool), *args],
            capture_output=True, text=True, timeout=timeout, check=False, cwd=self.root,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def createdb(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def sql(self, database: str, query: str) -> str:
        """One query through psql (tab-separated, no headers)."""
        return self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-At", "-F", "\t", "-c", query
        ).stdout

    def migrated(self, name: str, env: dict[str, str], project: Path) -> None:
        """Create database `name`, migrated: restored from the dump an earlier run left in the temporary folder when
        the migrations are the same (a full migrate takes a minute on a busy machine), else migrated and dumped."""
        digest = hashlib.sha256()
        for path in sorted(project.glob("inspectorate/*/migrations/*.py")):
            digest.update(path.name.encode() + path.read_bytes())
        digest.update(str(self.bindir).encode())
        dump = Path(tempfile.gettempdir()) / f"inspectorate-migrated-{digest.hexdigest()[:16]}.sql"
        self.createdb(name)
        where = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        if dump.exists():
            self._run("psql", "-q", *where, "-d", name, "-f", str(dump), timeout=300)
            return
        done = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=project, env={**env, "DATABASE_URL": self.url(name)}, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"migrate failed: {done.stderr[-3000:]}")
        out = self._run("pg_dump", *where, "--no-owner", name, timeout=300).stdout
        partial = dump.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(out, encoding="utf-8")
        partial.chmod(0o644)
        partial.replace(dump)

    def destroy(self) -> None:
        if self.running():
            try:
                self.stop("immediate")
            except RuntimeError:
                time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)
