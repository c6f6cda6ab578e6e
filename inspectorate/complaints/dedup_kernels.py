"""The numeric and text kernels of the duplicate index (`dedup.DedupIndex`): text normalisation and shingles,
hashing constants, MinHash band sizing, Jaccard estimates (b-bit and exact), sorted-set helpers and the unit
vectors of the distance check. Split from `dedup.py` to keep each module readable; `dedup` is the entry point."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

_P31 = np.uint64((1 << 31) - 1)  # the Mersenne prime 2^31 − 1
_MASK32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2^64 / golden ratio: Fibonacci hashing
_MIX2 = np.uint64(0xC2B2AE3D27D4EB4F)
_EARTH_KM = 6371.0088
_WORD = re.compile(r"[^\W_]")
_NON_WORD = re.compile(r"[\W_]+")
_COMPANY_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "集团", "公司", "厂")

Id = Hashable


@functools.lru_cache(maxsize=1)
def _char_table() -> np.ndarray:
    """Code point → normalised code point for the Basic Multilingual Plane; 0 = dropped (space, punctuation)."""
    table = np.zeros(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = unicodedata.normalize("NFKC", chr(cp)).lower()
        if len(ch) == 1 and _WORD.fullmatch(ch):
            table[cp] = ord(ch)
        elif len(ch) > 1 and _WORD.fullmatch(chr(cp)):
            table[cp] = cp
    return table


def _normalized_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all normalised texts concatenated, length of each normalised text)."""
    raw = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4")
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    table = _char_table()
    bmp = raw < 0x10000
    codes = np.where(bmp, table[np.where(bmp, raw, 0)], raw)
    keep = codes != 0
    if keep.all():
        return codes, lengths
    doc = np.repeat(np.arange(len(texts)), lengths)
    return codes[keep], np.bincount(doc[keep], minlength=len(texts)).astype(np.int64)


def normalize(text: str) -> str:
    """NFKC, lower case, without spaces and punctuation (Chinese characters, letters and digits remain)."""
    codes, _ = _normalized_codes([text or ""])
    return codes.astype("<u4").tobytes().decode("utf-32-le")


def normalize_many(texts: Sequence[str]) -> list[str]:
    """`normalize` of many texts in one pass (the same strings)."""
    if not texts:
        return []
    codes, lengths = _normalized_codes([t or "" for t in texts])
    joined = codes.astype("<u4").tobytes().decode("utf-32-le")
    ends = np.cumsum(lengths).tolist()
    return [joined[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


@functools.lru_cache(maxsize=65536)
def normalize_polluter(name: str) -> str:
    """A polluter name for comparison: normalised like the text, without the legal form (有限公司 …)."""
    out = unicodedata.normalize("NFKC", name or "").lower()
    if not out.isalnum():  # `\w` is what `str.isalnum` accepts, and "_": an alphanumeric name has nothing to remove
        out = _NON_WORD.sub("", out)
    if out.endswith(_COMPANY_SUFFIXES):
        for suffix in _COMPANY_SUFFIXES:
            if out.endswith(suffix) and len(out) > len(suffix) + 1:
                out = out[: -len(suffix)]
                break
    return out


def shingles(text: str, n: int = 3) -> set[str]:
    """The set of character n-grams of the normalised text (a short text is one shingle)."""
    norm = normalize(text)
    if not norm:
        return set()
    if len(norm) < n:
        return {norm}
    return {norm[i : i + n] for i in range(len(norm) - n + 1)}


def _timestamp(at: Any) -> float:
    if at is None:
        return math.nan
    if isinstance(at, int | float):
        return float(at)
    if isinstance(at, dt.datetime):
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        return at.timestamp()
    if isinstance(at, dt.date):
        return dt.datetime(at.year, at.month, at.day, 12, tzinfo=dt.UTC).timestamp()
    raise TypeError(f"unsupported time value: {at!r}")


def _coord(value: Any) -> float:
    return math.nan if value is None or value == "" else float(value)


def _coords(values: Iterable[Any]) -> np.ndarray:
    """`_coord` of many values; floats and None (what the database and the bench give) in one conversion."""
    vals = list(values)
    if all(v is None or type(v) is float for v in vals):
        return np.array(vals, dtype=np.float64)  # None becomes NaN
    return np.array([_coord(v) for v in vals], dtype=np.float64)


def _timestamps(values: Iterable[Any]) -> np.ndarray:
    """`_timestamp` of many values; aware datetimes (what the database gives) without the per-value dispatch."""
    vals = list(values)
    if all(type(v) is dt.datetime and v.tzinfo is not None for v in vals):
        return np.array([v.timestamp() for v in vals], dtype=np.float64)
    return np.array([_timestamp(v) for v in vals], dtype=np.float64)


@functools.lru_cache(maxsize=64)
def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.25, fn_weight: float = 0.75) -> tuple[int, int]:
    """(bands, rows) with bands·rows ≤ num_perm minimising the weighted false-positive and false-negative areas."""
    best: tuple[float, int, int] | None = None
    lo = np.linspace(0.0, threshold, 200)
    hi = np.linspace(threshold, 1.0, 200)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = np.trapezoid(1 - (1 - lo**r) ** b, lo)
            fn = np.trapezoid((1 - hi**r) ** b, hi)
            err = fp_weight * fp + fn_weight * fn
            if best is None or err < best[0]:
                best = (float(err), b, r)
    assert best is not None
    return best[1], best[2]


def _sorted_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, how often each occurs): sort-based, faster than np.unique's hash table here."""
    if values.size == 0:
        return values, np.empty(0, dtype=np.int64)
    s = np.sort(values, kind="stable" if values.dtype.kind == "f" else None)
    starts = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1]]))
    return s[starts], np.diff(np.concatenate([starts, [s.size]]))


