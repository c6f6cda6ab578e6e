"""Redacting complaint text for handling units and the public (DOMAIN.md §10)."""

from __future__ import annotations

import re

_PATTERNS = [
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # mobile numbers
    re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"),  # landlines
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),  # resident ID numbers
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail
    # "my name is …", "reporter X": a name follows unless the next character starts an ordinary phrase.
    re.compile(r"(?:我叫|举报人|联系人|我是)(?![并和的在是也都及与对被将已就要向说称反])[\u4e00-\u9fff]{2,3}"),
    re.compile(r"\d{1,4}(?:号楼|栋)\d{1,4}(?:单元)?\d{0,4}(?:室|号)?"),  # flat numbers
]
MASK = "***"


def redact(text: str, names: list[str] | tuple[str, ...] = ()) -> str:
    out = text or ""
    for n in names:
        n = (n or "").strip()
        if len(n) >= 2:
            out = out.replace(n, MASK)
    for p in _PATTERNS:
        out = p.sub(MASK, out)
    return out


def summarise(text: str, names: list[str] | tuple[str, ...] = (), limit: int = 300) -> str:
    s = redact(" ".join((text or "").split()), names)
    return s if len(s) <= limit else s[: limit - 1] + "…"
