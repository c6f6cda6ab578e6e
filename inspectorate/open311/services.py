"""Open311 services: the pollution categories, with service definitions for their extra attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inspectorate.complaints.models import PollutionType


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    description: Promise | str
    required: bool = False
    datatype_description: Promise | str | None = None
    values: tuple[tuple[str, Promise | str], ...] = ()

    def as_dict(self, order: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": str(self.datatype_description) if self.datatype_description else None,
            "order": order,
            "description": str(self.description),
        }
        if self.values:
            out["values"] = [{"key": k, "name": str(n)} for k, n in self.values]
        return out


POLLUTER = Attribute("polluter_name", "string", _("Name of the company, site or shop causing the pollution, if known."))
TIME_OF_DAY = Attribute(
    "time_of_day",
    "singlevaluelist",
    _("When does it happen?"),
    values=(
        ("day", _("During the day")),
        ("night", _("At night")),
        ("all_day", _("Day and night")),
        ("irregular", _("Irregularly")),
    ),
)
SINCE = Attribute("since", "datetime", _("Since when has it been going on?"), datatype_description=_("Date, e.g. 2026-09-01"))
WATER_BODY = Attribute("water_body", "string", _("Name of the river, lake, canal or pond affected."))
NOISE_SOURCE = Attribute(
    "noise_source",
    "singlevaluelist",
    _("Where does the noise come from?"),
    values=(
        ("construction", _("Construction site")),
        ("industry", _("Factory or workshop")),
        ("commerce", _("Shop, restaurant or entertainment")),
        ("traffic", _("Traffic")),
        ("other", _("Other")),
    ),
)
BURNING = Attribute(
    "what_burns",
    "multivaluelist",
    _("What is being burnt or dumped?"),
    values=(
        ("household", _("Household waste")),
        ("straw", _("Straw")),
        ("industrial", _("Industrial waste")),
        ("hazardous", _("Hazardous waste")),
        ("other", _("Other")),
    ),
)


@dataclass(frozen=True)
class Service:
    code: str
    group: Promise | str
    description: Promise | str
    keywords: str
    attributes: tuple[Attribute, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return str(PollutionType(self.code).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "service_code": self.code,
            "service_name": self.name,
            "description": str(self.description),
            "metadata": bool(self.attributes),
            "type": "realtime",
            "keywords": self.keywords,
            "group": str(self.group),
        }

    def definition(self) -> dict[str, Any]:
        return {"service_code": self.code, "attributes": [a.as_dict(i + 1) for i, a in enumerate(self.attributes)]}


POLLUTION = _("Pollution")
ECOLOGY = _("Ecology")
COMMON = (POLLUTER, TIME_OF_DAY, SINCE)

SERVICES: dict[str, Service] = {
    s.code: s
    for s in [
        Service(
            PollutionType.WATER,
            POLLUTION,
            _("Waste water discharged into rivers, lakes or the ground; black and smelly water."),
            "废水,污水,偷排,直排,黑臭,排污口,water",
            (*COMMON, WATER_BODY),
        ),
        Service(
            PollutionType.AIR,
            POLLUTION,
            _("Smoke, exhaust gas and smells from chimneys, plants or open burning."),
            "废气,烟囱,异味,焚烧,air,smoke",
            (*COMMON, BURNING),
        ),
        Service(PollutionType.SOIL, POLLUTION, _("Contaminated land and soil."), "土壤,污染地块,重金属,soil", COMMON),
        Service(
            PollutionType.ECOLOGY,
            ECOLOGY,
            _("Damage to nature: illegal mining, sand dredging, deforestation, building in protected areas."),
            "生态,采砂,采石,毁林,保护区,ecology",
            COMMON,
        ),
        Service(
            PollutionType.NOISE,
            POLLUTION,
            _("Noise from sites, plants, shops or traffic."),
            "噪音,噪声,扰民,noise",
            (*COMMON, NOISE_SOURCE),
        ),
        Service(PollutionType.RADIATION, POLLUTION, _("Radiation and radioactive sources."), "辐射,放射源,radiation", COMMON),
        Service(
            PollutionType.MARINE,
            ECOLOGY,
            _("Pollution of the sea and the coast."),
            "海洋,近岸海域,排海,marine",
            (*COMMON, WATER_BODY),
        ),
        Service(
            PollutionType.SOLID_WASTE,
            POLLUTION,
            _("Industrial, hazardous or household waste dumped or buried."),
            "固废,危废,倾倒,填埋,垃圾,waste",
            (*COMMON, BURNING),
        ),
        Service(
            PollutionType.COOKING_FUMES,
            POLLUTION,
            _("Cooking fumes from restaurants and food stalls."),
            "油烟,餐饮,烧烤,fumes",
            COMMON,
        ),
        Service(PollutionType.DUST, POLLUTION, _("Dust from sites, yards, roads and trucks."), "扬尘,渣土,灰尘,dust", COMMON),
        Service(PollutionType.OTHER, POLLUTION, _("Any other environmental problem."), "其他,other", COMMON),
    ]
}


def service_for(types: list[str] | None, hints: list[str] | None = None) -> str:
    """The service code shown for a complaint: its first (confirmed or suggested) type, else its hint, else other."""
    for seq in (types or [], hints or []):
        for t in seq:
            if t in SERVICES:
                return t
    return PollutionType.OTHER
