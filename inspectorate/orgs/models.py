"""The org-unit tree (government and enterprise) and the registry of regulated enterprises."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec

from .validators import validate_credit_code, validate_geojson_polygon


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    ENTERPRISE = "enterprise", _("Enterprise")
    INSPECTORATE = "inspectorate", _("Inspection body")


class UnitType(models.TextChoices):
    CENTRAL = "central", _("Central body")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    DEPARTMENT = "department", _("Department")
    INSPECTION_OFFICE = "inspection_office", _("Inspection office")
    GROUP = "group", _("Enterprise group")
    SUBSIDIARY = "subsidiary", _("Subsidiary")
    PLANT = "plant", _("Plant / mine")


class Sector(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    MINING = "mining", _("Mining")
    LIVESTOCK = "livestock", _("Livestock")
    URBAN = "urban", _("Urban management")
    RURAL = "rural", _("Rural")
    NATURE_RESERVE = "nature_reserve", _("Nature reserve")
    OTHER = "other", _("Other")


class BilingualName(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def __str__(self) -> str:
        return self.name


class OrgUnit(BilingualName):
    """A node of the org tree. `path` holds the ids from the root, so a subtree is a prefix match."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    unit_type = models.CharField(_("type"), max_length=30, choices=UnitType.choices)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Administrative division code for government units, internal code otherwise."),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=1000, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True, validators=[validate_geojson_polygon])
    active = models.BooleanField(_("active"), default=True)

    scope = ScopeSpec(units=("",), campaign=None)

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A unit cannot be its own parent.")})
            parent = OrgUnit.objects.filter(pk=self.parent_id).only("path").first()
            if parent and self.path and parent.path.startswith(self.path):
                raise ValidationError({"parent": _("This parent is inside the unit's own subtree: that would make a cycle.")})

    def computed_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.pk.hex}/"

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self.path = self.computed_path()
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moved: rewrite the descendants' paths in one pass.
            for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).order_by("depth"):
                child.path = self.path + child.path[len(old_path) :]
                child.depth = child.path.count("/") - 1
                super(OrgUnit, child).save(update_fields=["path", "depth"])

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)

    def ancestors(self) -> models.QuerySet[OrgUnit]:
        ids = [uuid.UUID(seg) for seg in self.path.strip("/").split("/")[:-1]]
        return OrgUnit.objects.filter(pk__in=ids).order_by("depth")


class Enterprise(models.Model):
    """A regulated enterprise (a possible polluter), owned by an org unit for scoping."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code])
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.INDUSTRY)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("owning org unit"))
    enterprise_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_enterprises",
        verbose_name=_("unit in the enterprise tree"),
    )

    scope = ScopeSpec(units=("org_unit", "enterprise_unit"), campaign=None)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regulated enterprise")
        verbose_name_plural = _("regulated enterprises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lon__isnull=True)
                | models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="enterprise_latlon_valid",
                violation_error_message=_("Latitude and longitude must both be given and in range."),
            )
        ]

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name
