"""Open311 POST accepts an Idempotency-Key (beyond GeoReport v2): a resend after a lost answer files nothing twice."""

from __future__ import annotations

import json

from django.test import Client

from inspectorate.complaints.models import Complaint

from .conftest import make_key
from .test_open311 import V2, good_form


def test_same_key_same_body_answers_the_first_request_and_other_body_is_refused(o311) -> None:  # type: ignore[no-untyped-def]
    key = make_key(o311)
    client = Client()
    first = client.post(V2 + "/requests.json", good_form(o311, key), HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(V2 + "/requests.json", good_form(o311, key), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 200, again.content
    ids = {json.loads(r.content)[0]["service_request_id"] for r in (first, again)}
    assert len(ids) == 1 and Complaint.objects.filter(pk__in=ids).count() == 1
    changed = good_form(o311, key, description="另一件事：工地夜间施工噪声扰民")
    other = client.post(V2 + "/requests.json", changed, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and "Idempotency-Key" in json.loads(other.content)[0]["description"]
    unkeyed = [client.post(V2 + "/requests.json", good_form(o311, key)) for _ in range(2)]
    assert len({json.loads(r.content)[0]["service_request_id"] for r in unkeyed}) == 2
