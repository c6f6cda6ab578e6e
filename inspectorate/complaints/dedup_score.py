"""The score of a pair of complaints: near-copies and retellings of one incident.

Each complaint is reduced to `Features` (`features(...)`): its character 3-grams, its canonical content
words (`dedup_keys.words`: jieba tokens, synonyms mapped, stock phrases dropped), its pollution types
(from the classifier), its polluter key (`dedup_keys.polluter_key`) and registry enterprise (routing's
match), its location (only inside China) and its time.  A pair gets two scores and keeps the larger:

    near    = (J + 0.15·L + 0.10·P + 0.05·D) / (1 + Σ w over the signals known on both sides)
    retell  = (W + 0.45·P + 0.30·L + 0.25·T + 0.10·D) / (1 + Σ w over the signals known on both sides)
    score   = max(near, retell)  if P > 0 or L > 0   (a retelling needs the same polluter or place)
            = near               otherwise             in [0, 1]; duplicates: score ≥ THRESHOLD (0.45)

* J: Jaccard of the character 3-gram sets (as 32-bit hashes, `grams`; what `dedup.DedupIndex`
  estimates with MinHash): high only for near-copies; `near` is the index's own formula, so near-copies
  score as before.
* W: Dice coefficient of the canonical word sets, 2·|A∩B| / (|A|+|B|): two retellings share a few
  words (化工, 排污, 夜间, 松阳湖) in different spellings and orders.
* P (polluter): +1 same registry enterprise or same polluter key; +0.5 when one side's key appears in
  the other's text (the other names no polluter); −1 both named and different; unknown otherwise.
* L (location): great-circle distance d; +1 at d ≤ 0.5 km, −1 at d ≥ 3 km, linear in between;
  unknown when either side has no location in China.
* T (pollution types): +1 when the type sets share a type, −1 when both are known and disjoint.
* D (time): +1 within 14 days, −1 beyond 42 days, linear in between.

A text of fewer than four letters or characters (after removing punctuation) scores 0 with anything.
What a candidate needs (`grams`, `words`, the polluter key) is computed once, at intake, and stored
with the complaint (`dedup_store.stored_features`), so checking a new complaint against hundreds of
candidates reads them (`from_stored`) instead of segmenting every candidate's text again; `features`
and `from_stored` give equal features for the same complaint.

Signals unknown on either side are left out of both sums (so a bare text is judged on its words), and
the weights sum to 1.1 for `retell`: words alone never reach the threshold unless W ≥ 0.45, while the
same polluter, place and type with W = 0.15 do ((0.15 + 1.1)/2.1 ≈ 0.6).  A different polluter or
a different problem at the same spot pulls the score down below the threshold.  Weights and threshold
were tuned on `bench/retellings.py` (retellings and hard negatives, see `make bench`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .dedup import DedupIndex, normalize
from .dedup_kernels import normalize_many
from .dedup_keys import in_china, polluter_key, words

__all__ = ["THRESHOLD", "Features", "features", "from_stored", "grams", "jaccards", "minhash", "score", "score_many"]

THRESHOLD = 0.45
NEAR_KM, FAR_KM = 0.5, 3.0
WINDOW_DAYS = 14.0
NEAR_WEIGHTS = {"L": 0.15, "P": 0.10, "D": 0.05}
RETELL_WEIGHTS = {"P": 0.45, "L": 0.30, "T": 0.25, "D": 0.10}
MIN_TEXT = 4  # normalised characters: a shorter text ("水", "！？") describes nothing and matches nothing
MAX_TEXT = 2000  # characters of a text that are compared (a 20,000-character text is cut, not refused)
_EARTH_KM = 6371.0088


@functools.lru_cache(maxsize=1)
def minhash() -> DedupIndex:
    """The n-gram hashing, signature and band settings shared by every process (never change them without
    a backfill: `manage.py dedup_keys`)."""
    return DedupIndex(num_perm=64, threshold=0.45, lsh_threshold=0.4, seed=1, workers=1, exact=False)


def grams(text: str) -> np.ndarray:
    """The sorted distinct 3-gram hashes (uint32) of a text's first `MAX_TEXT` characters; empty below `MIN_TEXT`.
    Read-only: the same array may be handed out again (intake asks for it twice)."""
    return _grams((text or "")[:MAX_TEXT])


@functools.lru_cache(maxsize=256)
def _grams(text: str) -> np.ndarray:
    out = np.empty(0, dtype=np.uint32) if len(normalize(text)) < MIN_TEXT else minhash().gram_hashes(text)
    out.flags.writeable = False
    return out


@dataclass(frozen=True)
class Features:
    grams: np.ndarray = field(compare=False)  # sorted distinct uint32 3-gram hashes (`grams`)
    words: frozenset[str]
    source: str = field(default="", compare=False)  # the text compared (its first MAX_TEXT characters)
    types: frozenset[str] = frozenset()
    polluter: str = ""
    enterprise: str = ""
    lat: float | None = None
    lon: float | None = None
    at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @functools.cached_property
    def text(self) -> str:
        """The normalised text, for polluter mentions (computed only when a pair needs it)."""
        return normalize(self.source)


def _timestamp(at: Any) -> float | None:
    if at is None:
        return None
    if isinstance(at, int | float):
        return float(at)
    if isinstance(at, dt.datetime):
        return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).timestamp()
    raise TypeError(f"unsupported time value: {at!r}")


def _context(lat: Any, lon: Any, enterprise: Any, types: Iterable[str], at: Any) -> dict[str, Any]:
    ok = in_china(lat, lon)
    return {
        "types": frozenset(t for t in types if t and t != "other"),
        "enterprise": str(enterprise) if enterprise else "",
        "lat": float(lat) if ok else None,
        "lon": float(lon) if ok else None,
        "at": _timestamp(at),
    }


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
    return Features(
        grams=grams(text), words=words(text), source=text, polluter=polluter_key(polluter_name or ""),
        **_context(lat, lon, enterprise, types, at),
    )  # fmt: skip


def from_stored(
    text: str,
    grams: bytes,
    words: str,
    polluter: str,
    *,
    lat: Any = None,
    lon: Any = None,
    enterprise: Any = None,
    types: Iterable[str] = (),
    at: Any = None,
) -> Features:
    """The features of a stored complaint from what intake stored (`grams` bytes, space-separated `words`,
    the polluter key): equal to `features` of the same complaint, without segmenting the text again."""
    return Features(
        grams=np.frombuffer(grams, dtype="<u4"), words=frozenset(words.split()), source=(text or "")[:MAX_TEXT],
        polluter=polluter, **_context(lat, lon, enterprise, types, at),
    )  # fmt: skip


def jaccards(mine: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """Jaccard of `mine` with each of `others` (sorted distinct gram hashes), in one vectorised pass."""
    if not others:
        return np.empty(0)
    sizes = np.fromiter((len(o) for o in others), dtype=np.int64, count=len(others))
    flat = np.concatenate(others)
    if not mine.size:
        hit = np.zeros(flat.size, dtype=bool)
    else:
        # `mine` is sorted: a binary search per gram (not `isin(…, assume_unique=True)`: the others' grams
        # concatenated repeat, and a gram two others share, but not `mine`, counted as shared)
        hit = mine[np.minimum(np.searchsorted(mine, flat), mine.size - 1)] == flat
    inter = np.bincount(np.repeat(np.arange(len(others)), sizes), weights=hit, minlength=len(others))
    union = sizes + len(mine) - inter
    return np.divide(inter, union, out=np.zeros(len(others)), where=union > 0)


def _km(a: Features, b: Features) -> float | None:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


def _ramp(x: float, good: float, bad: float) -> float:
    return 1.0 - 2.0 * min(1.0, max(0.0, (x - good) / (bad - good)))


def signals(a: Features, b: Features, j: float | None = None) -> dict[str, float]:
    """The evidence of a pair: J (`j` when the caller computed it with `jaccards`), W and the known context
    signals P, L, T, D (each −1 … +1)."""
    out: dict[str, float] = {}
    out["J"] = float(jaccards(a.grams, [b.grams])[0]) if j is None else j
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


def score(a: Features, b: Features, j: float | None = None) -> float:
    """The pair's score in [0, 1] (symmetric); see the module docstring.  `j`: their Jaccard, if known."""
    if not (a.grams.size and b.grams.size):
        return 0.0
    sig = signals(a, b, j)
    near = _combine(sig["J"], sig, NEAR_WEIGHTS)
    if sig.get("P", 0.0) <= 0 and sig.get("L", 0.0) <= 0:
        return near  # a retelling needs the same polluter or the same place
    return max(near, _combine(sig["W"], sig, RETELL_WEIGHTS))


