from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh(tmp_path, settings):  # type: ignore[no-untyped-def]
    from inspectorate.complaints import similarity

    settings.MEDIA_ROOT = tmp_path / "media"
    similarity.forget()
    yield
    similarity.forget()
