"""Plain-text hygiene: control characters out of stored text and out of XML.

C0 control characters (other than tab, line feed and carriage return), DEL, the C1 range and the
non-characters U+FFFE/U+FFFF cannot appear in XML 1.0 and mean nothing in a complaint; a single one
in a stored row makes every XML answer that carries it malformed. Intake strips them on the way in;
renderers strip them again on the way out (rows stored before intake did so may still hold them).
"""

from __future__ import annotations

import re
from typing import Any

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def strip_controls(value: str) -> str:
    """`value` without control characters (tab, line feed and carriage return stay)."""
    return _CONTROLS.sub("", value) if value else value


def strip_controls_deep(value: Any) -> Any:
    """strip_controls applied to every string (and dict key) inside lists and dicts."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {strip_controls_deep(k): strip_controls_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strip_controls_deep(v) for v in value]
    return value
