"""Background entry points (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_flags_task(campaign_code: str | None = None) -> dict[str, int]:
    from inspectorate.campaigns.models import Campaign

    from .fakecheck import compute_flags

    campaign = Campaign.objects.get(code=campaign_code) if campaign_code else None
    return compute_flags(campaign)


@task()
def deadlines_task() -> dict[str, int]:
    from .deadlines import run

    return run()
