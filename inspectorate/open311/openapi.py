"""An OpenAPI 3 description of Open311 GeoReport v2 at /open311/v2/, served at /open311/v2/openapi.json.

Written by hand after views.py (the endpoints are plain Django views, outside DRF's schema): the same parameters,
the same limits, the spec's error form.  The Swagger UI page /open311/v2/docs/ shows it, linked from the main API
docs; tests/test_open311_schema.py runs schemathesis against it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .services import SERVICES
from .views import LAST_YEAR, MAX_RANGE, MAX_RESULTS

FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "json or xml",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "description": "The code of an inspection campaign (for example hn-2-yueyang).",
    "schema": {"type": "string", "maxLength": 100},
}


def _content(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "application/json": {"schema": schema},
        "text/xml": {"schema": {"type": "string"}},
    }


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _content({"$ref": "#/components/schemas/Errors"})}


def _get(summary: str, description: str, ok: dict[str, Any], params: list[dict[str, Any]], *errors: int) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": _("Success"), "content": _content(ok)}}
    texts = {
        400: _("Invalid parameters (each problem listed)."),
        403: _("api_key missing, unknown, revoked or not allowed for this jurisdiction."),
        404: _("Unknown jurisdiction, service, request or token."),
        429: _("Too many requests with this api_key (see Retry-After)."),
    }
    for code in errors:
        responses[str(code)] = _error(texts[code])
    return {"summary": summary, "description": description, "parameters": params, "responses": responses}


def description() -> dict[str, Any]:
    codes = sorted(SERVICES)
    service_code_path = {
        "name": "service_code",
        "in": "path",
        "required": True,
        "description": _("A service code from services.json."),
        "schema": {"type": "string", "pattern": r"^[\w-]+$"},
    }
    request_props: dict[str, Any] = {
        "api_key": {"type": "string", "description": _("An Open311 key issued to your application.")},
        "jurisdiction_id": {"type": "string", "description": _("The campaign's code (optional when one campaign is open).")},
        "service_code": {"type": "string", "enum": codes},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {"type": "string"},
        "address_id": {"type": "string"},
        "description": {"type": "string", "description": _("What happens, where and when.")},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "phone": {"type": "string"},
        "email": {"type": "string"},
        "media_url": {"type": "string", "format": "uri"},
        "attribute": {
            "type": "object",
            "description": _("The service definition's attributes (form-encoded as attribute[code]=value)."),
            "additionalProperties": True,
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Open311 GeoReport v2",
            "version": "2",
            "description": _(
                "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) for the inspection team's complaints. "
                "Reads are public and show only what the team has published (no reporter data, coordinates coarsened); "
                "creating a request needs an Open311 api_key issued to the client application (users' API tokens are "
                "refused). Every answer is JSON or XML by the path's extension; errors are a list of {code, description}."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/open311/v2/discovery.{format}": {
                "get": _get(
                    _("Discovery"),
                    _("The endpoint's specification, formats and contact."),
                    {"$ref": "#/components/schemas/Discovery"},
                    [FORMAT],
                )
            },
            "/open311/v2/services.{format}": {
                "get": _get(
                    _("List services"),
                    _("The pollution categories a request can be filed under."),
                    {"type": "array", "items": {"$ref": "#/components/schemas/Service"}},
                    [FORMAT, JURISDICTION],
                    404,
                )
            },
            "/open311/v2/services/{service_code}.{format}": {
                "get": _get(
                    _("Service definition"),
                    _("The extra attributes of one service (polluter, time of day, since when…)."),
                    {"$ref": "#/components/schemas/ServiceDefinition"},
                    [service_code_path, FORMAT, JURISDICTION],
                    404,
                )
            },
            "/open311/v2/requests.{format}": {
                "get": _get(
                    _("List requests"),
                    _(
                        "Published requests, newest first, at most %(n)d; the date range spans at most %(d)d days "
                        "(default: the last %(d)d days). service_request_id overrides every other filter."
                    )
                    % {"n": MAX_RESULTS, "d": MAX_RANGE.days},
                    {"type": "array", "items": {"$ref": "#/components/schemas/Request"}},
                    [
                        FORMAT,
                        JURISDICTION,
                        {
                            "name": "service_request_id",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": _("Comma-separated request ids."),
                        },
                        {
                            "name": "service_code",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": _("Comma-separated service codes."),
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": _("open, closed, or both comma-separated."),
                        },
                        {
                            "name": "start_date",
                            "in": "query",
                            "schema": {"type": "string", "format": "date-time"},
                            "description": _("W3C date-time (years 1970 to %(y)d).") % {"y": LAST_YEAR},
                        },
                        {
                            "name": "end_date",
                            "in": "query",
                            "schema": {"type": "string", "format": "date-time"},
                            "description": _("W3C date-time (years 1970 to %(y)d).") % {"y": LAST_YEAR},
                        },
                    ],
                    400,
                    404,
                ),
                "post": {
                    "summary": _("Create a request"),
                    "description": _(
                        "File a complaint. Form-encoded as the specification says (JSON accepted too). Answers the "
                        "new request's id and its token (the receipt code)."
                    ),
                    "parameters": [FORMAT],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"type": "object", "properties": request_props, "required": ["service_code"]}
                            },
                            "application/json": {
                                "schema": {"type": "object", "properties": request_props, "required": ["service_code"]}
                            },
                        },
                    },
                    "responses": {
                        "200": {
                            "description": _("Received"),
                            "content": _content({"type": "array", "items": {"$ref": "#/components/schemas/Created"}}),
                        },
                        "400": _error(_("Invalid fields (each problem listed).")),
                        "403": _error(_("api_key missing, unknown, revoked or not allowed for this jurisdiction.")),
                        "404": _error(_("Unknown jurisdiction.")),
                        "429": _error(_("Too many requests with this api_key (see Retry-After).")),
                    },
                },
            },
            "/open311/v2/requests/{service_request_id}.{format}": {
                "get": _get(
                    _("Get one request"),
                    _("One request by its id: in full once published, else its status only."),
                    {"type": "array", "items": {"$ref": "#/components/schemas/Request"}},
                    [
                        {
                            "name": "service_request_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": r"^[\w-]+$"},
                        },
                        FORMAT,
                        JURISDICTION,
                    ],
                    404,
                )
            },
            "/open311/v2/tokens/{token}.{format}": {
                "get": _get(
                    _("Request id from a token"),
                    _("The request id behind a token (the receipt code given when it was filed)."),
                    {"type": "array", "items": {"$ref": "#/components/schemas/Token"}},
                    [
                        {"name": "token", "in": "path", "required": True, "schema": {"type": "string", "pattern": r"^[\w-]+$"}},
                        FORMAT,
                        JURISDICTION,
                    ],
                    404,
                )
            },
        },
        "components": {
            "schemas": {
                "Errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
                        "required": ["code", "description"],
                    },
                },
                "Discovery": {
                    "type": "object",
                    "properties": {
                        "changeset": {"type": "string"},
                        "contact": {"type": "string"},
                        "key_service": {"type": "string"},
                        "endpoints": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Service": {
                    "type": "object",
                    "properties": {
                        "service_code": {"type": "string", "enum": codes},
                        "service_name": {"type": "string"},
                        "description": {"type": "string"},
                        "metadata": {"type": "boolean"},
                        "type": {"type": "string"},
                        "keywords": {"type": "string"},
                        "group": {"type": "string"},
                    },
                },
                "ServiceDefinition": {
                    "type": "object",
                    "properties": {
                        "service_code": {"type": "string"},
                        "attributes": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Request": {
                    "type": "object",
                    "properties": {
                        "service_request_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["open", "closed"]},
                        "status_notes": {"type": "string", "nullable": True},
                        "service_name": {"type": "string", "nullable": True},
                        "service_code": {"type": "string", "nullable": True},
                        "description": {"type": "string", "nullable": True},
                        "agency_responsible": {"type": "string", "nullable": True},
                        "service_notice": {"type": "string", "nullable": True},
                        "requested_datetime": {"type": "string", "nullable": True},
                        "updated_datetime": {"type": "string", "nullable": True},
                        "expected_datetime": {"type": "string", "nullable": True},
                        "address": {"type": "string", "nullable": True},
                        "lat": {"type": "number", "nullable": True},
                        "long": {"type": "number", "nullable": True},
                    },
                },
                "Created": {
                    "type": "object",
                    "properties": {
                        "service_request_id": {"type": "string"},
                        "token": {"type": "string"},
                        "service_notice": {"type": "string"},
                    },
                },
                "Token": {
                    "type": "object",
                    "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
                },
            }
        },
    }


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    """GET /open311/v2/openapi.json: this description, in the request's language."""
    return JsonResponse(description(), json_dumps_params={"ensure_ascii": False})