def _ramps(x: np.ndarray, good: float, bad: float) -> np.ndarray:
    """`_ramp` of many values (the same operations, so the same floats)."""
    return 1.0 - 2.0 * np.minimum(1.0, np.maximum(0.0, (x - good) / (bad - good)))


def score_many(
    me: Features,
    grams: Sequence[np.ndarray],
    words: Sequence[str | frozenset[str]],
    polluters: Sequence[str],
    *,
    texts: Sequence[str | None],
    lats: Sequence[float | None],
    lons: Sequence[float | None],
    ats: Sequence[Any] | np.ndarray,
    enterprises: Sequence[Any] | None = None,
    types: Sequence[Iterable[str] | None] | None = None,
) -> np.ndarray:
    """`score(me, other)` of many others at once, given as columns of what `from_stored` takes (`words`
    space-separated or as a set, locations as floats or None, times as `_timestamp` takes them or as an array
    of timestamps, NaN for none); equal to the per-pair `score` (the same float operations in the same order).

    `enterprises` and `types` may be None when `me` has none (they cannot count then).  The word sets, the
    polluters and the distances (with `math`, as `_km`, for the located pairs) are gathered per other; the rest
    is computed and combined as arrays."""
    n = len(grams)
    if not n or not me.grams.size:
        return np.zeros(n)
    j = jaccards(me.grams, grams)
    empty = np.fromiter(map(len, grams), dtype=np.int64, count=n) == 0
    mine = me.words
    theirs = [ws if isinstance(ws, frozenset) else frozenset(ws.split()) for ws in words]
    shared = np.fromiter((len(mine & ws) for ws in theirs), dtype=np.int64, count=n)
    size = np.fromiter(map(len, theirs), dtype=np.int64, count=n) + len(mine)
    w = np.divide(2 * shared, size, out=np.zeros(n), where=size > 0)  # int/int as in `signals`: the same floats
    p = np.zeros(n)
    mention: list[int] = []  # others whose normalised text must contain my polluter key
    pol_me, ent_me = me.polluter, me.enterprise
    for k, pol in enumerate(polluters):
        if ent_me and enterprises is not None and enterprises[k] and ent_me == str(enterprises[k]):
            p[k] = 1.0
        elif pol_me and pol:
            p[k] = 1.0 if pol_me == pol else -1.0
        elif pol_me:
            mention.append(k)
        elif pol and pol in me.text:
            p[k] = 0.5
    if mention:
        normed = normalize_many([(texts[k] or "")[:MAX_TEXT] for k in mention])
        for k, text in zip(mention, normed, strict=True):
            if pol_me in text:
                p[k] = 0.5
    km = np.full(n, np.nan)
    if me.lat is not None and me.lon is not None:
        la, lo = np.array(lats, dtype=np.float64), np.array(lons, dtype=np.float64)  # None: NaN
        with np.errstate(invalid="ignore"):
            located = np.flatnonzero((la >= 3.0) & (la <= 54.0) & (lo >= 73.0) & (lo <= 136.0))  # `in_china`
        p1, lon1 = math.radians(me.lat), me.lon
        cos1 = math.cos(p1)
        for k, lat, lon in zip(located.tolist(), la[located].tolist(), lo[located].tolist(), strict=True):
            p2 = math.radians(lat)
            h = math.sin((p2 - p1) / 2) ** 2 + cos1 * math.cos(p2) * math.sin(math.radians(lon - lon1) / 2) ** 2
            km[k] = 2 * _EARTH_KM * math.asin(math.sqrt(min(1.0, h)))
    t = np.zeros(n)
    if me.types and types is not None:
        for k, kinds in enumerate(types):
            known = frozenset(x for x in (kinds or ()) if x and x != "other")
            if known:
                t[k] = 1.0 if me.types & known else -1.0
    if isinstance(ats, np.ndarray):
        at = ats
    else:
        stamps = [_timestamp(a) for a in ats]
        at = np.array([math.nan if x is None else x for x in stamps], dtype=np.float64)
    known_p, known_l, known_t = p != 0.0, ~np.isnan(km), t != 0.0
    loc = np.where(known_l, _ramps(km, NEAR_KM, FAR_KM), 0.0)
    if me.at is None:
        known_d, days = np.zeros(n, dtype=bool), np.zeros(n)
    else:
        known_d = ~np.isnan(at)
        days = np.where(known_d, _ramps(np.abs(me.at - at) / 86400.0, WINDOW_DAYS, 3 * WINDOW_DAYS), 0.0)
    sig = {"P": (known_p, p), "L": (known_l, loc), "T": (known_t, t), "D": (known_d, days)}

    def combine(base: np.ndarray, weights: dict[str, float]) -> np.ndarray:
        num, den = base, np.ones(n)
        for name, weight in weights.items():
            known, value = sig[name]
            num = num + np.where(known, weight * value, 0.0)
            den = den + np.where(known, weight, 0.0)
        return np.minimum(1.0, np.maximum(0.0, num / den))

    near = combine(j, NEAR_WEIGHTS)
    retell = (p > 0) | (known_l & (loc > 0))
    out = np.where(retell, np.maximum(near, combine(w, RETELL_WEIGHTS)), near)
    out[empty] = 0.0
    return out
