"""The score of a pair of complaints: near-copies and retellings of one incident.

Each complaint is reduced to `Features` (`features(...)`): its character 3-grams, its canonical content
words (`dedup_keys.words`: jieba tokens, synonyms mapped, stock phrases dropped), its pollution types
(from the classifier), its polluter key (`dedup_keys.polluter_key`) and registry enterprise (routing's
match), its location (only inside China) and its time.  A pair gets two scores and keeps the larger:

    near    = (J + 0.15·L + 0.10·P + 0.05·D) / (1 + Σ w over the signals known on both sides)
    retell  = (W + 0.45·P + 0.30·L + 0.25·T + 0.10·D) / (1 + Σ w over the signals known on both sides)
    score   = max(near, retell)  if P > 0 or L > 0   (a retelling needs the same polluter or place)
            = near               otherwise             in [0, 1]; duplicates: score ≥ THRESHOLD (0.45)

* J: Jaccard of the character 3-gram sets (what `dedup.DedupIndex` estimates with MinHash): high only
  for near-copies; `near` is the index's own formula, so near-copies score as before.
* W: Dice coefficient of the canonical word sets, 2·|A∩B| / (|A|+|B|): two retellings share a few
  words (化工, 排污, 夜间, 松阳湖) in different spellings and orders.
* P (polluter): +1 same registry enterprise or same polluter key; +0.5 when one side's key appears in
  the other's text (the other names no polluter); −1 both named and different; unknown otherwise.
* L (location): great-circle distance d; +1 at d ≤ 0.5 km, −1 at d ≥ 3 km, linear in between;
  unknown when either side has no location in China.
* T (pollution types): +1 when the type sets share a type, −1 when both are known and disjoint.
* D (time): +1 within 14 days, −1 beyond 42 days, linear in between.

A text of fewer than four letters or characters (after removing punctuation) scores 0 with anything.
Signals unknown on either side are left out of both sums (so a bare text is judged on its words), and
the weights sum to 1.1 for `retell`: words alone never reach the threshold unless W ≥ 0.45, while the
same polluter, place and type with W = 0.15 do ((0.15 + 1.1)/2.1 ≈ 0.6).  A different polluter or
a different problem at the same spot pulls the score down below the threshold.  Weights and threshold
were tuned on `bench/retellings.py` (retellings and hard negatives, see `make bench`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .dedup import normalize, shingles
from .dedup_keys import in_china, polluter_key, words

__all__ = ["THRESHOLD", "Features", "features", "score"]

THRESHOLD = 0.45
NEAR_KM, FAR_KM = 0.5, 3.0
WINDOW_DAYS = 14.0
NEAR_WEIGHTS = {"L": 0.15, "P": 0.10, "D": 0.05}
RETELL_WEIGHTS = {"P": 0.45, "L": 0.30, "T": 0.25, "D": 0.10}
MIN_TEXT = 4  # normalised characters: a shorter text ("水", "！？") describes nothing and matches nothing
MAX_TEXT = 2000  # characters of a text that are compared (a 20,000-character text is cut, not refused)
_EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Features:
    chars: frozenset[str]
    words: frozenset[str]
    text: str = ""  # normalised, for polluter mentions
    types: frozenset[str] = frozenset()
    polluter: str = ""
    enterprise: str = ""
    lat: float | None = None
    lon: float | None = None
    at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _timestamp(at: Any) -> float | None:
    if at is None:
        return None
    if isinstance(at, int | float):
        return float(at)
    if isinstance(at, dt.datetime):
        return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).timestamp()
    raise TypeError(f"unsupported time value: {at!r}")


def features(
    text: str,
    *,
    lat: Any = None,
    lon: Any = None,
    polluter_name: str = "",
    enterprise: Any = None,
    types: Iterable[str] = (),
    at: Any = None,
) -> Features:
    """The features of one complaint; bad or missing parts become unknown, never an error."""
    text = (text or "")[:MAX_TEXT]
    ok = in_china(lat, lon)
    norm = normalize(text)
    return Features(
        chars=frozenset(shingles(text)) if len(norm) >= MIN_TEXT else frozenset(),
        words=words(text),
        text=norm,
        types=frozenset(t for t in types if t and t != "other"),
        polluter=polluter_key(polluter_name or ""),
        enterprise=str(enterprise) if enterprise else "",
        lat=float(lat) if ok else None,
        lon=float(lon) if ok else None,
        at=_timestamp(at),
    )


def _km(a: Features, b: Features) -> float | None:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


def _ramp(x: float, good: float, bad: float) -> float:
    return 1.0 - 2.0 * min(1.0, max(0.0, (x - good) / (bad - good)))


def signals(a: Features, b: Features) -> dict[str, float]:
    """The evidence of a pair: J, W and the known context signals P, L, T, D (each −1 … +1)."""
    out: dict[str, float] = {}
    union = len(a.chars | b.chars)
    out["J"] = len(a.chars & b.chars) / union if union else 0.0
    size = len(a.words) + len(b.words)
    out["W"] = 2 * len(a.words & b.words) / size if size else 0.0
    if a.enterprise and b.enterprise and a.enterprise == b.enterprise:
        out["P"] = 1.0
    elif a.polluter and b.polluter:
        out["P"] = 1.0 if a.polluter == b.polluter else -1.0
    elif (a.polluter and a.polluter in b.text) or (b.polluter and b.polluter in a.text):
        out["P"] = 0.5
    km = _km(a, b)
    if km is not None:
        out["L"] = _ramp(km, NEAR_KM, FAR_KM)
        out["km"] = km
    if a.types and b.types:
        out["T"] = 1.0 if a.types & b.types else -1.0
    if a.at is not None and b.at is not None:
        out["D"] = _ramp(abs(a.at - b.at) / 86400.0, WINDOW_DAYS, 3 * WINDOW_DAYS)
    return out


def _combine(base: float, sig: dict[str, float], weights: dict[str, float]) -> float:
    num, den = base, 1.0
    for name, w in weights.items():
        if name in sig:
            num += w * sig[name]
            den += w
    return min(1.0, max(0.0, num / den))


def score(a: Features, b: Features) -> float:
    """The pair's score in [0, 1] (symmetric); see the module docstring."""
    if not (a.chars and b.chars):
        return 0.0
    sig = signals(a, b)
    near = _combine(sig["J"], sig, NEAR_WEIGHTS)
    if sig.get("P", 0.0) <= 0 and sig.get("L", 0.0) <= 0:
        return near  # a retelling needs the same polluter or the same place
    return max(near, _combine(sig["W"], sig, RETELL_WEIGHTS))
