"""The one place that decides what a user may see and do.

`restrict(queryset, user, action)` filters any scoped model; `authorize(user,
action, obj)` checks one object and raises PermissionDenied. Every selector and
every action goes through these two.

A model declares its scope with a `ScopeSpec`:
  units     lookups from the model to OrgUnit relations ("" = the model *is* OrgUnit)
  campaign  lookup to its Campaign ("" = the model *is* Campaign; None = not campaign-bound)

  owners    lookups to the units that own the object on the inspected side (a task's lead and
            implementing units); with the campaign's targets they make up the inspected party

A membership on unit U reaches objects whose unit lies in U's subtree. A team
membership (inspector, team leader; campaign set) reaches the objects of that
campaign only, even when it also names the inspecting office; for objects without
a campaign, what lies under the campaign's targets (and under its own unit). A
team membership without a campaign reaches nothing.

Separated duties: for the actions in `roles.INSPECTING_SIDE_ONLY`, `authorize` also
refuses (with `DutyConflict`, a PermissionDenied that carries a translated reason)
anyone holding a membership inside the inspected party of the object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.errors import ExplainedDenial

from .roles import INSPECTING_SIDE_ONLY, PERMISSIONS, TEAM_ROLES

if TYPE_CHECKING:
    from .models import Membership

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ScopeSpec:
    units: tuple[str, ...] = ()
    campaign: str | None = None
    # Lookups to units that members *below* also reach (e.g. a county handler sees the
    # campaign that targets its city).
    units_up: tuple[str, ...] = ()
    # Lookups to the units that own the object on the inspected side (besides the campaign's targets).
    owners: tuple[str, ...] = ()


class DutyConflict(ExplainedDenial):
    """Refused because the user sits on the inspected side; the message says why (translated)."""


def ancestor_paths(path: str) -> list[str]:
    """'a/b/c/' → ['a/', 'a/b/', 'a/b/c/']"""
    parts = path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _join(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def active_memberships(user: Any, on: dt.date | None = None) -> list[Membership]:
    """The user's memberships valid today, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        from .membership_query import memberships_on

        rows = memberships_on(user.pk, on or timezone.localdate())
        cache = sorted(rows, key=lambda m: (m.role, m.pk))  # the user's own rows: the model's order
        user._membership_cache = cache
    return cache


def scope_q(model: type[Model], user: Any, action: str) -> Q | None:
    """The filter for `model` under `user`'s memberships granting `action`; None = everything."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    spec: ScopeSpec | None = getattr(model, "scope", None)
    if spec is None:
        raise TypeError(f"{model.__name__} declares no scope; it cannot be read through restrict()")
    q = Q(pk__in=[])
    for m in active_memberships(user):
        if action not in PERMISSIONS.get(m.role, frozenset()):
            continue
        if m.role in TEAM_ROLES:
            # A team role is bound to its own campaign: its unit (the inspecting office) does not open the
            # office's other campaigns, nor anything else campaign-bound.
            if m.campaign is None:
                continue
            if spec.campaign is not None:
                q |= Q(**{_join(spec.campaign, "pk") if spec.campaign else "pk": m.campaign_id})
                continue
            for target_path in m.campaign.target_paths():
                for lookup in spec.units:
                    q |= Q(**{_join(lookup, "path__startswith"): target_path})
            if m.org_unit is not None:
                for lookup in spec.units:
                    q |= Q(**{_join(lookup, "path__startswith"): m.org_unit.path})
            continue
        if m.org_unit is not None:
            for lookup in spec.units:
                q |= Q(**{_join(lookup, "path__startswith"): m.org_unit.path})
            for lookup in spec.units_up:
                q |= Q(**{_join(lookup, "path__in"): ancestor_paths(m.org_unit.path)})
    return q


def _repeats_rows(model: type[Model], q: Q) -> bool:
    """Whether a lookup of `q` goes through a many-valued relation (a join that can repeat the model's rows)."""
    for child in q.children:
        if isinstance(child, Q):
            if _repeats_rows(model, child):
                return True
            continue
        opts: Any = model._meta
        lookup: str = child[0]  # type: ignore[index]
        for part in lookup.split(LOOKUP_SEP):
            try:
                field = opts.get_field(part)
            except FieldDoesNotExist:
                break  # "pk", or the lookup itself ("startswith", "in")
            if field.many_to_many or field.one_to_many:
                return True
            if not field.is_relation or field.related_model is None:
                break
            opts = field.related_model._meta  # type: ignore[union-attr]
    return False


def restrict(queryset: QuerySet[M], user: Any, action: str = "view") -> QuerySet[M]:
    q = scope_q(queryset.model, user, action)
    if q is None:
        return queryset
    if _repeats_rows(queryset.model, q):
        # A lookup through a many-valued relation (a campaign's targets, say) could repeat rows: filter by primary
        # key instead. Otherwise the condition applies to the rows directly (a team member's `campaign_id = …`,
        # which the planner can use as it is: the aggregates of the dashboards and the bulletin depend on it).
        return queryset.filter(pk__in=queryset.model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)


def inspected_paths(obj: Model) -> list[str]:
    """The tree paths of the inspected party for `obj`: its campaign's targets and its owning units."""
    spec: ScopeSpec = type(obj).scope  # type: ignore[attr-defined]
    lookups = [_join(o, "path") for o in spec.owners]
    if spec.campaign is not None:
        lookups.append(_join(spec.campaign, "targets__path") if spec.campaign else "targets__path")
    row = type(obj)._default_manager.filter(pk=obj.pk)
    return sorted({p for lookup in lookups for p in row.values_list(lookup, flat=True) if p})


def inspected_side_membership(user: Any, obj: Model) -> Membership | None:
    """A membership of `user` on a unit inside the inspected party of `obj`, or None."""
    memberships = [m for m in active_memberships(user) if m.org_unit is not None]
    if not memberships:
        return None
    paths = inspected_paths(obj)
    for m in memberships:
        if any(m.org_unit.path.startswith(p) for p in paths):  # type: ignore[union-attr]
            return m
    return None


def duty_conflict(user: Any, action: str, obj: Model) -> DutyConflict | None:
    """For an inspecting-side action: the refusal for a user on the inspected side, else None."""
    if action not in INSPECTING_SIDE_ONLY:
        return None
    m = inspected_side_membership(user, obj)
    if m is None:
        return None
    return DutyConflict(
        _(
            "You hold the role “%(role)s” at %(unit)s, on the inspected side; only the inspecting side "
            "(the inspection team, a higher-level acceptance body, a discipline body) may do this."
        )
        % {"role": m.get_role_display(), "unit": m.org_unit}
    )


def can(user: Any, action: str, obj: Model) -> bool:
    if not restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists():
        return False
    return duty_conflict(user, action, obj) is None


def authorize(user: Any, action: str, obj: Model) -> None:
    """Raise PermissionDenied unless `user` may do `action` on `obj` (DutyConflict when only the side is wrong)."""
    if not restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists():
        raise PermissionDenied(action)
    conflict = duty_conflict(user, action, obj)
    if conflict is not None:
        raise conflict


def has_role_anywhere(user: Any, action: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(action in PERMISSIONS.get(m.role, frozenset()) for m in active_memberships(user))
