"""Duplicate candidates from the database: the same answer in every process.

At intake every complaint's look-up keys are written to `DedupKey` (one row per key, indexed on
campaign, kind and key) in the transaction that stores the complaint:

* ``b``: the LSH band keys of its text's MinHash signature (`dedup.DedupIndex` with fixed seed and
  bands, so every process computes the same keys; no learnt boilerplate, which would differ);
* ``p``: its polluter key (`dedup_keys.polluter_key`), ``e``: the registry enterprise routing found;
* ``c``: its ~1 km grid cell (`dedup_keys.cell`).

With the keys, intake stores what the score needs of the complaint (`stored_features`: its 3-gram
hashes, canonical words and polluter key, in `Complaint.dedup_grams / dedup_words / dedup_polluter`),
so the candidates are scored from stored columns without segmenting their texts again.

A new complaint's keys (with the eight neighbouring cells) are looked up in one query; cell matches
count only within `WINDOW_DAYS` of its time (a busy street would otherwise propose everything).  The
candidates (under each key the `PER_KEY` nearest in time before the complaint and after it, then at most
`MAX_CANDIDATES` of those sharing the most keys, the nearest in time first among equals: see `candidates`) come
in the same query, with only the columns the score reads (`_candidate_rows`, a plain cursor), and are scored all
at once by `dedup_score.score_many` (equal to `dedup_score.score` of each pair); the new complaint's words are
segmented on a thread while the query waits for the database.  Nearest in time, not most recent: a complaint
checked again later (a re-triage, an import of an earlier day's calls) meets the reports of its own days, not
the stock phrases of the latest ones (at 1,000,000 complaints the most recent 20 per key held only 44 % of the
planted duplicates of complaints checked at random points of the year; nearest in time, all of them).
`backfill()` writes the keys and stored features of complaints stored before they existed (migrations
0005 and 0006 and the `dedup_keys` management command).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np
from django.db.models import Field, Q

from inspectorate.core import rawsql

from . import dedup_keys, dedup_score

__all__ = [
    "backfill", "candidates", "complaint_features", "keys_for", "keys_for_many", "query_keys", "similar",
    "stored_features", "write_keys",
]  # fmt: skip

WINDOW_DAYS = 14
PER_KEY = 10  # on each side of the new complaint's time
MAX_CANDIDATES = 50


@functools.lru_cache(maxsize=256)  # a pure function of the text: intake asks twice (check, then store)
def band_keys(text: str) -> tuple[int, ...]:
    index = dedup_score.minhash()
    text = (text or "")[: dedup_score.MAX_TEXT]
    grams = dedup_score.grams(text)  # the score computed (or will compute) them: the same n-gram set, no text pass
    if grams.size:
        sig = index.signature_of(grams)
    else:  # under MIN_TEXT characters: no grams for the score, but keys all the same
        sig, empty = index.signatures([text])
        if empty[0]:
            return ()
    return tuple(int(k) for k in index.band_keys(sig)[0].view("int64").tolist())


def keys_for(
    text: str, *, lat: Any = None, lon: Any = None, polluter_name: str = "", enterprise: Any = None
) -> list[tuple[str, int]]:
    """The (kind, key) pairs stored for one complaint."""
    out = [("b", k) for k in band_keys(text)]
    pkey = dedup_keys.polluter_key(polluter_name or "")
    if pkey:
        out.append(("p", dedup_keys.key64("p", pkey)))
    if enterprise:
        out.append(("e", dedup_keys.key64("e", str(enterprise))))
    c = dedup_keys.cell(lat, lon)
    if c is not None:
        out.append(("c", dedup_keys.key64("c", dedup_keys.cell_name(c))))
    return out


def keys_for_many(
    texts: Sequence[str],
    *,
    lats: Sequence[Any],
    lons: Sequence[Any],
    polluter_names: Sequence[str],
    enterprises: Sequence[Any],
) -> list[list[tuple[str, int]]]:
    """`keys_for` of many complaints at once (the text bands as one vectorised computation): the same keys."""
    index = dedup_score.minhash()
    sig, empty = index.signatures([(t or "")[: dedup_score.MAX_TEXT] for t in texts])
    bands = index.band_keys(sig).view("int64").tolist()
    out = []
    for k, name in enumerate(polluter_names):
        row = [] if empty[k] else [("b", key) for key in bands[k]]
        pkey = dedup_keys.polluter_key(name or "")
        if pkey:
            row.append(("p", dedup_keys.key64("p", pkey)))
        if enterprises[k]:
            row.append(("e", dedup_keys.key64("e", str(enterprises[k]))))
        c = dedup_keys.cell(lats[k], lons[k])
        if c is not None:
            row.append(("c", dedup_keys.key64("c", dedup_keys.cell_name(c))))
        out.append(row)
    return out


def query_keys(
    text: str, *, lat: Any = None, lon: Any = None, polluter_name: str = "", enterprise: Any = None
) -> list[tuple[str, int]]:
    """The keys to look up for a new complaint: its own, with the neighbouring cells."""
    out = list(keys_for(text, polluter_name=polluter_name, enterprise=enterprise))
    out += [("c", dedup_keys.key64("c", dedup_keys.cell_name(c))) for c in dedup_keys.cells_around(lat, lon)]
    return out


def stored_features(text: str, polluter_name: str) -> dict[str, Any]:
    """The `Complaint` field values intake stores for the score (see the module docstring)."""
    return {
        "dedup_grams": dedup_score.grams(text).astype("<u4").tobytes(),
        "dedup_words": " ".join(sorted(dedup_keys.words((text or "")[: dedup_score.MAX_TEXT]))),
        "dedup_polluter": dedup_keys.polluter_key(polluter_name or ""),
    }


def write_keys(complaint: Any, *, new: bool = False) -> int:
    """Store the look-up keys of one saved complaint (replacing earlier ones unless it is `new`); returns how many."""
    from .models import DedupKey

    if not new:
        DedupKey.objects.filter(complaint=complaint).delete()
    rows = [
        DedupKey(
            complaint=complaint, campaign_id=complaint.campaign_id, kind=kind, key=key, received_at=complaint.received_at
        )
        for kind, key in dict.fromkeys(
            keys_for(
                complaint.text, lat=complaint.lat, lon=complaint.lon,
                polluter_name=complaint.polluter_name, enterprise=complaint.polluter_id,
            )
        )
    ]  # fmt: skip
    DedupKey.objects.bulk_create(rows)
    return len(rows)


_COLUMNS = (
    "pk", "text", "dedup_grams", "dedup_words", "dedup_polluter", "lat", "lon", "polluter_id", "pollution_types",
    "received_at", "polluter_name",
)  # fmt: skip


def _key_query(campaign: Any, by_kind: dict[str, set[int]], at: dt.datetime) -> tuple[str, list[Any]]:
    """SQL (and params) of the ranked candidates, rows of (complaint id, keys shared, seconds from `at`): under each
    key the `PER_KEY` complaints nearest in time before `at` and the `PER_KEY` nearest after it (two index ranges
    each); ranked by how many keys they share, then by how near in time, then by id; the first `MAX_CANDIDATES`
    (and a margin for the invalid and the excluded, which the caller drops)."""
    from django.db import connection

    from .models import DedupKey

    q = connection.ops.quote_name
    meta = DedupKey._meta
    at_field = meta.get_field("received_at")
    window = dt.timedelta(days=WINDOW_DAYS)
    lo, at_, hi = (at_field.get_db_prep_value(t, connection) for t in (at - window, at, at + window))
    campaign_id = meta.get_field("campaign").target_field.get_db_prep_value(campaign.pk, connection)  # type: ignore[union-attr]
    cid, kcol, kind_col, acol, ccol = (q(c) for c in ("campaign_id", "key", "kind", "received_at", "complaint_id"))
    table = q(meta.db_table)
    postgres = connection.vendor == "postgresql"
    if postgres:
        seconds = f"ABS(EXTRACT(EPOCH FROM ({acol} - %s)))"
    else:  # SQLite: days as a double (a microsecond is ~1e-11 of a day: the same order as the seconds)
        seconds = f"ABS(julianday({acol}) - julianday(%s)) * 86400"
    ranked = f"GROUP BY {ccol} ORDER BY 2 DESC, 3 ASC, 1 LIMIT {MAX_CANDIDATES + 20}"
    head = f"SELECT {ccol}, COUNT(*) AS {q('shared')}, MIN({seconds}) AS {q('apart')}"

    def sides(kind: str, key: str, cell: str) -> str:
        """The two index ranges of one key (`kind`, `key`: SQL of its values; `cell`: SQL true for a cell key)."""
        where = f"{cid} = %s AND {kind_col} = {kind} AND {kcol} = {key}"
        before = f"{acol} <= %s AND (NOT ({cell}) OR {acol} >= %s) ORDER BY {acol} DESC LIMIT {PER_KEY}"
        after = f"{acol} > %s AND (NOT ({cell}) OR {acol} <= %s) ORDER BY {acol} ASC LIMIT {PER_KEY}"
        return (
            f"SELECT * FROM (SELECT {ccol}, {acol} FROM {table} WHERE {where} AND {before}) b"  # noqa: S608
            f" UNION ALL SELECT * FROM (SELECT {ccol}, {acol} FROM {table} WHERE {where} AND {after}) a"
        )

    side_params = [campaign_id, at_, lo, campaign_id, at_, hi]
    if postgres:
        # The keys as two arrays and one LATERAL subquery: planned once, not once per key (planning 30 subqueries
        # took twice as long as running them).
        pairs = [(kind, key) for kind in sorted(by_kind) for key in sorted(by_kind[kind])]
        lateral = sides("wanted.kind", "wanted.key", "wanted.kind = 'c'")
        wanted = "unnest(%s::varchar[], %s::bigint[]) AS wanted(kind, key)"
        sql = f"{head} FROM {wanted} CROSS JOIN LATERAL ({lateral}) shared {ranked}"
        # The two arrays as array literals (one string each: the driver adapts no list element by element).
        kinds, values = (",".join(str(x) for x in column) for column in zip(*pairs, strict=True))
        return sql, [at_, "{" + kinds + "}", "{" + values + "}", *side_params]
    parts: list[str] = []
    params: list[Any] = []
    for kind in sorted(by_kind):
        for key in sorted(by_kind[kind]):
            # Only quoted identifiers and constants are formatted in; every value is a parameter.
            parts.append(f"SELECT * FROM ({sides('%s', '%s', '1' if kind == 'c' else '0')}) k{len(parts)}")  # noqa: S608
            params += [campaign_id, kind, key, at_, lo, campaign_id, kind, key, at_, hi]
    union = " UNION ALL ".join(parts)
    return f"{head} FROM ({union}) shared {ranked}", [at_, *params]


class Needs(NamedTuple):
    """What the score of one new complaint reads of its candidates beyond their stored features (`similar`)."""

    mentions: bool  # it names a polluter: the texts of candidates that name none (is it mentioned there?)
    enterprise: bool  # routing matched it to a registry enterprise: the candidates' enterprises
    types: bool  # the classifier gave it pollution types: the candidates' types


def _candidate_rows(
    campaign: Any,
    keys: Iterable[tuple[str, int]],
    *,
    at: dt.datetime,
    exclude: Any = None,
    epoch: bool = False,
    needs: Needs | None = None,
) -> list[tuple]:
    """The rows of `candidates` as the database driver returns them (`_convert` makes a column what the ORM
    would give): one query, the key query as a subquery, through a plain cursor (no queryset to compile, no
    field converters on columns the score may not need) that sends the values apart from the statement on
    PostgreSQL (`rawsql.bound_cursor`).  With `epoch`, on PostgreSQL, `received_at` comes as whole microseconds
    since the epoch (exact; reading a timestamp with its time zone costs more than the query).  With `needs`,
    a column the score will not read comes as NULL: the text only where the stored features are missing or
    the new complaint's polluter may be mentioned in it, the polluter name only where the features are missing,
    the enterprise and the types only when the new complaint has them (a text is most of a row's bytes)."""
    from django.db import connection

    from .models import Complaint, ComplaintStatus

    by_kind: dict[str, set[int]] = {}
    for kind, key in keys:
        by_kind.setdefault(kind, set()).add(key)
    if not by_kind:
        return []
    sql, params = _key_query(campaign, by_kind, at)
    q = connection.ops.quote_name
    table = q(Complaint._meta.db_table)
    pk, status, received = (f"{table}.{q(_field(name).column)}" for name in ("pk", "status", "received_at"))
    columns = [f"{table}.{q(_field(name).column)}" for name in _COLUMNS]
    if epoch and connection.vendor == "postgresql":
        columns[_COLUMNS.index("received_at")] = f"(EXTRACT(EPOCH FROM {received}) * 1000000)::bigint"
    if needs is not None:
        text, grams, pkey, name = (columns[_COLUMNS.index(c)] for c in ("text", "dedup_grams", "dedup_polluter", "polluter_name"))
        unscored = f"{grams} IS NULL" + (f" OR COALESCE({pkey}, '') = ''" if needs.mentions else "")
        columns[_COLUMNS.index("text")] = f"CASE WHEN {unscored} THEN {text} END"
        columns[_COLUMNS.index("polluter_name")] = f"CASE WHEN {grams} IS NULL THEN {name} END"
        for column, needed in (("polluter_id", needs.enterprise), ("pollution_types", needs.types)):
            if not needed:
                columns[_COLUMNS.index(column)] = "NULL"
    # The keys are the campaign's (the key query filters on it); filtering the campaign again here would let
    # SQLite walk all of the campaign's complaints and test each against the list instead of looking the ids up.
    where = f"NOT ({status} = %s)"
    params.append(ComplaintStatus.INVALID.value)
    if exclude is not None:
        where += f" AND NOT ({pk} = %s)"
        params.append(_field("pk").get_db_prep_value(exclude, connection))
    shared, apart, ranked_id = (f"ranked.{q(c)}" for c in ("shared", "apart", "complaint_id"))
    # Only quoted identifiers and constants are formatted in; every value is a parameter.
    query = (
        f"SELECT {', '.join(columns)} FROM {table} JOIN ({sql}) ranked ON {pk} = {ranked_id} WHERE {where}"  # noqa: S608
        f" ORDER BY {shared} DESC, {apart} ASC, {pk} ASC LIMIT {MAX_CANDIDATES}"
    )
    with rawsql.bound_cursor(connection) as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _field(name: str) -> Field:
    """The `Complaint` field of a `_COLUMNS` name."""
    from .models import Complaint

    field = Complaint._meta.pk if name == "pk" else Complaint._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _convert(name: str) -> Callable[[Any], Any]:
    """The ORM's conversion of a `_COLUMNS` column read through a plain cursor (backend and field converters)."""
    from django.db import connection

    fn = rawsql.column_converter(_field(name), connection)
    return (lambda value: fn(value, connection)) if fn else _same


def _same(value: Any) -> Any:
    return value


def candidates(campaign: Any, keys: Iterable[tuple[str, int]], *, at: dt.datetime, exclude: Any = None) -> list[tuple]:
    """Complaints of the campaign (not invalid) sharing a key, as rows of `_COLUMNS`, best ranked first.

    Each key contributes the `PER_KEY` complaints nearest in time before `at` and the `PER_KEY` nearest after it
    (a hot key, such as the band of a stock phrase, would otherwise bring thousands and crowd out the rare keys
    that mean something); of those, the `MAX_CANDIDATES` that share the most keys (a near-copy shares many bands,
    a retelling its cell and polluter; a chance match one key), the nearest in time first among equals, are scored.
    """
    rows = _candidate_rows(campaign, keys, at=at, exclude=exclude)
    convert = [_convert(name) for name in _COLUMNS]
    return [tuple(fn(v) for fn, v in zip(convert, row, strict=True)) for row in rows]


def row_features(row: Sequence[Any]) -> dedup_score.Features:
    """The features of a candidate row: what intake stored, or (for a row stored without them) its text."""
    _pk, text, grams, words, pkey, lat, lon, enterprise, types, at, polluter_name = row
    if grams is None:
        return dedup_score.features(
            text, lat=lat, lon=lon, polluter_name=polluter_name, enterprise=enterprise, types=types or (), at=at
        )
    return dedup_score.from_stored(
        text, bytes(grams), words, pkey, lat=lat, lon=lon, enterprise=enterprise, types=types or (), at=at
    )


def complaint_features(complaint: Any) -> dedup_score.Features:
    """`row_features` of a loaded complaint."""
    return row_features(tuple(getattr(complaint, name) for name in _COLUMNS))


_SEGMENTER: tuple[int, ThreadPoolExecutor] | None = None


def _segmenter() -> ThreadPoolExecutor:
    """A thread of this process that segments the new complaint's words (jieba: pure Python, most of the check's
    own work) while the query waits for the database without the GIL; made anew in a forked child."""
    global _SEGMENTER
    if _SEGMENTER is None or _SEGMENTER[0] != os.getpid():
        _SEGMENTER = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="dedup-words"))
    return _SEGMENTER[1]


