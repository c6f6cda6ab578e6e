from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from inspectorate.complaints.classify import suggest
from inspectorate.complaints.labelled import evaluate
from inspectorate.complaints.models import KeywordRule

pytestmark = pytest.mark.django_db


def test_precision_recall_on_labelled_set():
    score, _misses = evaluate()
    print(f"classification: precision {score.precision:.3f} recall {score.recall:.3f} sector {score.sector_accuracy:.3f}")
    assert score.n >= 40
    assert score.precision >= 0.9
    assert score.recall >= 0.9
    assert score.sector_accuracy >= 0.8


def test_command_prints_figures():
    out = io.StringIO()
    call_command("classification_report", stdout=out)
    assert "precision" in out.getvalue() and "recall" in out.getvalue()


def test_dictionary_is_editable():
    assert suggest("这里有很浓的沼气味道").pollution_types == ["other"]
    KeywordRule.objects.create(term="沼气", language="zh", pollution_type="air", weight=1.0)
    # no forget(): the save moved the dictionary's version stamp, which every use compares
    assert suggest("这里有很浓的沼气味道").pollution_types == ["air"]
    assert "noise" in suggest("Loud noise at night from the quarry").pollution_types
