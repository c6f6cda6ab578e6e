"""`run_deadlines` covers both clocks — case replies and the rectification ledger — and is idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_run_deadlines_covers_cases_and_ledger_and_is_idempotent():
    from inspectorate.complaints.models import DeadlineWarning
    from inspectorate.rectification.models import TaskWarning

    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("run_deadlines", stdout=out)
    text = out.getvalue()
    assert "open cases" in text and "rectification ledger" in text
    cases, ledger = DeadlineWarning.objects.count(), TaskWarning.objects.count()
    assert cases > 0 and ledger > 0
    call_command("run_deadlines", stdout=io.StringIO())
    assert (DeadlineWarning.objects.count(), TaskWarning.objects.count()) == (cases, ledger)
