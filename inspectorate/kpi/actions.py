"""KPI state changes: create a scheme (weights add up to 100, all or nothing), compute its scores from the
platform's records, adjust a score with a reason, review it. Each is atomic, authorised and audited."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from . import metrics
from .models import WEIGHTED_KINDS, Adjustment, Indicator, IndicatorKind, Scheme, Score, ScoreStatus

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _dec(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def _check_indicators(indicators: list[dict[str, Any]]) -> list[Indicator]:
    """Build the indicator rows and check them all; raise every error at once."""
    if not indicators:
        raise ValidationError({"indicators": _("A scheme needs at least one indicator.")})
    errors: dict[str, list[str]] = {}
    rows: list[Indicator] = []
    total = Decimal("0")
    for n, data in enumerate(indicators, start=1):
        kind = data.get("kind", "")
        metric = metrics.METRICS.get(data.get("metric", ""))
        row = Indicator(
            position=n, name=(data.get("name") or "").strip(), kind=kind, metric=data.get("metric", ""),
            weight=_dec(data.get("weight")), points=_dec(data.get("points")), cap=_dec(data.get("cap")),
        )  # fmt: skip
        msgs: list[str] = []
        if metric is None:
            msgs.append(_("Choose what the indicator is computed from."))
        elif kind in WEIGHTED_KINDS and not metric.rate:
            msgs.append(_("A process or result indicator is computed from a rate (done of due), not from events."))
        elif kind in (IndicatorKind.DEDUCTION, IndicatorKind.VETO) and metric.rate:
            msgs.append(_("A deduction or veto item counts events, not a rate."))
        try:
            row.full_clean(exclude=["scheme"])
        except ValidationError as exc:
            msgs += [str(m) for m in exc.messages]
        if msgs:
            errors[f"indicators[{n}]"] = msgs
        if kind in WEIGHTED_KINDS and row.weight is not None:
            total += row.weight
        rows.append(row)
    if not errors and total != HUNDRED:
        errors["indicators"] = [
            _("The weights of the process and result indicators add up to %(total)s; they must add up to 100.")
            % {"total": f"{total.normalize():f}"}
        ]
    if errors:
        raise ValidationError(errors)
    return rows


def create_scheme(
    *,
    actor: Any,
    owner_unit: Any,
    title: str,
    period_start: Any,
    period_end: Any,
    units: list[Any],
    indicators: list[dict[str, Any]],
) -> Scheme:
    """A scheme with its indicators; nothing is saved unless the whole scheme is valid.

    Only the assessing unit (or a level above) manages a scheme and its scores: `kpi.manage` is checked on the
    owner unit, never on an assessed unit, so no unit grades or adjusts itself."""
    authorize(actor, "kpi.manage", owner_unit)
    errors: dict[str, list[str]] = {}
    if not units:
        errors["units"] = [_("Name at least one unit to assess.")]
    outside = [u for u in units if not u.path.startswith(owner_unit.path) or u.pk == owner_unit.pk]
    if outside:
        errors["units"] = [
            _("Only units under %(unit)s can be assessed: %(outside)s.")
            % {"unit": owner_unit, "outside": "、".join(str(u) for u in outside)}
        ]
    scheme = Scheme(
        owner_unit=owner_unit, title=title, period_start=period_start, period_end=period_end,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    try:
        scheme.full_clean()
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            errors.setdefault(key, []).extend(msgs)
    try:
        rows = _check_indicators(indicators)
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            errors.setdefault(key, []).extend(msgs)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        scheme.save()
        scheme.units.set(units)
        for row in rows:
            row.scheme = scheme
            row.save()
        audit.record(
            actor,
            "kpi_scheme.create",
            scheme,
            after={
                **snapshot(scheme),
                "units": sorted(str(u) for u in units),
                "indicators": [[r.position, r.name, r.kind, r.metric, str(r.weight or r.points or "")] for r in rows],
            },
        )
    return scheme


def score_lines(scheme: Scheme, unit: Any) -> tuple[list[dict[str, Any]], Decimal, bool]:
    """The lines of a unit's score, the computed total (clamped to 0..100) and whether a veto item fired."""
    lines: list[dict[str, Any]] = []
    total = Decimal("0")
    vetoed = False
    for ind in scheme.indicators.all():
        res = metrics.METRICS[ind.metric].compute(unit, scheme.period_start, scheme.period_end)
        line: dict[str, Any] = {
            "indicator": str(ind.pk), "position": ind.position, "name": ind.name, "kind": ind.kind,
            "metric": ind.metric, "events": res.events, "count": len(res.events),
        }  # fmt: skip
        if ind.kind in WEIGHTED_KINDS:
            weight = q2(ind.weight or Decimal("0"))
            points = weight if res.due == 0 else q2(weight * res.done / res.due)
            line.update(weight=str(weight), done=res.done, due=res.due, points=str(points))
        elif ind.kind == IndicatorKind.DEDUCTION:
            per = ind.points or Decimal("0")
            lost = per * len(res.events)
            if ind.cap is not None:
                lost = min(lost, ind.cap)
            points = -q2(lost) if lost else q2(Decimal("0"))
            line.update(per_event=str(q2(per)), cap=str(q2(ind.cap)) if ind.cap is not None else "", points=str(points))
        else:
            points = q2(Decimal("0"))
            line.update(points=str(points), vetoed=bool(res.events))
            vetoed = vetoed or bool(res.events)
        total += points
        lines.append(line)
    return lines, max(Decimal("0"), min(HUNDRED, total)), vetoed


