"""JSON and XML responses in GeoReport v2 form, and errors as the spec says (a list of {code, description}).

Every string is cleared of control characters on the way out: rows stored before intake stripped them
may still hold some, and one of them would make the whole XML answer malformed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

from inspectorate.core.text import strip_controls, strip_controls_deep

# XML element name of one item inside a list element.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"


def _fill(parent: ET.Element, tag: str, value: Any) -> None:
    el = ET.SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _fill(el, k, v)
    elif isinstance(value, list | tuple):
        child = ITEM_TAGS.get(tag, "item")
        for v in value:
            _fill(el, child, v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    else:
        el.text = strip_controls(str(value))


def to_xml(root: str, payload: Any) -> bytes:
    """`payload` is a list (items under `root`) or a dict (children of `root`)."""
    el = ET.Element(root)
    if isinstance(payload, dict):
        for k, v in payload.items():
            _fill(el, k, v)
    else:
        child = ITEM_TAGS.get(root, "item")
        for v in payload:
            _fill(el, child, v)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(el, encoding="utf-8")


def respond(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    payload = strip_controls_deep(payload)
    if fmt == "xml":
        return HttpResponse(to_xml(root, payload), content_type=XML_TYPE, status=status)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode("utf-8"), content_type=JSON_TYPE, status=status)


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error form: [{"code": status, "description": …}, …] or <errors><error>…</error></errors>."""
    items = [{"code": status, "description": str(d)} for d in descriptions]
    return respond(fmt, "errors", items, status=status)
