"""Issue 9, "Bad input": the duplicate engine and intake give a clear answer, never a server error.

Decisions, case by case:

=================================  ==========================================  ================================
input                              intake (API, pages, Open311)                engine (`dedup_store.similar`)
=================================  ==========================================  ================================
empty or one-character text        400, "may not be blank" / "at least 5"     no candidates
text of 20,000 characters          400, "at most 5000 characters" (zh and en)  the first 2,000 compared
missing coordinates                saved when an address is given              no place signal, no cell
coordinates outside China          400, "outside China" (zh and en)            no place signal, no cell
polluter name of punctuation only  saved, the name left empty (names nobody)   no polluter key
=================================  ==========================================  ================================
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from inspectorate.complaints import dedup_keys, dedup_score, dedup_store
from inspectorate.complaints.dedup import normalize
from inspectorate.complaints.models import Complaint, DedupKey

from .conftest import at, submit

TOLD_A = {
    "text": "长岭精细化工晚上往湖里排污，松阳湖的水都变黑了",
    "polluter_name": "长岭精细化工",
    "lat": 29.4601,
    "lon": 113.2801,
}
TOLD_B = {
    "text": "云溪区长岭街道一家化工厂每天半夜偷偷往松阳湖排废水",
    "polluter_name": "长岭精细化工有限公司",
    "lat": 29.462,
    "lon": 113.283,
}

PUNCTUATION = st.text(alphabet="，。！？、…—·《》“”()[]{}#@%&*+-=/\\|~^_ \t,.!?;:'\"", max_size=30)
TEXTS = st.one_of(
    st.just(""),
    st.text(max_size=1),
    PUNCTUATION,
    st.text(max_size=200),
    st.builds(lambda s, n: (s or "排污") * n, st.text(min_size=1, max_size=8), st.integers(1000, 4000)),  # ≥ 20,000 chars
    st.sampled_from([TOLD_A["text"], TOLD_B["text"]]),
)
COORD = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-90, 90),
    st.sampled_from([0.0, 29.46, 113.28, 40.7, -74.0, 91.0, 181.0]),
)
POLLUTERS = st.one_of(st.just(""), PUNCTUATION, st.text(max_size=60), st.sampled_from(["长岭精细化工", "恒达铝业"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t1=TEXTS, t2=TEXTS, la=COORD, lo=COORD, lb=COORD, lob=COORD, p1=POLLUTERS, p2=POLLUTERS)
def test_engine_answers_any_input(t1, t2, la, lo, lb, lob, p1, p2) -> None:
    """Features, scores and keys of any input: no error, scores in [0, 1] and symmetric, bad parts unknown."""
    a = dedup_score.features(t1, lat=la, lon=lo, polluter_name=p1)
    b = dedup_score.features(t2, lat=lb, lon=lob, polluter_name=p2)
    s = dedup_score.score(a, b)
    assert 0.0 <= s <= 1.0 and math.isclose(s, dedup_score.score(b, a))
    if len(normalize(t1)) < dedup_score.MIN_TEXT:
        assert s == 0.0
    keys = dedup_store.keys_for(t1, lat=la, lon=lo, polluter_name=p1)
    kinds = {k for k, _v in keys}
    assert ("c" in kinds) == dedup_keys.in_china(la, lo)
    if not dedup_keys._clean(p1):
        assert "p" not in kinds
    if not dedup_keys.in_china(la, lo):
        assert a.lat is None and a.lon is None
        assert not [k for k, _v in dedup_store.query_keys(t1, lat=la, lon=lo) if k == "c"]
    assert all(isinstance(v, int) and -(2**63) <= v < 2**63 for _k, v in keys)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXTS, la=COORD, lo=COORD, polluter=POLLUTERS)
def test_the_database_path_answers_any_input(world, text, la, lo, polluter) -> None:
    """`dedup_store.similar` against stored complaints: a list of (id, score), never an error."""
    if not Complaint.objects.exists():
        submit(world, **TOLD_A, received_at=at(3))
    hits = dedup_store.similar(world.campaign, text, lat=la, lon=lo, polluter_name=polluter, at=at(4))
    assert isinstance(hits, list) and all(0 <= s <= 1 for _i, s in hits)
    if len(normalize(text)) < dedup_score.MIN_TEXT:
        assert hits == []


def _post(world, lang, **patch):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_authenticate(world.inspector)
    body = {
        "campaign": world.campaign.code, "channel": "phone", "received_at": at(4).isoformat(), "address": "岳阳市云溪区",
        **TOLD_B, **patch,
    }  # fmt: skip
    return client.post("/api/v1/complaints/", {k: v for k, v in body.items() if v is not None}, format="json")


REFUSED = [
    ({"text": ""}, "text", "may not be blank", "不能为空"),
    ({"text": "水"}, "text", "at least 5", "至少"),
    ({"text": "！？"}, "text", "at least 5", "至少"),
    ({"text": "河水发黑" * 5000}, "text", "at most 5000", "5000"),
    ({"lat": 40.7, "lon": -74.0}, "lat", "outside China", "中国境外"),
    ({"lat": 0, "lon": 0}, "lat", "outside China", "中国境外"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("patch", "field", "en", "zh"), REFUSED)
def test_intake_refuses_with_a_bilingual_error(world, patch, field, en, zh):
    submit(world, **TOLD_A, received_at=at(3))
    for lang, words in (("en", en), ("zh-hans", zh)):
        r = _post(world, lang, **patch)
        assert r.status_code == 400, r.content
        assert words in " ".join(r.json()[field]), r.json()
    assert Complaint.objects.count() == 1  # nothing half-saved
    # The engine, asked directly with the same input, answers with a list (none for a text that says nothing).
    body = {**TOLD_B, **patch}
    hits = dedup_store.similar(world.campaign, body["text"], lat=body["lat"], lon=body["lon"], at=at(4))
    assert isinstance(hits, list)
    if field == "text" and len(body["text"]) < 10:
        assert hits == []
    if field == "lat":
        assert dedup_keys.cell(body["lat"], body["lon"]) is None


@pytest.mark.django_db
def test_missing_coordinates_are_saved_and_matched_without_place(world):
    a = submit(world, **TOLD_A, received_at=at(3))
    r = _post(world, "en", lat=None, lon=None)
    assert r.status_code == 201, r.content
    saved = Complaint.objects.get(pk=r.json()["id"])
    assert not DedupKey.objects.filter(complaint=saved, kind="c").exists()
    assert str(a.pk) in [h["id"] for h in r.json()["similar"]]  # the polluter and the words still find it
    # Neither coordinates nor address: a clear error.
    r = _post(world, "zh-hans", lat=None, lon=None, address="")
    assert r.status_code == 400 and "address" in r.json()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["……！！##", "/", "？？？", "——", "   "])
def test_a_polluter_name_of_punctuation_names_nobody(world, name):
    submit(world, **TOLD_A, received_at=at(3))
    r = _post(world, "en", polluter_name=name)
    assert r.status_code == 201, r.content
    saved = Complaint.objects.get(pk=r.json()["id"])
    assert saved.polluter_name == ""
    assert not DedupKey.objects.filter(complaint=saved, kind="p").exists()
    assert isinstance(r.json()["similar"], list)


@pytest.mark.django_db
def test_the_similar_endpoint_cuts_a_long_text_and_answers(world):
    a = submit(world, **TOLD_A, received_at=at(3))
    client = APIClient()
    client.force_authenticate(world.inspector)
    long_text = TOLD_A["text"] + "，" + "湖水发黑" * 5000
    r = client.post("/api/v1/complaints/similar/", {"campaign": world.campaign.code, "text": long_text}, format="json")
    assert r.status_code == 200 and str(a.pk) in [h["id"] for h in r.json()]