def _final(score: Score) -> Decimal:
    if score.vetoed:
        return Decimal("0")
    return max(Decimal("0"), min(HUNDRED, score.computed + score.adjustment))


def _rerank(scheme: Scheme) -> None:
    """Rank by final score (a vetoed unit after every other); equal scores share a rank."""
    scores = sorted(scheme.scores.all(), key=lambda s: (s.vetoed, -s.final))
    prev: tuple[bool, Decimal] | None = None
    rank = 0
    for n, s in enumerate(scores, start=1):
        if (s.vetoed, s.final) != prev:
            rank, prev = n, (s.vetoed, s.final)
        if s.rank != rank:
            Score.objects.filter(pk=s.pk).update(rank=rank)


def compute_scores(scheme: Scheme, *, actor: Any) -> dict[str, Any]:
    """(Re)compute every assessed unit's score. Reviewed scores stay as reviewed; adjustments are kept."""
    authorize(actor, "kpi.manage", scheme.owner_unit)
    now = timezone.now()
    computed, kept = 0, 0
    with transaction.atomic():
        for unit in scheme.units.order_by("path"):
            score = Score.objects.select_for_update().filter(scheme=scheme, unit=unit).first()
            if score is not None and score.status == ScoreStatus.REVIEWED:
                kept += 1
                continue
            lines, total, vetoed = score_lines(scheme, unit)
            if score is None:
                score = Score(scheme=scheme, unit=unit, computed_at=now)
            before = snapshot(score, ["computed", "vetoed", "final"]) if score.pk else None
            score.lines, score.computed, score.vetoed, score.computed_at = lines, total, vetoed, now
            score.final = _final(score)
            score.save()
            audit.record(
                actor, "kpi_score.compute", score, before=before,
                after={"computed": score.computed, "vetoed": vetoed, "final": score.final,
                       "lines": [[x["position"], x["points"], x["count"]] for x in lines]},
            )  # fmt: skip
            computed += 1
        scheme.computed_at = now
        scheme.save(update_fields=["computed_at"])
        _rerank(scheme)
    return {"computed": computed, "kept_reviewed": kept}


def adjust_score(score: Score, *, actor: Any, points: Any, reason: str, indicator: Indicator | None = None) -> Adjustment:
    """Add (or take off) points with a written reason; a reviewed score is final."""
    authorize(actor, "kpi.manage", score.scheme.owner_unit)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    try:
        value = q2(Decimal(str(points)))
    except ArithmeticError:
        raise ValidationError({"points": _("Enter a number of points.")}) from None
    if indicator is not None and indicator.scheme_id != score.scheme_id:
        raise ValidationError({"indicator": _("This indicator belongs to another scheme.")})
    with transaction.atomic():
        locked = Score.objects.select_for_update().get(pk=score.pk)
        if locked.status == ScoreStatus.REVIEWED:
            raise ValidationError(_("This score has been reviewed; it can no longer be adjusted."))
        if locked.vetoed:
            raise ValidationError(_("A vetoed score is 0 whatever the adjustments; correct the records and recompute."))
        adj = Adjustment(score=locked, indicator=indicator, points=value, reason=reason.strip(), made_by=actor)
        adj.full_clean(exclude=["made_by"])
        adj.save()
        before = snapshot(locked, ["adjustment", "final"])
        locked.adjustment = q2(locked.adjustment + value)
        locked.final = _final(locked)
        locked.save(update_fields=["adjustment", "final"])
        audit.record(
            actor, "kpi_score.adjust", locked, before=before,
            after={"adjustment": locked.adjustment, "final": locked.final, "points": value,
                   "indicator": indicator.position if indicator else None},
            reason=adj.reason,
        )  # fmt: skip
        _rerank(locked.scheme)
    score.refresh_from_db()
    return adj


def review_score(score: Score, *, actor: Any, note: str) -> Score:
    """The assessing unit confirms the score (after which it is neither recomputed nor adjusted)."""
    authorize(actor, "kpi.manage", score.scheme.owner_unit)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was reviewed.")})
    with transaction.atomic():
        n = Score.objects.filter(pk=score.pk, status=ScoreStatus.COMPUTED).update(
            status=ScoreStatus.REVIEWED, reviewed_by=actor, reviewed_at=timezone.now(), review_note=note.strip()
        )
        if n != 1:
            raise ValidationError(_("This score is already reviewed."))
        score.refresh_from_db()
        audit.record(actor, "kpi_score.review", score, after={"final": score.final, "review_note": score.review_note})
    return score
