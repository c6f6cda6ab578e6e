from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _keywords(request):  # type: ignore[no-untyped-def]
    """The dictionary comes from a data migration; transactional (browser) tests flush it, so re-seed it."""
    names = request.fixturenames
    if "live_world" in names or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "world" in names or "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from inspectorate.complaints.keywords import seed
    from inspectorate.complaints.models import KeywordRule

    if not KeywordRule.objects.exists():
        seed(KeywordRule)
    from inspectorate.complaints import classify, routing

    classify.forget()
    routing.forget_units()
    from django.core.cache import cache

    cache.clear()  # the public form's per-address submission counter


@pytest.fixture(autouse=True)
def _fresh(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
