"""Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, requests, tokens.

Reads are public (the spec has no authentication for them) and carry no personal data: no reporter
name, phone or e-mail, descriptions and addresses redacted, coordinates rounded to about 100 m, no
media.  Creating a request needs an `api_key`: an API token of this system (only its hash is stored).
`jurisdiction_id` is a campaign code.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from inspectorate.accounts.models import ApiToken, hash_token
from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.models import CaseStatus, Complaint, ComplaintStatus, ResultStatus
from inspectorate.complaints.redact import redact, summarise

from .render import errors, respond
from .services import SERVICES, service_for

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MAX_RESULTS = 1000
SCAN_LIMIT = 5000
MAX_RANGE = dt.timedelta(days=90)
COORD_DIGITS = 3  # about 100 m: enough to find the place, not a doorstep


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds") if value else None


def _campaign(params: Any, *, required: bool = False) -> Campaign | None:
    code = (params.get("jurisdiction_id") or "").strip()
    if code:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise Open311Error(404, _("Unknown jurisdiction_id %(j)s.") % {"j": code})
        return campaign
    if not required:
        return None
    open_now = [c for c in Campaign.objects.all() if c.is_intake_open()]
    if len(open_now) == 1:
        return open_now[0]
    raise Open311Error(400, _("jurisdiction_id is required: give the code of the inspection campaign."))


# -- discovery and services ---------------------------------------------------


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    payload = {
        "changeset": "2026-11-01T00:00:00+08:00",
        "contact": _("Inspection team hotline, see each campaign's public page."),
        "key_service": _("API keys are API tokens issued by the administrators of this system."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": "2026-11-01T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", payload)


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        _campaign(request.GET)
    except Open311Error as exc:
        return errors(fmt, exc.status, *exc.descriptions)
    return respond(fmt, "services", [s.as_dict() for s in SERVICES.values()])


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    try:
        _campaign(request.GET)
    except Open311Error as exc:
        return errors(fmt, exc.status, *exc.descriptions)
    service = SERVICES.get(code)
    if service is None:
        return errors(fmt, 404, _("Unknown service_code %(c)s.") % {"c": code})
    return respond(fmt, "service_definition", service.definition())


# -- requests: reading --------------------------------------------------------


def _case_of(c: Complaint) -> Any:
    case = c.case
    if case is None and c.duplicate_of_id is not None and c.duplicate_of is not None:
        case = c.duplicate_of.case
    hops = 0
    while case is not None and case.merged_into_id is not None and hops < 5:
        case = case.merged_into
        hops += 1
    return case


def status_of(c: Complaint) -> tuple[str, str]:
    """(open | closed, public note) from the complaint's screening and its case's published state."""
    if c.status == ComplaintStatus.INVALID:
        return "closed", _("Not accepted for handling.")
    case = _case_of(c)
    if case is None:
        return "open", _("Received; being screened by the inspection team.")
    published = case.status in (CaseStatus.REVIEWED, CaseStatus.PUBLISHED)
    if published and case.result_status == ResultStatus.CLOSED:
        return "closed", _("Handled and closed.")
    if published and case.result_status == ResultStatus.STAGED_CLOSED:
        return "open", _("Closed for this stage; rectification continues.")
    return "open", str(CaseStatus(case.status).label) if case.status in CaseStatus.values else _("Being handled.")


def as_request(c: Complaint) -> dict[str, Any]:
    case = _case_of(c)
    status, notes = status_of(c)
    code = service_for(c.pollution_types or c.suggested_types, c.type_hints)
    agency = None
    if case is not None and case.lead_unit_id:
        agency = str(case.lead_unit)
    elif c.jurisdiction_id:
        agency = str(c.jurisdiction)
    updated = [t for t in (c.screened_at, getattr(case, "transferred_at", None), getattr(case, "dispatched_at", None)) if t]
    expected = None
    if case is not None and case.due_date:
        expected = dt.datetime.combine(case.due_date, dt.time(23, 59, 59), tzinfo=SHANGHAI)
    return {
        "service_request_id": str(c.pk),
        "status": status,
        "status_notes": notes,
        "service_name": SERVICES[code].name,
        "service_code": code,
        "description": summarise(c.text, (c.reporter_name,), limit=4000),
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _iso(c.received_at),
        "updated_datetime": _iso(max(updated)) if updated else None,
        "expected_datetime": _iso(expected),
        "address": redact(c.address, (c.reporter_name,)) or None,
        "address_id": None,
        "zipcode": None,
        "lat": round(c.lat, COORD_DIGITS) if c.lat is not None else None,
        "long": round(c.lon, COORD_DIGITS) if c.lon is not None else None,
        "media_url": None,
    }


def _complaints() -> Any:
    return Complaint.objects.select_related(
        "case__lead_unit", "case__merged_into", "duplicate_of__case__lead_unit", "duplicate_of__case__merged_into", "jurisdiction"
    )


def _when(value: str, name: str, *, end: bool = False) -> dt.datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise Open311Error(400, _("%(n)s is not a date-time in W3C format (e.g. 2026-11-03T00:00:00Z).") % {"n": name})
        parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=SHANGHAI)
    return parsed


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _list_requests(params: Any) -> list[dict[str, Any]]:
    campaign = _campaign(params)
    qs = _complaints()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    ids = _csv(params.get("service_request_id"))
    if ids:  # overrides all other filters (spec)
        try:
            pks = [uuid.UUID(i) for i in ids]
        except ValueError:
            raise Open311Error(400, _("service_request_id must be a comma-separated list of request ids.")) from None
        found = {str(c.pk): c for c in qs.filter(pk__in=pks)}
        return [as_request(found[str(pk)]) for pk in pks if str(pk) in found]
    codes = _csv(params.get("service_code"))
    unknown = [c for c in codes if c not in SERVICES]
    if unknown:
        raise Open311Error(400, _("Unknown service_code %(c)s.") % {"c": ", ".join(unknown)})
    statuses = _csv(params.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, _("status must be open or closed (comma-separated)."))
    start = _when(params["start_date"], "start_date") if params.get("start_date") else None
    end = _when(params["end_date"], "end_date", end=True) if params.get("end_date") else None
    if start and end and end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if start and end and end - start > MAX_RANGE:
        raise Open311Error(400, _("The date range may not span more than 90 days."))
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        assert end is not None
        start = end - MAX_RANGE
    if end is None:
        end = start + MAX_RANGE
    rows = qs.filter(received_at__gte=start, received_at__lte=end).order_by("-received_at", "pk")[:SCAN_LIMIT]
    out = []
    for c in rows:
        item = as_request(c)
        if codes and item["service_code"] not in codes:
            continue
        if statuses and item["status"] not in statuses:
            continue
        out.append(item)
        if len(out) >= MAX_RESULTS:
            break
    return out


def request_detail(request: HttpRequest, rid: str, fmt: str) -> HttpResponse:
    try:
        campaign = _campaign(request.GET)
        try:
            pk = uuid.UUID(rid)
        except ValueError:
            raise Open311Error(404, _("Unknown service_request_id %(r)s.") % {"r": rid}) from None
        qs = _complaints().filter(pk=pk)
        if campaign is not None:
            qs = qs.filter(campaign=campaign)
        c = qs.first()
        if c is None:
            raise Open311Error(404, _("Unknown service_request_id %(r)s.") % {"r": rid})
    except Open311Error as exc:
        return errors(fmt, exc.status, *exc.descriptions)
    return respond(fmt, "service_requests", [as_request(c)])


def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    try:
        campaign = _campaign(request.GET)
    except Open311Error as exc:
        return errors(fmt, exc.status, *exc.descriptions)
    qs = Complaint.objects.filter(receipt_code=token.strip().upper())
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    pk = qs.values_list("pk", flat=True).first()
    if pk is None:
        return errors(fmt, 404, _("Unknown token %(t)s.") % {"t": token})
    return respond(fmt, "service_requests", [{"service_request_id": str(pk), "token": token}])


# -- requests: creating -------------------------------------------------------


def _post_data(request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    """(plain fields, attributes) from a form-encoded body (the spec) or a JSON object."""
    attributes: dict[str, Any] = {}
    data: dict[str, Any] = {}
    ctype = request.content_type or ""
    if "xml" in ctype:
        raise Open311Error(
            400, _("Send the fields form-encoded (as the GeoReport v2 specification says) or as JSON, not as XML.")
        )
    if ctype.startswith("application/json"):
        try:
            body = json.loads(request.body.decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            raise Open311Error(400, _("The request body is not valid JSON.")) from None
        if not isinstance(body, dict):
            raise Open311Error(400, _("The request body must be a JSON object."))
        for key, value in body.items():
            if key == "attribute" and isinstance(value, dict):
                attributes.update(value)
            elif key.startswith("attribute[") and key.endswith("]"):
                attributes[key[10:-1].removesuffix("][")] = value
            else:
                data[key] = value
        return data, attributes
    for key in request.POST:
        values = request.POST.getlist(key)
        if key.startswith("attribute["):
            name = key[10:].split("]", 1)[0]
            attributes[name] = values if key.endswith("[]") or len(values) > 1 else values[0]
        else:
            data[key] = values[0]
    return data, attributes


def _api_client(key: str) -> ApiToken:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True, user__is_active=True)
        .first()
        if key
        else None
    )
    if token is None:
        raise Open311Error(403, _("A valid api_key is required to submit a request."))
    return token


def _coordinate(value: Any, name: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Open311Error(400, _("%(n)s is not a number.") % {"n": name}) from None
    if not (low <= number <= high) or number != number:
        raise Open311Error(400, _("%(n)s is out of range.") % {"n": name})
    return number


def _check_attributes(code: str, attributes: dict[str, Any]) -> dict[str, Any]:
    service = SERVICES[code]
    known = {a.code: a for a in service.attributes}
    problems = [_("Unknown attribute %(a)s for this service.") % {"a": k} for k in attributes if k not in known]
    clean: dict[str, Any] = {}
    for attr in service.attributes:
        value = attributes.get(attr.code)
        if value in (None, "", []):
            if attr.required:
                problems.append(_("The attribute %(a)s is required.") % {"a": attr.code})
            continue
        keys = {k for k, _n in attr.values}
        if attr.datatype == "singlevaluelist" and (not isinstance(value, str) or value not in keys):
            problems.append(_("%(v)s is not an allowed value of %(a)s.") % {"v": value, "a": attr.code})
        elif attr.datatype == "multivaluelist":
            values = value if isinstance(value, list) else [value]
            bad = [v for v in values if v not in keys]
            if bad:
                problems.append(_("%(v)s is not an allowed value of %(a)s.") % {"v": ", ".join(map(str, bad)), "a": attr.code})
            value = values
        elif attr.datatype == "datetime" and (not isinstance(value, str) or (parse_datetime(value) or parse_date(value)) is None):
            problems.append(_("%(a)s is not a date.") % {"a": attr.code})
        elif attr.datatype == "number":
            try:
                value = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                problems.append(_("%(a)s is not a number.") % {"a": attr.code})
        elif not isinstance(value, str | int | float):
            problems.append(_("%(a)s must be text.") % {"a": attr.code})
        clean[attr.code] = value
    if problems:
        raise Open311Error(400, *problems)
    return clean


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, msgs in exc.message_dict.items() for message in msgs]
    return list(exc.messages)


def _create(request: HttpRequest) -> dict[str, Any]:
    from inspectorate.complaints.actions import submit_complaint

    data, attributes = _post_data(request)
    client = _api_client(str(data.get("api_key") or request.GET.get("api_key") or ""))
    campaign = _campaign({**request.GET.dict(), **{k: str(v) for k, v in data.items()}}, required=True)
    assert campaign is not None
    code = str(data.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    if code not in SERVICES:
        raise Open311Error(400, _("Unknown service_code %(c)s.") % {"c": code})
    lat = _coordinate(data.get("lat"), "lat", -90, 90)
    lon = _coordinate(data.get("long"), "long", -180, 180)
    if (lat is None) != (lon is None):
        raise Open311Error(400, _("lat and long must be given together."))
    address = str(data.get("address_string") or "").strip()
    address_id = str(data.get("address_id") or "").strip()
    if lat is None and not address and not address_id:
        raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
    description = str(data.get("description") or "").strip()
    if not description:
        raise Open311Error(400, _("description is required: say what happens, where and when."))
    clean = _check_attributes(code, attributes)
    media_url = str(data.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, _("media_url is not a valid http(s) URL.")) from None
    extra: dict[str, Any] = {"open311": {"client": client.name, "service_code": code, "attributes": clean}}
    if media_url:
        extra["open311"]["media_url"] = media_url
    if address_id:
        extra["open311"]["address_id"] = address_id
    name = " ".join(str(data.get(k) or "").strip() for k in ("last_name", "first_name")).strip()
    try:
        complaint = submit_complaint(
            campaign=campaign,
            channel="web",
            text=description,
            lat=lat,
            lon=lon,
            address=address or address_id,
            polluter_name=str(clean.get("polluter_name") or ""),
            reporter_name=name,
            reporter_phone=str(data.get("phone") or "").strip(),
            type_hints=[code],
            extra=extra,
            actor=None,
        )
    except ValidationError as exc:
        raise Open311Error(400, *_validation_messages(exc)) from None
    return {
        "service_request_id": str(complaint.pk),
        "token": complaint.receipt_code,
        "service_notice": _("Received. Your receipt code is %(code)s; the inspection team screens every report.")
        % {"code": complaint.receipt_code},
    }


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        if request.method == "GET":
            return respond(fmt, "service_requests", _list_requests(request.GET))
        if request.method == "POST":
            return respond(fmt, "service_requests", [_create(request)])
        raise Open311Error(405, _("Only GET and POST are allowed here."))
    except Open311Error as exc:
        return errors(fmt, exc.status, *exc.descriptions)


def not_found(request: HttpRequest, fmt: str = "json", **kwargs: Any) -> HttpResponse:
    return errors(fmt, 404, _("Unknown Open311 resource. See /open311/v2/discovery.json."))
