"""factory_boy factories for the foundation models."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from inspectorate.accounts.models import Membership, User
from inspectorate.campaigns.models import Campaign, Team
from inspectorate.orgs.models import Enterprise, OrgUnit
from inspectorate.orgs.validators import CREDIT_CHARSET, credit_check_char

from .clock import stay_start

_codes = itertools.count(100000)


def credit_code(n: int) -> str:
    """A valid unified social credit code derived from n."""
    body = "91"  # enterprise, company
    body += "430600"  # region
    digits = ""
    x = n
    for _ in range(9):
        digits += CREDIT_CHARSET[x % 31]
        x //= 31
    first17 = body + digits
    return first17 + credit_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password("correct-horse-battery")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    kind = "government"
    unit_type = "city"
    code = factory.LazyFunction(lambda: str(next(_codes)))
    name_zh = factory.Sequence(lambda n: f"测试单位{n}")
    name_en = factory.Sequence(lambda n: f"Test unit {n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Enterprise {n} Co.")
    credit_code = factory.Sequence(credit_code)
    org_unit = factory.SubFactory(OrgUnitFactory)
    sector = "industry"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"test-campaign-{n}")
    name_zh = factory.Sequence(lambda n: f"测试督察{n}")
    name_en = factory.Sequence(lambda n: f"Test inspection {n}")
    level = "provincial"
    campaign_type = "routine"
    inspecting_unit = factory.SubFactory(OrgUnitFactory, kind="inspectorate", unit_type="inspection_office")
    stationing_start = factory.LazyFunction(stay_start)

    @factory.post_generation
    def targets(self, create: bool, extracted: list[OrgUnit] | None, **kwargs: object) -> None:
        if create and extracted:
            self.targets.set(extracted)  # type: ignore[attr-defined]


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    campaign = factory.SubFactory(CampaignFactory)
    name_zh = "测试督察组"
    name_en = "Test team"
    code = "2"
    hotline = "0730-1234567"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "liaison"
    valid_from = dt.date(2020, 1, 1)
