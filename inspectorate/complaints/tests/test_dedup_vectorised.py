"""The fast check (`dedup_store.similar`: candidate rows through one plain query, scored as arrays by
`dedup_score.score_many`) gives what the per-pair path gives: the same scores, bit for bit, and the same
hits (ids, scores, order) as the ORM query scored pair by pair (`_reference_similar`, the earlier code)."""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

import pytest
from django.db import connection

from bench.retellings import Report, labelled_pairs
from inspectorate.complaints import dedup_score, dedup_store
from inspectorate.complaints.models import Complaint, ComplaintStatus

from .conftest import at

START = dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)
OTHER_TYPES = [(), ("water",), ("air",), ("other",), ("water", "noise"), None]


def _reports() -> list[Report]:
    return [r for a, b, _same in labelled_pairs(n_dup=120, n_neg=120) for r in (a, b)]


def _columns(others: list[dedup_score.Features], stored: list[tuple[Any, ...]]) -> dict[str, Any]:
    """`score_many`'s columns of features built from `stored` (text, enterprise, types, lat, lon, time)."""
    return {
        "grams": [o.grams for o in others], "words": [" ".join(sorted(o.words)) for o in others],
        "polluters": [o.polluter for o in others], "texts": [s[0] for s in stored], "enterprises": [s[1] for s in stored],
        "types": [s[2] for s in stored], "lats": [s[3] for s in stored], "lons": [s[4] for s in stored],
        "ats": [s[5] for s in stored],
    }  # fmt: skip


def test_score_many_equals_the_pair_score_on_the_labelled_set() -> None:
    for a, b, _same in labelled_pairs():
        me = dedup_score.features(b.text, lat=b.lat, lon=b.lon, polluter_name=b.polluter_name, types=b.types,
                                  at=START + dt.timedelta(days=b.day))  # fmt: skip
        other = dedup_score.features(a.text, lat=a.lat, lon=a.lon, polluter_name=a.polluter_name, types=a.types,
                                     at=START + dt.timedelta(days=a.day))  # fmt: skip
        cols = _columns([other], [(a.text, None, a.types, a.lat, a.lon, START + dt.timedelta(days=a.day))])
        assert dedup_score.score_many(me, **cols).tolist() == [dedup_score.score(me, other)]


def test_score_many_equals_the_pair_score_on_random_pairs() -> None:
    """Every signal known or not on either side: locations missing or outside China, enterprises, types,
    times, polluter keys (or only mentioned in the other's text), empty texts."""
    rng = random.Random(7)
    reports = _reports()
    enterprises = ["", "e1", "e2"]

    def draw(r: Report) -> tuple[dedup_score.Features, tuple[str, Any, Any]]:
        text = r.text if rng.random() > 0.05 else rng.choice(["", "水", "！？"])
        lat, lon = rng.choice([(r.lat, r.lon), (r.lat, r.lon), (None, None), (40.7, -74.0), (r.lat + 0.02, r.lon)])
        ent = rng.choice(enterprises)
        types = rng.choice(OTHER_TYPES)
        when = rng.choice([None, START + dt.timedelta(days=r.day, hours=rng.uniform(-900, 900))])
        name = rng.choice([r.polluter_name, r.polluter_name, "", "恒达铝业"])
        f = dedup_score.features(text, lat=lat, lon=lon, polluter_name=name, enterprise=ent, types=types or (), at=when)
        stored = dedup_score.from_stored(text, f.grams.tobytes(), " ".join(sorted(f.words)), f.polluter, lat=lat, lon=lon,
                                         enterprise=ent, types=types or (), at=when)  # fmt: skip
        return stored, (text, ent or None, types, lat, lon, when)

    checked = 0
    for _ in range(60):
        me, _stored = draw(rng.choice(reports))
        drawn = [draw(rng.choice(reports)) for _ in range(100)]
        others = [d[0] for d in drawn]
        want = [dedup_score.score(me, o) for o in others]
        got = dedup_score.score_many(me, **_columns(others, [d[1] for d in drawn])).tolist()
        assert got == want  # the same operations in the same order: equal floats, not only close ones
        checked += sum(w > 0 for w in want)
    assert checked > 1000


