"""Request body parsing for the API: JSON with a nesting limit (settings.API_JSON_MAX_DEPTH).

Its own module (not core.api) because DRF's settings import the default parser classes while
`rest_framework.views` is being imported."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONTooDeep(ValueError):
    pass


def loads_limited(text: str | bytes, *, max_depth: int | None = None) -> Any:
    """`json.loads` that refuses bodies nested deeper than settings.API_JSON_MAX_DEPTH (raises ValueError, as
    invalid JSON does): a body nested thousands of levels deep would otherwise end in a RecursionError."""
    limit = settings.API_JSON_MAX_DEPTH if max_depth is None else max_depth
    try:
        data = json.loads(text)
    except RecursionError:
        raise JSONTooDeep(limit) from None
    if _depth_exceeds(data, limit):
        raise JSONTooDeep(limit)
    return data


def _depth_exceeds(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(value, Mapping):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a nesting limit: too deep or malformed bodies answer 400 with a clear message."""

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return loads_limited(text)
        except JSONTooDeep as exc:
            raise exceptions.ParseError(_("The JSON body is nested more than %(n)s levels deep.") % {"n": exc.args[0]}) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(_("The JSON body cannot be read: %(error)s") % {"error": exc}) from None
