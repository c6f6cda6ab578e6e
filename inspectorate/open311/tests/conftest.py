from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _clean_state(request, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Fresh media folder; keyword rules re-seeded where a transactional test flushed them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    names = request.fixturenames
    if "live_world" in names or "world" in names or "db" in names:
        request.getfixturevalue("transactional_db" if "live_world" in names else "db")
        from inspectorate.complaints import classify, routing
        from inspectorate.complaints.keywords import seed
        from inspectorate.complaints.models import KeywordRule

        if not KeywordRule.objects.exists():
            seed(KeywordRule)
        classify.forget()
        routing.forget_units()


def _open_now(campaign: Any) -> Any:
    """Move the cast campaign's stay around today, so intake is open whatever the date of the run."""
    from django.utils import timezone

    today = timezone.localdate()
    campaign.stationing_start = today - dt.timedelta(days=5)
    campaign.stationing_end = today + dt.timedelta(days=10)
    campaign.pre_notice_date = campaign.mobilisation_date = None
    campaign.save()
    return campaign


@pytest.fixture
def o311(world):  # type: ignore[no-untyped-def]
    _open_now(world.campaign)
    _open_now(world.other_campaign)
    return world


@pytest.fixture
def live_world(transactional_db):  # type: ignore[no-untyped-def]
    from inspectorate.testing.cast import World

    world = World.build()
    _open_now(world.campaign)
    _open_now(world.other_campaign)
    return world


def make_key(world: Any, name: str = "city app", *, campaigns: Any = None, rate_limit: int = 30) -> str:
    """An Open311 key for a client application, issued by the team leader (bound to the cast campaign by default)."""
    from inspectorate.open311.actions import create_key

    _key, plain = create_key(
        name=name,
        contact="12345 hotline office",
        campaigns=campaigns if campaigns is not None else [world.campaign],
        rate_limit=rate_limit,
        actor=world.admin if campaigns is not None else world.team_leader,
    )
    return plain


def make_user_token(user: Any, name: str = "personal token") -> str:
    """An ordinary user API token (these are not Open311 keys)."""
    from inspectorate.accounts.models import ApiToken, hash_token

    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name=name, prefix=key[:12], key_hash=hash_token(key))
    return key


@pytest.fixture
def schemas(shared_dir: Path) -> dict[str, Any]:
    """Validators for the official GeoReport v2 JSON Schemas, read from ../shared (never copied here)."""
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    folder = shared_dir / "open311" / "georeport-v2"
    registry: Registry = Registry()
    for path in folder.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(path.name, Resource.from_contents(contents, default_specification=DRAFT7))
    checker = Draft7Validator.FORMAT_CHECKER

    def validator(ref: str) -> Any:
        return Draft7Validator({"$ref": ref}, registry=registry, format_checker=checker)

    return {
        name: validator(name)
        for name in ("services.json", "service.json", "service-definition.json", "requests.json", "request.json")
    } | {"post": validator("swagger.json#/definitions/RequestResponse")}