class _HashSet:
    """Exact membership of 31-bit hashes in a small sorted set, vectorised: a direct-mapped table on the top
    bits finds the one possible member, a comparison confirms it (slots shared by two members fall back to
    a binary search)."""

    SHIFT = np.uint64(11)  # 2^20 slots of 4 bytes: the table stays in cache

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.uint64)
        slots = self.values >> self.SHIFT
        self.table = np.full(1 << 20, -1, dtype=np.int32)
        self.table[slots] = np.arange(self.values.size, dtype=np.int32)
        uniq, counts = _sorted_unique(slots)
        self.table[uniq[counts > 1]] = -2

    def __len__(self) -> int:
        return int(self.values.size)

    def contains(self, h: np.ndarray) -> np.ndarray:
        if self.values.size == 0:
            return np.zeros(h.shape, dtype=bool)
        at = self.table[h >> self.SHIFT]
        found = at >= 0
        out = np.zeros(h.shape, dtype=bool)
        out[found] = self.values[at[found]] == h[found]
        shared = np.flatnonzero(at == -2)
        if shared.size:
            pos = np.minimum(np.searchsorted(self.values, h[shared]), self.values.size - 1)
            out[shared] = self.values[pos] == h[shared]
        return out


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of every run of equal neighbours in a sorted array."""
    starts = np.concatenate([[0], np.flatnonzero(values[1:] != values[:-1]) + 1])
    return starts, np.diff(np.concatenate([starts, [values.size]]))


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values along the last axis."""
    return np.asarray((sig_a == sig_b).mean(axis=-1))


_BYTE_SUM = np.uint64(0x0101010101010101)


def _match_counts(a8: np.ndarray, b8: np.ndarray) -> np.ndarray:
    """Equal positions per row of two (n × k) uint8 arrays: the comparison's bytes summed eight at a time."""
    eq = np.ascontiguousarray(a8 == b8)
    k = eq.shape[-1]
    if eq.ndim != 2 or k % 8 or k > 255:
        return np.count_nonzero(eq, axis=-1)
    words = eq.view(np.uint64)
    total = words[:, 0].copy()
    for c in range(1, k // 8):
        total += words[:, c]
    return (total * _BYTE_SUM) >> np.uint64(56)


def _bbit_jaccard(a8: np.ndarray, b8: np.ndarray) -> np.ndarray:
    """Jaccard estimated from 8-bit MinHash values: equal by chance with probability 1/256, corrected for it."""
    share = _match_counts(np.atleast_2d(a8), np.atleast_2d(np.broadcast_to(b8, a8.shape))) / a8.shape[-1]
    return np.clip((share - 1 / 256) / (1 - 1 / 256), 0.0, 1.0)


def _exact_jaccard(ha: np.ndarray, la: np.ndarray, hb: np.ndarray, lb: np.ndarray) -> np.ndarray:
    """Exact Jaccard of many pairs of n-gram hash sets at once: pair k is ha[…la[k]…] against hb[…lb[k]…].

    Each set must be sorted and without repeats (as stored): tagged with the pair number, both sides are
    sorted runs, and one stable sort merges them; equal neighbours are the intersection.
    """
    pairs = la.size
    ua = (np.repeat(np.arange(pairs, dtype=np.uint64), la) << np.uint64(32)) | ha.astype(np.uint64)
    ub = (np.repeat(np.arange(pairs, dtype=np.uint64), lb) << np.uint64(32)) | hb.astype(np.uint64)
    both = np.sort(np.concatenate([ua, ub]), kind="stable")
    same = both[1:][both[1:] == both[:-1]]
    inter = np.bincount((same >> np.uint64(32)).astype(np.int64), minlength=pairs)
    union = la + lb - inter
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def _sorted_sets(hashes: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per document: its hashes sorted, without repeats; returns (flat hashes, new counts)."""
    doc = np.repeat(np.arange(counts.size, dtype=np.uint64), counts)
    keys = np.sort((doc << np.uint64(32)) | hashes.astype(np.uint64))
    if keys.size:
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    new_counts = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=counts.size)
    return (keys & _MASK32).astype(np.uint32), new_counts


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n × 3) points on the unit sphere; a missing or half-missing location gives NaN."""
    phi, lmb = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)], axis=-1)


def _gather(flat: np.ndarray, offsets: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts, lens = offsets[idx], offsets[idx + 1] - offsets[idx]
    total = int(lens.sum())
    pos = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total, dtype=np.int64)
    return flat[pos], lens