def similar(
    campaign: Any,
    text: str,
    *,
    lat: Any = None,
    lon: Any = None,
    polluter_name: str = "",
    enterprise: Any = None,
    types: Iterable[str] = (),
    at: dt.datetime,
    k: int = 5,
    exclude: Any = None,
    min_score: float | None = None,
) -> list[tuple[str, float]]:
    """[(complaint id, score)] best first, from every complaint stored so far in the database."""
    from django.db import connection

    compared = (text or "")[: dedup_score.MAX_TEXT]
    if not dedup_score.grams(compared).size:
        return []
    keys = query_keys(text, lat=lat, lon=lon, polluter_name=polluter_name, enterprise=enterprise)
    floor = dedup_score.THRESHOLD if min_score is None else min_score
    epoch = connection.vendor == "postgresql"
    types = tuple(types)
    needs = Needs(
        mentions=bool(dedup_keys.polluter_key(polluter_name or "")), enterprise=bool(enterprise),
        types=any(t and t != "other" for t in types),
    )  # fmt: skip
    # Submitted once the keys are made: started earlier, the thread took the GIL from them (pure Python both).
    segmented = _segmenter().submit(dedup_keys.words, compared)  # while the database looks the candidates up
    rows = _candidate_rows(campaign, keys, at=at, exclude=exclude, epoch=epoch, needs=needs)
    segmented.result()  # `features` finds the words in `dedup_keys.words`'s cache
    me = dedup_score.features(text, lat=lat, lon=lon, polluter_name=polluter_name, enterprise=enterprise, types=types, at=at)
    if not rows:
        return []
    pks, texts, grams_, words_, pkeys, lats, lons, enterprises, kinds, ats, names = (list(c) for c in zip(*rows, strict=True))
    grams: list[Any] = grams_
    words: list[Any] = words_
    for row, g in enumerate(grams):
        if g is None:  # stored before the score's features were: from its text (as `row_features`)
            f = dedup_score.features(texts[row], polluter_name=names[row])
            grams[row], words[row], pkeys[row] = f.grams, f.words, f.polluter
        else:
            grams[row] = np.frombuffer(g, dtype="<u4")
    to_at, to_enterprise, to_types, to_pk = (_convert(n) for n in ("received_at", "polluter_id", "pollution_types", "pk"))
    scores = dedup_score.score_many(
        me, grams, words, pkeys, texts=texts, lats=lats, lons=lons,
        ats=np.array(ats, dtype=np.int64) / 1_000_000 if epoch else [to_at(a) for a in ats],  # as .timestamp(): exact
        enterprises=[to_enterprise(e) for e in enterprises] if me.enterprise else None,
        types=[to_types(t) for t in kinds] if me.types else None,
    ).tolist()  # fmt: skip
    hits = [(str(to_pk(pks[row])), round(s, 3)) for row, s in enumerate(scores) if s >= floor]
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits[:k]


