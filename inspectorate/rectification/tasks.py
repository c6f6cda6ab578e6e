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


@task()
def export_ledger_task(username: str, query: str = "") -> str:
    """Export a (filtered, scoped) ledger in the background; returns the stored file's name in default storage.

    `query` is the list's query string (e.g. "campaign=c2-4-chinalco&status=closed").
    """
    import tempfile

    from django.core.files import File
    from django.core.files.storage import default_storage
    from django.http import QueryDict
    from django.utils import timezone

    from inspectorate.accounts.models import User
    from inspectorate.accounts.scoping import restrict

    from .filters import TaskFilter
    from .ledger import write_ledger
    from .models import Task

    user = User.objects.get(username=username)
    qs = TaskFilter(QueryDict(query), queryset=restrict(Task.objects.all(), user, "view")).qs
    with tempfile.TemporaryFile() as fh:
        write_ledger(qs, fh)
        fh.seek(0)
        return default_storage.save(f"exports/ledger-{username}-{timezone.now():%Y%m%d%H%M%S}.xlsx", File(fh))
