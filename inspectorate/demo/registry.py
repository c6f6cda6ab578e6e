"""The demo scenario is built by a list of loaders, run in order by `manage.py load_demo`.

Each loader is a function `load(ctx: DemoContext) -> None` that must be idempotent:
running `load_demo` twice gives the same data (look rows up by their natural keys
— codes, numbers, usernames — and create only what is missing). Apps that extend
the demo add their loader's dotted path to LOADERS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOADERS: list[str] = [
    "inspectorate.demo.foundation.load",
    "inspectorate.demo.complaints.load",
    "inspectorate.demo.merge_queue.load",
    "inspectorate.demo.rectification.load",
    "inspectorate.demo.facilities.load",
    "inspectorate.demo.fieldwork.load",
    "inspectorate.demo.open311_keys.load",
    "inspectorate.demo.accountability.load",
    "inspectorate.demo.hazards.load",
    "inspectorate.demo.kpi.load",
]


@dataclass
class DemoContext:
    """What the foundation loader built, by natural key, for later loaders to use."""

    actor: Any = None  # the system user that performs demo actions (audited)
    units: dict[str, Any] = field(default_factory=dict)  # by OrgUnit.code
    enterprises: dict[str, Any] = field(default_factory=dict)  # by credit code
    campaigns: dict[str, Any] = field(default_factory=dict)  # by Campaign.code
    users: dict[str, Any] = field(default_factory=dict)  # by username
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, what they are)
    stdout: Any = None

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)
