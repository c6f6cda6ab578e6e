"""Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, requests, tokens.

Reads are public (the spec has no authentication for them) and list only what the team has published
(see selectors.py): no reporter name, phone, e-mail or address, the disclosure table's redacted summary,
coordinates coarsened to about 100 m or the polluter's registered location, no media.  Creating a request
needs an `api_key` that is an Open311 key (models.Open311Key: per client application, bound to
campaigns, rate-limited, revocable); users' API tokens are refused.  `jurisdiction_id` is a campaign code.
Control characters are stripped from everything posted, and from every answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.models import Complaint
from inspectorate.core.parsers import loads_limited
from inspectorate.core.text import strip_controls, strip_controls_deep

from . import actions
from .models import Open311Key
from .render import errors, respond
from .selectors import SHANGHAI, as_request, complaints, publications, published_only
from .services import SERVICES

MAX_RESULTS = 1000
SCAN_LIMIT = 5000
MAX_RANGE = dt.timedelta(days=90)
# Dates outside these years are refused (400), so that a range computed from them stays representable.
FIRST_YEAR, LAST_YEAR = 1970, 9000


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions
        self.headers = headers or {}


def _error(fmt: str, exc: Open311Error) -> HttpResponse:
    response = errors(fmt, exc.status, *exc.descriptions)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def _campaign(params: Any, *, required: bool = False, among: list[Campaign] | None = None) -> Campaign | None:
    """The campaign named by jurisdiction_id; when it is required but left out, the one open campaign (of `among`)."""
    code = strip_controls(str(params.get("jurisdiction_id") or "")).strip()
    if code:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise Open311Error(404, _("Unknown jurisdiction_id %(j)s.") % {"j": code})
        return campaign
    if not required:
        return None
    candidates = among if among is not None else list(Campaign.objects.all())
    open_now = [c for c in candidates if c.is_intake_open()]
    if len(open_now) == 1:
        return open_now[0]
    raise Open311Error(400, _("jurisdiction_id is required: give the code of the inspection campaign."))


# -- discovery and services ---------------------------------------------------


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    payload = {
        "changeset": "2026-11-01T00:00:00+08:00",
        "contact": _("Inspection team hotline, see each campaign's public page."),
        "key_service": _(
            "API keys are issued per client application by the inspection team, bound to the campaigns it may post to."
        ),
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
        return _error(fmt, exc)
    return respond(fmt, "services", [s.as_dict() for s in SERVICES.values()])


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    try:
        _campaign(request.GET)
    except Open311Error as exc:
        return _error(fmt, exc)
    service = SERVICES.get(code)
    if service is None:
        return errors(fmt, 404, _("Unknown service_code %(c)s.") % {"c": code})
    return respond(fmt, "service_definition", service.definition())


# -- requests: reading --------------------------------------------------------


def _parse_when(value: str) -> dt.datetime | dt.date | None:
    """A date-time or a date; None for anything else, including well-formed but impossible ones (2026-13-45)."""
    try:
        return parse_datetime(value) or parse_date(value)
    except (ValueError, OverflowError):  # month 13, day 45, an offset of +99:00
        return None


def _when(value: str, name: str, *, end: bool = False) -> dt.datetime:
    """A W3C date-time or date for a filter; anything else is a 400, never a 500."""
    parsed = _parse_when(value)
    if parsed is None:
        raise Open311Error(400, _("%(n)s is not a date-time in W3C format (e.g. 2026-11-03T00:00:00Z).") % {"n": name})
    if not isinstance(parsed, dt.datetime):
        parsed = dt.datetime.combine(parsed, dt.time.max if end else dt.time.min)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=SHANGHAI)
    # In UTC: ISO 8601 allows offsets (up to ±23:59) that PostgreSQL refuses ("time zone displacement out of range").
    try:
        parsed = parsed.astimezone(dt.UTC)
    except OverflowError:
        parsed = dt.datetime.max.replace(tzinfo=dt.UTC) if parsed.year > 1 else dt.datetime.min.replace(tzinfo=dt.UTC)
    if not (FIRST_YEAR <= parsed.year <= LAST_YEAR):
        raise Open311Error(
            400, _("%(n)s must lie between the years %(a)d and %(b)d.") % {"n": name, "a": FIRST_YEAR, "b": LAST_YEAR}
        )
    return parsed


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _list_requests(params: Any) -> list[dict[str, Any]]:
    campaign = _campaign(params)
    qs = complaints()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    ids = _csv(params.get("service_request_id"))
    if ids:  # overrides all other filters (spec); a lookup by id, answered like request_detail
        try:
            pks = [uuid.UUID(i) for i in ids]
        except ValueError:
            raise Open311Error(400, _("service_request_id must be a comma-separated list of request ids.")) from None
        found = {c.pk: c for c in qs.filter(pk__in=pks)}
        public = publications(list(found.values()))
        return [as_request(found[pk], public.get(pk)) for pk in pks if pk in found]
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
    window = published_only(qs).filter(received_at__gte=start, received_at__lte=end)
    rows = list(window.order_by("-received_at", "pk")[:SCAN_LIMIT])
    public = publications(rows)
    out = []
    for c in rows:
        if c.pk not in public:  # its batch has a published table, but not one that lists its case
            continue
        item = as_request(c, public[c.pk])
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
        qs = complaints().filter(pk=pk)
        if campaign is not None:
            qs = qs.filter(campaign=campaign)
        c = qs.first()
        if c is None:
            raise Open311Error(404, _("Unknown service_request_id %(r)s.") % {"r": rid})
    except Open311Error as exc:
        return _error(fmt, exc)
    return respond(fmt, "service_requests", [as_request(c, publications([c]).get(c.pk))])


def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    try:
        campaign = _campaign(request.GET)
    except Open311Error as exc:
        return _error(fmt, exc)
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
            body = loads_limited(request.body.decode("utf-8") or "{}")  # a body nested thousands deep: 400, not 500
        except (ValueError, UnicodeDecodeError):
            raise Open311Error(400, _("The request body is not valid JSON.")) from None
        if not isinstance(body, dict):
            raise Open311Error(400, _("The request body must be a JSON object."))
        for key, value in strip_controls_deep(body).items():
            if key == "attribute" and isinstance(value, dict):
                attributes.update(value)
            elif key.startswith("attribute[") and key.endswith("]"):
                attributes[key[10:-1].removesuffix("][")] = value
            else:
                data[key] = value
        return data, attributes
    for raw_key in request.POST:
        key, values = strip_controls(raw_key), [strip_controls(v) for v in request.POST.getlist(raw_key)]
        if key.startswith("attribute["):
            name = key[10:].split("]", 1)[0]
            attributes[name] = values if key.endswith("[]") or len(values) > 1 else values[0]
        else:
            data[key] = values[0]
    return data, attributes


def _api_client(plain: str) -> Open311Key:
    """The Open311 key posting, with one request counted against its per-minute limit."""
    key = actions.key_for(plain)
    if key is None:  # unknown, revoked, or a user's API token: none of them is an Open311 key
        raise Open311Error(
            403, _("invalid api_key: use an Open311 key issued to your application (user API tokens are not accepted).")
        )
    if not actions.take_request(key):
        wait = actions.seconds_to_next_window()
        raise Open311Error(
            429,
            _("Too many requests with this api_key: at most %(n)d per minute. Try again in %(s)d seconds.")
            % {"n": key.rate_limit, "s": wait},
            headers={"Retry-After": str(wait)},
        )
    actions.mark_used(key)
    return key


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
        elif attr.datatype == "datetime" and (not isinstance(value, str) or _parse_when(value) is None):
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
    from inspectorate.complaints.actions import IdempotencyConflict, submit_complaint

    data, attributes = _post_data(request)
    client = _api_client(str(data.get("api_key") or request.GET.get("api_key") or ""))
    allowed = list(client.campaigns.all())
    params = {**request.GET.dict(), **{k: str(v) for k, v in data.items()}}
    campaign = _campaign(params, required=True, among=allowed)
    assert campaign is not None
    if campaign not in allowed:
        raise Open311Error(403, _("This api_key may not post to jurisdiction_id %(j)s.") % {"j": campaign.code})
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
    extra: dict[str, Any] = {"open311": {"client": client.name, "key": client.prefix, "service_code": code, "attributes": clean}}
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
            actor=f"open311:{client.prefix}",
            # Not in GeoReport v2, but a client that resends after a lost answer must not file the report twice.
            idempotency_key=request.headers.get("Idempotency-Key") or None,
            idempotency_scope=f"open311:{client.prefix}",
        )
    except IdempotencyConflict:
        raise Open311Error(
            422,
            _(
                "This Idempotency-Key was already used with a different request body. "
                "Use a new key for a new complaint, or resend the original body."
            ),
        ) from None
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
        return _error(fmt, exc)


def not_found(request: HttpRequest, fmt: str = "json", **kwargs: Any) -> HttpResponse:
    return errors(fmt, 404, _("Unknown Open311 resource. See /open311/v2/discovery.json."))
