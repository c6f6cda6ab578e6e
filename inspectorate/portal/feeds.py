"""RSS and Atom feeds of what the portal publishes: results tables of transfer batches, and closures under public
notice, for all campaigns or narrowed to one (`?campaign=CODE`) and to an area (`?region=ADMIN_CODE`, the unit and
everything under it). A newsroom or a village committee subscribes instead of checking the portal every day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.models import DisclosureTable
from inspectorate.complaints.selectors import published_tables
from inspectorate.orgs.models import OrgUnit
from inspectorate.rectification.models import Task

from . import selectors

LIMIT = 50


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The feed's narrowing from the query string; an unknown campaign or region is a 404, not an empty feed."""
    out: dict[str, Any] = {"campaign": None, "region": None}
    code = request.GET.get("campaign", "").strip()
    if code:
        out["campaign"] = selectors.public_campaigns().filter(code=code).first()
        if out["campaign"] is None:
            raise Http404(_("No such campaign."))
    region = request.GET.get("region", "").strip()
    if region:
        out["region"] = OrgUnit.objects.filter(code=region).first()
        if out["region"] is None:
            raise Http404(_("No such region."))
    return out


def results_for(campaign: Campaign | None, region: OrgUnit | None) -> QuerySet[DisclosureTable]:
    """Published results tables, narrowed to a campaign and to an area (a case in the table lies in it)."""
    qs = published_tables().select_related("batch__campaign")
    if campaign is not None:
        qs = qs.filter(batch__campaign=campaign)
    if region is not None:
        qs = qs.filter(batch__cases__region__path__startswith=region.path).distinct()
    return qs


def notices_for(campaign: Campaign | None, region: OrgUnit | None, *, current_only: bool = True) -> QuerySet[Task]:
    """Closures under public notice (current ones, or every one that had a notice) of public campaigns,
    narrowed to a campaign and to the lead unit's area."""
    if current_only:
        qs = selectors.notices_under_way(campaign)
    else:
        qs = Task.objects.filter(notice_start__isnull=False, campaign__in=selectors.public_campaigns())
        qs = qs.select_related("lead_unit", "campaign", "problem")
        if campaign is not None:
            qs = qs.filter(campaign=campaign)
    if region is not None:
        qs = qs.filter(lead_unit__path__startswith=region.path)
    return qs


def _where(f: dict[str, Any]) -> str:
    parts = [str(x) for x in (f["campaign"], f["region"]) if x is not None]
    return " · ".join(parts)


class ResultsFeed(Feed):
    description_template = None

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return _filters(request)

    def title(self, obj: dict[str, Any]) -> str:
        where = _where(obj)
        return _("Published handling results") + (f" · {where}" if where else "")

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("portal:tables")

    def description(self, obj: dict[str, Any]) -> str:
        return _("Each results table of a transfer batch, as the inspection team publishes it (a new version is a new item).")

    def items(self, obj: dict[str, Any]) -> QuerySet[DisclosureTable]:
        return results_for(obj["campaign"], obj["region"]).order_by("-published_at")[:LIMIT]

    def item_title(self, item: DisclosureTable) -> str:
        return _("%(campaign)s · batch %(n)s · results (version %(v)s)") % {
            "campaign": item.batch.campaign,
            "n": item.batch.number,
            "v": item.version,
        }

    def item_description(self, item: DisclosureTable) -> str:
        done = sum(1 for r in item.rows if r.get("status") == "closed")
        return _("%(cases)s cases, %(done)s closed.") % {"cases": len(item.rows), "done": done}

    def item_link(self, item: DisclosureTable) -> str:
        return reverse("portal:table", args=[item.pk])

    def item_pubdate(self, item: DisclosureTable) -> Any:
        return item.published_at

    def item_guid(self, item: DisclosureTable) -> str:
        return f"results-{item.pk}"

    item_guid_is_permalink = False


class NoticesFeed(Feed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return _filters(request)

    def title(self, obj: dict[str, Any]) -> str:
        where = _where(obj)
        return _("Closures under public notice") + (f" · {where}" if where else "")

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("portal:index")

    def description(self, obj: dict[str, Any]) -> str:
        return _("Rectification tasks proposed for sign-off; objections are taken until the notice ends.")

    def items(self, obj: dict[str, Any]) -> list[Task]:
        qs = notices_for(obj["campaign"], obj["region"])
        return list(qs.order_by("-notice_start", "sort_key")[:LIMIT])

    def item_title(self, item: Task) -> str:
        return f"{item.campaign} · {item.number} {item.goal}"[:200]

    def item_description(self, item: Task) -> str:
        return _("Lead unit: %(unit)s. Objections until %(end)s.") % {
            "unit": item.lead_unit,
            "end": f"{item.notice_end:%Y-%m-%d}" if item.notice_end else "—",
        }

    def item_link(self, item: Task) -> str:
        return reverse("rectification:public-notice", args=[item.pk])

    def item_pubdate(self, item: Task) -> Any:
        if item.notice_start is None:
            return None
        return timezone.make_aware(dt.datetime.combine(item.notice_start, dt.time.min))


class ResultsAtom(ResultsFeed):
    feed_type = Atom1Feed
    subtitle = ResultsFeed.description


class NoticesAtom(NoticesFeed):
    feed_type = Atom1Feed
    subtitle = NoticesFeed.description
