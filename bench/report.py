"""Collects the figures of one bench run and prints them with their targets."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class Line:
    name: str
    value: str
    target: str = ""
    ok: bool | None = None


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)

    def section(self, title: str) -> None:
        print(f"\n== {title}", flush=True)

    def note(self, text: str) -> None:
        print(f"   {text}", flush=True)

    def figure(self, name: str, value: str, target: str = "", ok: bool | None = None) -> None:
        line = Line(name, value, target, ok)
        self.lines.append(line)
        mark = "" if ok is None else ("  [ok]" if ok else "  [MISSED]")
        tgt = f"   (target {target})" if target else ""
        print(f"   {name:<58} {value}{tgt}{mark}", flush=True)

    def summary(self, seconds: float) -> None:
        print(
            f"\n== Summary (whole run {seconds:.0f} s; load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
        for line in self.lines:
            if line.target:
                mark = "ok" if line.ok else "MISSED" if line.ok is False else "?"
                print(f"   {mark:<8} {line.name:<58} {line.value}   (target {line.target})")
