"""Incremental near-duplicate index for complaint text (character n-gram MinHash + LSH).

This is the in-memory engine for a whole round (bench, bulk pairs and clusters).  The check at intake
and in the API reads keys from the database instead (`dedup_store`: text bands computed here, plus
polluter, enterprise and cell keys) and scores near-copies and retellings with `dedup_score`.

The text of a complaint is normalised (NFKC, lower case, punctuation and spaces removed: one table
look-up per character, for all texts at once) and cut into character n-grams (3-grams by default:
Chinese has no spaces, and three characters carry a word or two).  Every n-gram is hashed once to 31
bits; the `num_perm` MinHash values come from the universal family ``h_i(x) = (a_i·x + b_i) mod (2^31 − 1)``,
computed for all n-grams of many documents at once as one (num_perm × n-grams) array operation and
reduced with ``minimum.reduceat`` per document.  Bulk loading prepares chunks of `CHUNK` texts on
`workers` threads (numpy releases the GIL), so a million texts need no multi-GB temporaries.

Stock phrases ("请督察组尽快查处") make unrelated reports look alike.  `learn_common()` learns a round's
boilerplate n-grams (document frequency above `max_df`) before loading; they are then left out of
every signature, unless a text consists of nothing else.

Candidates come from LSH banding (``bands × rows ≤ num_perm``): each band of a signature is mixed into
one 64-bit key, and two complaints are candidates when they share a key in any band.  Candidates are
re-scored with the Jaccard similarity estimated from 8-bit MinHash values (b-bit MinHash, corrected
for chance equality), then combined with what else is known of both complaints into one score in [0, 1]:

    score = (J + Σ wᵢ·eᵢ) / (1 + Σ wᵢ)      over the signals known on both sides

where e is +1 (agrees) … −1 (contradicts): location distance (great circle; ≤ ``near_km`` agrees,
≥ ``far_km`` contradicts, linear in between), the same polluter name (normalised, legal form dropped),
and the time between the two (within ``window_days`` agrees, beyond three windows contradicts).  With
``exact=True`` (the default) the pairs that are near the threshold after the estimate get the exact
Jaccard of their n-gram sets instead, so estimation noise does not decide borderline cases.  A text
compared with itself scores 1; without any context the score is the Jaccard similarity; it is symmetric.

`query()` checks one new complaint against the whole index: one signature, ``bands`` look-ups in a
sorted key array (binary search) plus a small dict of keys added since the last re-sort, and a
vectorised re-score of the candidates: about a millisecond for a round of 135,000 complaints.
`pairs()` and `clusters()` find all duplicate pairs of a round with a sort of the band keys instead of
look-ups; a hot bucket (a stock sentence carrying one band's minima) is split by the next band's key,
so candidate pairs do not grow with the square of a national year (`candidate_pairs`).
Adding complaints in any order gives the same index.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .dedup_kernels import (
    _EARTH_KM,
    _MASK32,
    _MIX,
    _MIX2,
    _P31,
    Id,
    _bbit_jaccard,
    _coord,
    _coords,
    _exact_jaccard,
    _gather,
    _HashSet,
    _normalized_codes,
    _runs,
    _sorted_sets,
    _sorted_unique,
    _timestamp,
    _timestamps,
    _unit_vectors,
    estimate_jaccard,
    normalize,
    normalize_polluter,
    optimal_bands,
    shingles,
)

__all__ = ["DedupIndex", "build_index_for_campaign", "estimate_jaccard", "normalize", "optimal_bands", "shingles"]


class DedupIndex:
    """Near-duplicate index over the complaints of one round; add incrementally, query in milliseconds."""

    CHUNK = 32768  # texts prepared at once by `add_many` (bounds its temporary arrays)
    SCORE_CHUNK = 65536  # pairs scored at once by `_score_idx` (the chunks run on `workers` threads)

    def __init__(
        self,
        num_perm: int = 64,
        threshold: float = 0.45,
        *,
        ngram: int = 3,
        lsh_threshold: float | None = None,
        bands: int | None = None,
        seed: int = 1,
        near_km: float = 0.5,
        far_km: float = 5.0,
        window_days: float = 14.0,
        weights: tuple[float, float, float] = (0.15, 0.1, 0.05),
        workers: int | None = None,
        exact: bool = True,
        exact_margin: float = 0.15,
    ) -> None:
        if num_perm < 2:
            raise ValueError("num_perm must be at least 2")
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.num_perm = num_perm
        self.threshold = threshold
        self.ngram = ngram
        self.lsh_threshold = lsh_threshold if lsh_threshold is not None else max(0.05, threshold - 0.05)
        if bands is None:
            self.bands, self.rows = optimal_bands(self.lsh_threshold, num_perm)
        else:
            self.bands, self.rows = bands, num_perm // bands
            if self.rows < 1:
                raise ValueError("bands cannot exceed num_perm")
        self.near_km, self.far_km, self.window_days = near_km, far_km, window_days
        self.w_loc, self.w_pol, self.w_time = weights
        self.workers = workers or min(4, os.cpu_count() or 1)
        self.exact, self.exact_margin = exact, exact_margin
        rng = np.random.default_rng(seed)
        # a in [1, p), b in [0, p) with p = 2^31 − 1 and n-gram hashes x < 2^31: a·x + b < 2^62 is exact in uint64.
        self._a = rng.integers(1, int(_P31), size=num_perm, dtype=np.uint64)
        self._b = rng.integers(0, int(_P31), size=num_perm, dtype=np.uint64)
        self._band_seed = rng.integers(1, np.iinfo(np.int64).max, size=self.bands, dtype=np.uint64) | np.uint64(1)
        self._common = _HashSet(np.empty(0, dtype=np.uint64))
        self._n = 0
        self._ids: list[Id] = []
        self._pos: dict[Id, int] = {}
        cap = 1024
        # b-bit MinHash (the low 8 bits of each value) for re-scoring: 4× less memory traffic than uint32
        self._sig8 = np.empty((cap, num_perm), dtype=np.uint8)
        self._keys = np.empty((cap, self.bands), dtype=np.uint64)
        self._empty = np.empty(cap, dtype=bool)
        self._xyz = np.empty((cap, 3), dtype=np.float64)  # unit vectors of the locations (NaN: none)
        self._at = np.empty(cap, dtype=np.float64)
        self._pol = np.empty(cap, dtype=np.int64)
        # n-gram hashes of every complaint (flat, with offsets), for the exact re-score
        self._hflat = np.empty(0, dtype=np.uint32)
        self._hoff = np.zeros(cap + 1, dtype=np.int64)
        self._pol_codes: dict[str, int] = {"": 0}
        # Look-up structure: keys of documents [0, _frozen) sorted once, newer ones in a dict.
        self._frozen = 0
        self._sorted_keys = np.empty(0, dtype=np.uint64)
        self._sorted_idx = np.empty(0, dtype=np.int64)
        self._recent: dict[int, list[int]] = {}

    # -- size and storage -----------------------------------------------------
    def __len__(self) -> int:
        return self._n

    def __contains__(self, id_: object) -> bool:
        return id_ in self._pos

    @property
    def ids(self) -> list[Id]:
        return list(self._ids)

    def _reserve(self, extra: int) -> None:
        need = self._n + extra
        cap = self._sig8.shape[0]
        if need <= cap:
            return
        while cap < need:
            cap *= 2
        for name in ("_sig8", "_keys", "_empty", "_xyz", "_at", "_pol"):
            old = getattr(self, name)
            new = np.empty((cap, *old.shape[1:]), dtype=old.dtype)
            new[: self._n] = old[: self._n]
            setattr(self, name, new)
        hoff = np.zeros(cap + 1, dtype=np.int64)
        hoff[: self._n + 1] = self._hoff[: self._n + 1]
        self._hoff = hoff

    def _pol_code(self, name: str) -> int:
        norm = normalize_polluter(name)
        code = self._pol_codes.get(norm)
        if code is None:
            code = self._pol_codes[norm] = len(self._pol_codes)
        return code

    # -- MinHash --------------------------------------------------------------
    def _shingle_hashes(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """32-bit hashes of the n-grams of every text (in order) and the number of n-grams per text.

        N-grams listed in the common set (see `learn_common`) are left out, unless a text has nothing else.
        """
        n = self.ngram
        codes, lengths = _normalized_codes(texts)
        short = (lengths > 0) & (lengths < n)
        if short.any():  # a text shorter than n is one n-gram, padded with zeros
            pad = np.where(short, n - lengths, 0)
            pos = np.cumsum(lengths) - lengths
            codes = np.insert(codes, np.repeat(pos + lengths, pad), 0)
            lengths = lengths + pad
        codes = codes.astype(np.uint64)
        counts = np.maximum(lengths - n + 1, 0)
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.uint64), counts
        starts = np.cumsum(lengths) - lengths
        first = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total, dtype=np.int64)
        h = codes[first].copy()
        for i in range(1, n):
            h *= _MIX
            h += codes[first + i]
        h *= _MIX2
        h >>= np.uint64(33)  # the high bits of a multiplicative hash: 31 well-mixed bits
        if len(self._common):
            keep = ~self._common.contains(h)
            doc = np.repeat(np.arange(len(texts)), counts)
            kept = np.bincount(doc[keep], minlength=len(texts))
            keep |= (kept == 0)[doc]  # nothing but common n-grams: keep them all
            h = h[keep]
            counts = np.bincount(doc[keep], minlength=len(texts)).astype(np.int64)
        return h, counts

    def gram_hashes(self, text: str) -> np.ndarray:
        """The distinct n-gram hashes of one text, sorted (uint32): the set whose Jaccard the signatures estimate."""
        h, _ = self._shingle_hashes([text])
        return np.unique(h).astype(np.uint32)

    def learn_common(self, texts: Sequence[str], max_df: float = 0.03, min_docs: int = 20, sample: int = 20000) -> int:
        """Learn the round's boilerplate: n-grams found in more than max(max_df·texts, min_docs) texts.

        They are left out of every signature afterwards (a text made only of them keeps them), which
        separates re-reports of one incident from reports that merely share stock phrases.  Document
        frequencies come from an evenly spaced sample of at most `sample` texts.  Call it before adding
        anything, so that every signature uses the same set; returns the set's size.
        """
        if self._n:
            raise ValueError("learn_common() must come before the first add")
        self._common = _HashSet(np.empty(0, dtype=np.uint64))
        if len(texts) > sample:
            step = len(texts) / sample
            texts = [texts[int(k * step)] for k in range(sample)]
        h, counts = self._shingle_hashes(texts)
        if h.size == 0:
            return 0
        doc = np.repeat(np.arange(len(texts), dtype=np.uint64), counts)
        per_doc, _ = _sorted_unique((doc << np.uint64(32)) | h)
        values, df = _sorted_unique(per_doc & _MASK32)
        limit = max(max_df * len(texts), min_docs)
        self._common = _HashSet(values[df > limit])
        return len(self._common)

    def _minhash_block(self, hashes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """MinHash signatures for consecutive non-empty documents starting at `offsets` within `hashes`.

        The work array is (num_perm × n-grams): every permutation is one contiguous row, and the
        per-document minimum is one `minimum.reduceat` along the rows.
        """
        v = self._a[:, None] * hashes[None, :]
        v += self._b[:, None]
        high = v >> np.uint64(31)
        v &= _P31
        v += high  # ≡ a·x + b (mod 2^31 − 1), below 2^32
        return np.minimum.reduceat(v, offsets, axis=1).T.astype(np.uint32)

    def signatures(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(signatures, empty) for many texts at once; an empty text gets an all-max signature."""
        sig, empty, _, _ = self._signatures(texts)
        return sig, empty

    def _signatures(self, texts: Sequence[str], threads: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        hashes, counts = self._shingle_hashes(texts)
        sig = np.full((len(texts), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        empty = counts == 0
        docs = np.flatnonzero(~empty)
        if docs.size == 0:
            return sig, empty, hashes, counts
        offsets = np.concatenate([[0], np.cumsum(counts[docs])])
        # Blocks of a few thousand n-grams keep the (num_perm × n-grams) work array in cache.
        block = max(512, 262144 // self.num_perm)
        cuts = [0]
        pos = np.searchsorted(offsets, np.arange(block, int(offsets[-1]), block), side="left")
        for p in pos.tolist():
            if p > cuts[-1] and p < docs.size:
                cuts.append(int(p))
        cuts.append(int(docs.size))
        jobs = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] > cuts[i]]

        def run(job: tuple[int, int]) -> None:
            d0, d1 = job
            h0, h1 = int(offsets[d0]), int(offsets[d1])
            sig[docs[d0:d1]] = self._minhash_block(hashes[h0:h1], offsets[d0:d1] - h0)

        if threads and self.workers > 1 and len(jobs) > 8:
            with ThreadPoolExecutor(self.workers) as pool:
                list(pool.map(run, jobs))
        else:
            for job in jobs:
                run(job)
        return sig, empty, hashes, counts

    def signature_of(self, hashes: np.ndarray) -> np.ndarray:
        """The (1 × num_perm) signature of one document from its n-gram hashes (`gram_hashes`: the minimum over the
        same set, so what `signatures` gives for its text, when no boilerplate was learnt)."""
        return self._minhash_block(np.asarray(hashes, dtype=np.uint64), np.zeros(1, dtype=np.int64))

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """(n × bands) uint64 LSH keys of signatures from `signatures()` (the same for every process with
        the same settings and seed, before any `learn_common`)."""
        return self._band_keys(sig)

    def _band_keys(self, sig: np.ndarray) -> np.ndarray:
        """One 64-bit key per band: the band's `rows` values mixed into the band's own seed."""
        cube = sig[:, : self.bands * self.rows].reshape(sig.shape[0], self.bands, self.rows).astype(np.uint64)
        h = np.broadcast_to(self._band_seed, (sig.shape[0], self.bands)).copy()
        for c in range(self.rows):
            h ^= cube[:, :, c]
            h *= _MIX
        h ^= h >> np.uint64(29)
        return h

    # -- adding ---------------------------------------------------------------
    def add(self, id: Id, text: str, lat: Any = None, lon: Any = None, polluter: str = "", at: Any = None) -> None:
        """Add one complaint (checked against nothing: call `query` first to find its duplicates)."""
        self.add_many([id], [text], lats=[lat], lons=[lon], polluters=[polluter], ats=[at])

    def add_many(
        self,
        ids: Sequence[Id],
        texts: Sequence[str],
        *,
        lats: Iterable[Any] | None = None,
        lons: Iterable[Any] | None = None,
        polluters: Iterable[str] | None = None,
        ats: Iterable[Any] | None = None,
    ) -> None:
        """Add many complaints at once: MinHash of all their n-grams as vectorised computations, `CHUNK`
        texts at a time, the chunks spread over `workers` threads."""
        ids = list(ids)
        count = len(ids)
        if len(texts) != count:
            raise ValueError("ids and texts differ in length")
        distinct = set(ids)
        if len(distinct) != count or any(map(self._pos.__contains__, distinct)):  # (not isdisjoint: it walks the dict)
            seen = set()
            for id_ in ids:
                if id_ in self._pos or id_ in seen:
                    raise ValueError(f"id {id_!r} is already in the index")
                seen.add(id_)
        if count == 0:
            return
        self._reserve(count)
        s, e = self._n, self._n + count
        for c0, (sig, empty, hashes, counts) in self._prepared(texts):
            self._store(s + c0, sig, empty, hashes, counts)
        bulk = self._frozen == s and count > 256
        if bulk and self.workers > 1:
            # The keys are sorted (numpy, without the GIL) on another thread while this one reads the context.
            with ThreadPoolExecutor(1) as pool:
                frozen = pool.submit(self._freeze, e)
                self._add_context(s, e, lats, lons, polluters, ats)
                frozen.result()
        else:
            self._add_context(s, e, lats, lons, polluters, ats)
        self._pos.update(zip(ids, range(s, e), strict=True))
        self._ids.extend(ids)
        self._n = e
        if bulk:
            if self._frozen != e:
                self._freeze()
        else:
            for idx in range(s, e):
                if not self._empty[idx]:
                    for key in self._keys[idx].tolist():
                        self._recent.setdefault(key, []).append(idx)
            if len(self._recent) > max(4096, self._frozen * self.bands // 4):
                self._freeze()

    def _add_context(
        self,
        s: int,
        e: int,
        lats: Iterable[Any] | None,
        lons: Iterable[Any] | None,
        polluters: Iterable[str] | None,
        ats: Iterable[Any] | None,
    ) -> None:
        """Write the locations, times and polluter codes of positions s … e − 1."""
        count = e - s
        self._xyz[s:e] = _unit_vectors(
            _coords(lats) if lats is not None else np.full(count, math.nan),
            _coords(lons) if lons is not None else np.full(count, math.nan),
        )
        self._at[s:e] = _timestamps(ats) if ats is not None else math.nan
        if polluters is not None:
            names = [p or "" for p in polluters]
            codes = {name: self._pol_code(name) for name in set(names)}
            self._pol[s:e] = list(map(codes.__getitem__, names))
        else:
            self._pol[s:e] = 0

    def _prepare(self, texts: Sequence[str], threads: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(signatures, empty, n-gram hash sets or nothing, their sizes) of a chunk of texts."""
        sig, empty, hashes, counts = self._signatures(texts, threads)
        if self.exact:
            hashes, counts = _sorted_sets(hashes, counts)
        else:
            hashes, counts = hashes[:0].astype(np.uint32), np.zeros_like(counts)
        return sig, empty, hashes, counts

    def _prepared(self, texts: Sequence[str]) -> Iterable[tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]]:
        """(first position, `_prepare` result) per chunk of `CHUNK` texts, in order.

        A big load is cut into chunks so its temporary arrays stay small (a million texts at once would
        need several GB of n-gram arrays); the chunks run on `workers` threads, one chunk per thread.
        """
        starts = range(0, len(texts), self.CHUNK)
        if len(starts) == 1 or self.workers < 2:
            for c0 in starts:
                yield c0, self._prepare(texts[c0 : c0 + self.CHUNK], threads=True)
            return
        with ThreadPoolExecutor(self.workers) as pool:
            yield from zip(starts, pool.map(lambda c0: self._prepare(texts[c0 : c0 + self.CHUNK], False), starts), strict=True)

    def _store(self, s: int, sig: np.ndarray, empty: np.ndarray, hashes: np.ndarray, counts: np.ndarray) -> None:
        """Write prepared signatures, keys and n-gram sets at positions s, s + 1, …"""
        e = s + sig.shape[0]
        if self.exact:
            h0 = int(self._hoff[s])
            if self._hflat.size < h0 + hashes.size:
                grown = np.empty(max(2 * self._hflat.size, h0 + hashes.size), dtype=np.uint32)
                grown[:h0] = self._hflat[:h0]
                self._hflat = grown
            self._hflat[h0 : h0 + hashes.size] = hashes
            self._hoff[s + 1 : e + 1] = h0 + np.cumsum(counts)
        self._sig8[s:e] = sig.astype(np.uint8)  # the low 8 bits
        self._empty[s:e] = empty
        self._keys[s:e] = self._band_keys(sig)

    def _freeze(self, n: int | None = None) -> None:
        """Sort the band keys of the first `n` documents (default: all) for binary search; empties the dict of
        recent keys."""
        n = self._n if n is None else n
        live = np.flatnonzero(~self._empty[:n])
        keys = self._keys[live].ravel()
        idx = np.repeat(live, self.bands)
        order = np.argsort(keys)
        self._sorted_keys = keys[order]
        self._sorted_idx = idx[order]
        self._frozen = n
        self._recent = {}

    # -- scoring ----------------------------------------------------------------
    def _context(
        self, xyz1: np.ndarray, xyz2: np.ndarray, pol1: np.ndarray, pol2: np.ndarray, at1: np.ndarray, at2: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(Σ wᵢ·eᵢ, 1 + Σ wᵢ) over the signals known on both sides; score = (J + first) / second."""
        # location: great-circle distance from the chord between unit vectors (haversine without trigonometry per pair)
        chord = np.sqrt(((xyz1 - xyz2) ** 2).sum(axis=-1))
        dist = 2 * _EARTH_KM * np.arcsin(np.minimum(chord / 2, 1.0))
        known = ~np.isnan(dist)
        e_loc = 1.0 - 2.0 * np.clip((dist - self.near_km) / (self.far_km - self.near_km), 0.0, 1.0)
        num = np.where(known, self.w_loc * e_loc, 0.0)
        den = 1.0 + np.where(known, self.w_loc, 0.0)
        # polluter: the same normalised name agrees, two different names contradict
        known = (pol1 != 0) & (pol2 != 0)
        num += np.where(known, self.w_pol * np.where(pol1 == pol2, 1.0, -1.0), 0.0)
        den += np.where(known, self.w_pol, 0.0)
        # time: within the window agrees, beyond three windows contradicts
        days = np.abs(at1 - at2) / 86400.0
        known = ~np.isnan(days)
        e_time = 1.0 - 2.0 * np.clip((days - self.window_days) / (2 * self.window_days), 0.0, 1.0)
        num += np.where(known, self.w_time * e_time, 0.0)
        den += np.where(known, self.w_time, 0.0)
        return num, den

    def _score_idx(self, i: np.ndarray, j: np.ndarray, floor: float | None = None) -> np.ndarray:
        """Combined scores of stored pairs (i[k], j[k]), in chunks to bound memory.

        With `floor`, only pairs that can still reach it are scored completely (the others get 0): the
        estimated Jaccard must reach what the pair's context leaves to the text, less `exact_margin`;
        those near pairs get the exact Jaccard of their n-gram sets (when `exact`).
        """
        out = np.zeros(i.size, dtype=np.float64)
        gain = self.w_loc + self.w_pol + self.w_time
        loose = -1.0 if floor is None else floor * (1 + gain) - gain - (self.exact_margin if self.exact else 0.0)
        k = self.num_perm
        rows = self._sig8[: self._n].view(np.dtype((np.void, k))).ravel()  # one element per signature: fast gathers
        step = self.SCORE_CHUNK

        def chunk(s: int) -> None:  # writes out[s : s + step]: the chunks are independent
            a, b = i[s : s + step], j[s : s + step]
            jac = _bbit_jaccard(rows[a].view(np.uint8).reshape(-1, k), rows[b].view(np.uint8).reshape(-1, k))
            jac[self._empty[a] | self._empty[b]] = 0.0
            live = np.flatnonzero(jac >= loose)
            a, b, jac = a[live], b[live], jac[live]
            num, den = self._context(self._xyz[a], self._xyz[b], self._pol[a], self._pol[b], self._at[a], self._at[b])
            if self.exact:
                need = -np.inf if floor is None else floor * den - num
                near = np.flatnonzero(jac >= need - self.exact_margin)
                if near.size:
                    ha, la = _gather(self._hflat, self._hoff, a[near])
                    hb, lb = _gather(self._hflat, self._hoff, b[near])
                    jac[near] = _exact_jaccard(ha, la, hb, lb)
            out[s + live] = np.clip((jac + num) / den, 0.0, 1.0)

        starts = range(0, i.size, step)
        if self.workers > 1 and len(starts) > 1:  # numpy releases the GIL: the chunks run on `workers` threads
            with ThreadPoolExecutor(self.workers) as pool:
                list(pool.map(chunk, starts))
        else:
            for s in starts:
                chunk(s)
        return out

    def similarity(self, id_a: Id, id_b: Id) -> float:
        """The combined score of two stored complaints (symmetric; 1 for a complaint with itself)."""
        i, j = self._pos[id_a], self._pos[id_b]
        return float(self._score_idx(np.array([i]), np.array([j]))[0])

    # -- look-ups ---------------------------------------------------------------
    def _candidates(self, keys: np.ndarray) -> np.ndarray:
        parts: list[np.ndarray] = []
        if self._sorted_keys.size:
            lo = np.searchsorted(self._sorted_keys, keys, side="left")
            hi = np.searchsorted(self._sorted_keys, keys, side="right")
            parts.extend(self._sorted_idx[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a)
        if self._recent:
            for key in keys.tolist():
                hit = self._recent.get(key)
                if hit:
                    parts.append(np.asarray(hit, dtype=np.int64))
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(parts))

    def query(
        self,
        text: str,
        lat: Any = None,
        lon: Any = None,
        polluter: str = "",
        at: Any = None,
        k: int = 5,
        min_score: float | None = None,
    ) -> list[tuple[Id, float]]:
        """The `k` stored complaints most similar to this one, best first, with score ≥ `min_score` (default: threshold)."""
        sig, empty, hashes, _ = self._signatures([text])
        if empty[0] or self._n == 0:
            return []
        cand = self._candidates(self._band_keys(sig)[0])
        if cand.size == 0:
            return []
        jac = _bbit_jaccard(self._sig8[cand], sig[0].astype(np.uint8))
        jac[self._empty[cand]] = 0.0
        if self.exact:
            hb, lb = _gather(self._hflat, self._hoff, cand)
            hq = np.unique(hashes)
            jac = np.where(self._empty[cand], 0.0, _exact_jaccard(np.tile(hq, cand.size), np.full(cand.size, hq.size), hb, lb))
        m = cand.size
        num, den = self._context(
            _unit_vectors(np.full(m, _coord(lat)), np.full(m, _coord(lon))), self._xyz[cand],
            np.full(m, self._pol_codes.get(normalize_polluter(polluter), -1) if polluter else 0), self._pol[cand],
            np.full(m, _timestamp(at)), self._at[cand],
        )  # fmt: skip
        scores = np.clip((jac + num) / den, 0.0, 1.0)
        floor = self.threshold if min_score is None else min_score
        keep = scores >= floor
        cand, scores = cand[keep], scores[keep]
        order = np.lexsort((cand, -scores))[:k]
        return [(self._ids[int(cand[o])], float(scores[o])) for o in order]

    # -- the whole round --------------------------------------------------------
    def candidate_pairs(self, hot_bucket: int = 100, max_bucket: int = 5000) -> tuple[np.ndarray, np.ndarray]:
        """All index pairs (i < j) sharing a band key, without repeats.

        A bucket of more than `hot_bucket` complaints is usually a stock sentence that carries the minima
        of one band (say 庄稼叶子发黄枯萎, in 2 % of a round): its pairs grow with the square of the round.
        Such a bucket is split by the key of the next band, and only complaints sharing both keys are
        paired (a flood of copies of one text shares every band and stays together; two re-reports of one
        incident have the other bands to meet in).  A (sub-)bucket over `max_bucket` is skipped.
        """
        if self._frozen != self._n or self._recent:
            self._freeze()
        keys, idx = self._sorted_keys, self._sorted_idx
        if keys.size < 2:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        starts, sizes = _runs(keys)
        multi = sizes >= 2
        starts, sizes = starts[multi], sizes[multi]
        hot = sizes > hot_bucket
        codes = self._bucket_pairs(idx, starts[~hot], sizes[~hot], max_bucket)
        if hot.any():
            st, sz = starts[hot], sizes[hot]
            first = idx[st]
            band = np.argmax(self._keys[first] == keys[st][:, None], axis=1)  # the band each bucket belongs to
            pos = np.repeat(st - (np.cumsum(sz) - sz), sz) + np.arange(int(sz.sum()), dtype=np.int64)
            members = idx[pos]
            group = np.repeat(np.arange(st.size, dtype=np.int64), sz)
            sub = self._keys[members, (np.repeat(band, sz) + 1) % self.bands]
            order = np.lexsort((sub, group))
            members, sub, group = members[order], sub[order], group[order]
            cut = np.concatenate([[True], (sub[1:] != sub[:-1]) | (group[1:] != group[:-1])])
            sub_starts = np.flatnonzero(cut)
            sub_sizes = np.diff(np.concatenate([sub_starts, [members.size]]))
            keep = sub_sizes >= 2
            codes += self._bucket_pairs(members, sub_starts[keep], sub_sizes[keep], max_bucket)
        if not codes:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        n = np.int64(self._n)
        uniq, _ = _sorted_unique(np.concatenate(codes))
        uniq = uniq[(uniq // n) != (uniq % n)]
        return uniq // n, uniq % n

    def _bucket_pairs(self, idx: np.ndarray, starts: np.ndarray, sizes: np.ndarray, max_bucket: int) -> list[np.ndarray]:
        """Pair codes lo·n + hi of every pair inside the buckets idx[start : start + size]."""
        n = np.int64(self._n)
        codes: list[np.ndarray] = []
        for g in _sorted_unique(sizes)[0].tolist():
            if g > max_bucket:
                continue
            st = starts[sizes == g]
            ti, tj = np.triu_indices(g, 1)
            step = max(1, 2_000_000 // len(ti))
            for s in range(0, st.size, step):
                base = st[s : s + step, None]
                a = idx[base + ti[None, :]].ravel()
                b = idx[base + tj[None, :]].ravel()
                codes.append(np.minimum(a, b) * n + np.maximum(a, b))
        return codes

    def pair_indices(self, threshold: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, score) arrays of stored positions for every pair scoring ≥ threshold."""
        floor = self.threshold if threshold is None else threshold
        i, j = self.candidate_pairs()
        scores = self._score_idx(i, j, floor)
        keep = scores >= floor
        return i[keep], j[keep], scores[keep]

    def pairs(self, threshold: float | None = None) -> list[tuple[Id, Id, float]]:
        """Every duplicate pair of the round, best first, as (earlier id, later id, score)."""
        i, j, s = self.pair_indices(threshold)
        order = np.lexsort((j, i, -s))
        ids = self._ids
        return [
            (ids[a], ids[b], float(c)) for a, b, c in zip(i[order].tolist(), j[order].tolist(), s[order].tolist(), strict=True)
        ]

    def clusters(self, threshold: float | None = None) -> list[list[Id]]:
        """Groups of complaints linked by duplicate pairs (connected components of two or more), largest first."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        i, j, _ = self.pair_indices(threshold)
        if i.size == 0:
            return []
        graph = coo_matrix((np.ones(i.size, dtype=np.int8), (i, j)), shape=(self._n, self._n))
        _, labels = connected_components(graph, directed=False)
        order = np.argsort(labels, kind="stable")
        lab = labels[order]
        cuts = np.flatnonzero(lab[1:] != lab[:-1]) + 1
        groups = [g for g in np.split(order, cuts) if g.size >= 2]
        groups.sort(key=lambda g: (-g.size, int(g[0])))
        return [[self._ids[int(x)] for x in g] for g in groups]


def build_index_for_campaign(
    campaign: Any, *, exclude_statuses: Iterable[str] = ("invalid",), learn_from: int = 1000, **options: Any
) -> DedupIndex:
    """A DedupIndex over the complaints of one campaign (a round), loaded in one query.

    From `learn_from` complaints on, the round's boilerplate n-grams are learnt first (`learn_common`).
    Add later complaints with `index.add(...)`; rebuild now and then (e.g. nightly) to relearn.
    """
    from inspectorate.complaints.models import Complaint

    rows = list(
        Complaint.objects.filter(campaign=campaign)
        .exclude(status__in=list(exclude_statuses))
        .order_by("received_at", "id")
        .values_list("id", "text", "lat", "lon", "polluter_name", "received_at")
    )
    index = DedupIndex(**options)
    if rows:
        ids, texts, lats, lons, pols, ats = zip(*rows, strict=True)
        if len(texts) >= learn_from:
            index.learn_common(texts)
        index.add_many(ids, texts, lats=lats, lons=lons, polluters=pols, ats=ats)
    return index