def _reference_similar(campaign: Any, text: str, *, lat: Any = None, lon: Any = None, polluter_name: str = "",
                       enterprise: Any = None, types: Any = (), at: dt.datetime, k: int = 5, exclude: Any = None,
                       min_score: float | None = None) -> tuple[list[tuple[str, float]], list[tuple]]:  # fmt: skip
    """`similar` as it was: candidates through the ORM, each scored pair by pair with `row_features` and `score`
    (and the candidate rows)."""
    me = dedup_score.features(text, lat=lat, lon=lon, polluter_name=polluter_name, enterprise=enterprise, types=types, at=at)
    if not me.grams.size:
        return [], []
    keys = dedup_store.query_keys(text, lat=me.lat, lon=me.lon, polluter_name=polluter_name, enterprise=enterprise)
    floor = dedup_score.THRESHOLD if min_score is None else min_score
    by_kind: dict[str, set[int]] = {}
    for kind, key in keys:
        by_kind.setdefault(kind, set()).add(key)
    sql, params = dedup_store._key_query(campaign, by_kind, at)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = [Complaint._meta.pk.to_python(row[0]) for row in cursor.fetchall()]  # type: ignore[union-attr]
    qs = Complaint.objects.filter(pk__in=ranked).exclude(status=ComplaintStatus.INVALID)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    place = {pk: n for n, pk in enumerate(ranked)}
    rows = sorted(qs.values_list(*dedup_store._COLUMNS), key=lambda row: place[row[0]])[: dedup_store.MAX_CANDIDATES]
    others = [dedup_store.row_features(r) for r in rows]
    js = dedup_score.jaccards(me.grams, [o.grams for o in others]).tolist()
    hits = []
    for row, other, j in zip(rows, others, js, strict=True):
        s = dedup_score.score(me, other, j)
        if s >= floor:
            hits.append((str(row[0]), round(s, 3)))
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits[:k], rows


@pytest.mark.django_db
def test_similar_gives_what_the_pair_by_pair_path_gave(world):
    """Generated complaints stored with their keys (some invalid, some stored before the score's features, some
    with an enterprise and types): for each check the same hits, and `candidates` gives the ORM's rows."""
    rng = random.Random(11)
    reports = _reports()
    enterprises = [None, world.enterprise_a.pk, world.enterprise_b.pk]
    stored = []
    for n, r in enumerate(reports[:360]):
        c = Complaint.objects.create(
            campaign=world.campaign, channel="phone", text=r.text, polluter_name=r.polluter_name,
            lat=r.lat if n % 17 else None, lon=r.lon if n % 17 else None, intake_day=at(3).date(),
            received_at=at(3) + dt.timedelta(days=r.day % 20, minutes=n), polluter_id=rng.choice(enterprises),
            pollution_types=list(rng.choice(OTHER_TYPES) or ()),
            status=ComplaintStatus.INVALID if n % 23 == 0 else ComplaintStatus.RECEIVED,
            **dedup_store.stored_features(r.text, r.polluter_name),
        )  # fmt: skip
        dedup_store.write_keys(c, new=True)
        stored.append(c)
    legacy = [c.pk for c in stored[::13]]
    Complaint.objects.filter(pk__in=legacy).update(dedup_grams=None, dedup_words="", dedup_polluter="")
    compared = hits = 0
    for n, r in enumerate(reports[300:]):
        kw = {
            "lat": r.lat, "lon": r.lon, "polluter_name": r.polluter_name if n % 5 else "",
            "enterprise": enterprises[n % 3], "types": r.types if n % 2 else (),
            "at": at(3) + dt.timedelta(days=r.day % 20, hours=n % 24),
        }  # fmt: skip
        itself = stored[300 + n] if 300 + n < len(stored) else stored[n]  # a stored one is its own best match
        for extra in ({}, {"k": 100, "min_score": 0.0}, {"k": 100, "min_score": 0.0, "exclude": str(itself.pk)}):
            want, rows = _reference_similar(world.campaign, r.text, **kw, **extra)
            assert dedup_store.similar(world.campaign, r.text, **kw, **extra) == want
            keys = dedup_store.query_keys(r.text, lat=r.lat, lon=r.lon, polluter_name=kw["polluter_name"],
                                          enterprise=kw["enterprise"])  # fmt: skip
            assert dedup_store.candidates(world.campaign, keys, at=kw["at"], exclude=extra.get("exclude")) == rows
            compared += len(want)
            hits += bool(want) and not extra
    assert compared > 2000 and hits > 20


def test_band_keys_from_the_grams_equal_those_from_the_text() -> None:
    """`dedup_store.band_keys` signs the n-gram set the score computed; the keys are those of the text's own pass
    (the keys in the database were written that way), short and empty texts included."""
    index = dedup_score.minhash()

    def from_text(text: str) -> tuple[int, ...]:
        sig, empty = index.signatures([(text or "")[: dedup_score.MAX_TEXT]])
        return () if empty[0] else tuple(int(k) for k in index.band_keys(sig)[0].view("int64").tolist())

    texts = [r.text for r in _reports()[:200]] + ["", "水", "！？", "油烟", "油烟大", "油烟很大", "ab c", "叉" * 5000]
    texts += [t * 30 for t in texts[:5]]  # beyond MAX_TEXT
    for text in texts:
        dedup_store.band_keys.cache_clear()
        assert dedup_store.band_keys(text) == from_text(text)
    assert dedup_store.band_keys("油烟大") != ()  # under MIN_TEXT: no grams, keys all the same


def test_the_segmenting_thread_is_made_anew_in_a_forked_child() -> None:
    """A forked child (a pre-forking server's worker) does not inherit the parent's thread: it gets its own."""
    assert dedup_store._segmenter().submit(int, "1").result(timeout=10) == 1
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        code = 1
        try:
            code = 0 if dedup_store._segmenter().submit(int, "2").result(timeout=10) == 2 else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
