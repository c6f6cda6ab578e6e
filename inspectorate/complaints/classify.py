"""Suggest pollution types and a sector from complaint text with the editable keyword dictionary.

Chinese text is segmented with jieba (the dictionary's terms are added to jieba's word list so
that they come out whole); English is matched on lower-cased words. Suggestions are only
suggestions: staff confirm them (`confirm_classification`).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from inspectorate.core import stamps

from .models import KeywordRule

_WORD = re.compile(r"[a-z][a-z\-]+")
_lock = threading.Lock()
_jieba_ready: set[str] = set()


@dataclass
class Dictionary:
    zh: dict[str, list[tuple[str, str, float]]] = field(default_factory=lambda: defaultdict(list))
    en: dict[str, list[tuple[str, str, float]]] = field(default_factory=lambda: defaultdict(list))
    stamp: str = ""


_cache: dict[str, Dictionary] = {}


def load_dictionary(force: bool = False) -> Dictionary:
    """The active dictionary, kept in this process and rebuilt when its version stamp has moved: an edit
    anywhere (admin, seed) bumps the stamp, and every process sees that on its next use (`core.stamps`)."""
    (stamp,) = stamps.current(stamps.KEYWORDS)
    cached = _cache.get("d")
    if cached is not None and cached.stamp == stamp and not force:
        return cached
    d = Dictionary(stamp=stamp)
    for term, lang, ptype, sector, weight in KeywordRule.objects.filter(active=True).values_list(
        "term", "language", "pollution_type", "sector", "weight"
    ):
        target = d.zh if lang == KeywordRule.Language.ZH else d.en
        target[term.strip().lower()].append((ptype, sector, weight))
    _register_jieba_words(d.zh.keys())
    _cache["d"] = d
    return d


_jieba: Any = None


def _tokenizer() -> Any:
    """jieba, its dictionary loaded once per process (at first use, not per call or at import)."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def _register_jieba_words(words: object) -> None:
    jieba = _tokenizer()
    with _lock:
        for w in words:  # type: ignore[attr-defined]
            if w not in _jieba_ready:
                jieba.add_word(w, freq=200000)
                _jieba_ready.add(w)


def forget() -> None:
    _cache.clear()


def tokens(text: str) -> tuple[set[str], set[str]]:
    """(Chinese tokens, English words) of the text."""
    lowered = (text or "").lower()
    zh = {t.strip() for t in _tokenizer().lcut(lowered, HMM=False) if t.strip()}
    en = set(_WORD.findall(lowered))
    return zh, en


@dataclass
class Suggestion:
    pollution_types: list[str]
    sector: str
    scores: dict[str, float]
    matched: list[str]


def suggest(text: str, threshold: float = 1.0) -> Suggestion:
    d = load_dictionary()
    zh, en = tokens(text)
    type_scores: dict[str, float] = defaultdict(float)
    sector_scores: dict[str, float] = defaultdict(float)
    matched: list[str] = []
    for term_set, table in ((zh, d.zh), (en, d.en)):
        for term in term_set:
            for ptype, sector, weight in table.get(term, ()):
                matched.append(term)
                if ptype:
                    type_scores[ptype] += weight
                if sector:
                    sector_scores[sector] += weight
    types = sorted(t for t, s in type_scores.items() if s >= threshold)
    sector = max(sector_scores.items(), key=lambda kv: (kv[1], kv[0]))[0] if sector_scores else ""
    return Suggestion(types or ["other"], sector, dict(type_scores), sorted(set(matched)))


# DOMAIN.md §10: a retaliation complaint is a key case.
KEY_HINTS = ("打击报复", "报复", "威胁举报人", "retaliat")


def suggest_key(text: str) -> bool:
    lowered = (text or "").lower()
    return any(h in lowered for h in KEY_HINTS)