def backfill(campaign: Any = None, batch: int = 500) -> int:
    """Write the keys and stored features of every complaint that lacks them (all campaigns, or one);
    returns how many complaints.  Works in chunks of `batch`: one transaction, a bulk update of the features,
    the keys of the whole chunk computed at once (`keys_for_many`) and written in one insert."""
    from django.db import transaction

    from .models import Complaint, DedupKey

    qs = Complaint.objects.filter(~Q(pk__in=DedupKey.objects.values("complaint_id")) | Q(dedup_grams__isnull=True))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    columns = ("pk", "campaign_id", "text", "lat", "lon", "polluter_name", "polluter_id", "received_at")
    done = 0
    stream = qs.order_by("received_at", "pk").values_list(*columns).iterator(chunk_size=batch)
    while rows := list(itertools.islice(stream, batch)):
        pks, campaigns, texts, lats, lons, names, enterprises, times = zip(*rows, strict=True)
        keys = keys_for_many(texts, lats=lats, lons=lons, polluter_names=names, enterprises=enterprises)
        with transaction.atomic():
            updated = []
            for pk, text, name in zip(pks, texts, names, strict=True):
                c = Complaint(pk=pk)
                for field, value in stored_features(text, name).items():
                    setattr(c, field, value)
                updated.append(c)
            Complaint.objects.bulk_update(updated, ["dedup_grams", "dedup_words", "dedup_polluter"])
            DedupKey.objects.filter(complaint_id__in=pks).delete()
            DedupKey.objects.bulk_create(
                [
                    DedupKey(complaint_id=pk, campaign_id=camp, kind=kind, key=key, received_at=at)
                    for pk, camp, at, own in zip(pks, campaigns, times, keys, strict=True)
                    for kind, key in dict.fromkeys(own)
                ],
                batch_size=2000,
            )
        done += len(rows)
    return done
