"""The reference data is seeded by a data migration from the CSV files shipped with the app."""

import csv
from pathlib import Path

import pytest

from core.models import ToRObjective
from workplan.models import GCMGuidingPrinciple, GCMObjective, SDGTarget, ThematicArea

REFERENCE = Path(__file__).resolve().parents[2] / "workplan" / "reference"

pytestmark = pytest.mark.django_db


def test_reference_data_counts_after_migrating():
    assert ToRObjective.objects.count() == 8
    assert GCMObjective.objects.count() == 23
    assert GCMGuidingPrinciple.objects.count() == 10
    assert SDGTarget.objects.count() == 10
    assert ThematicArea.objects.count() == 6


def test_reference_rows_match_the_csv_files():
    with (REFERENCE / "gcm-objectives.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [o.number for o in GCMObjective.objects.all()] == list(range(1, 24))
    for row in rows:
        objective = GCMObjective.objects.get(number=int(row["number"]))
        assert objective.short_label == row["short_label"]
        assert objective.title == row["title"]
    assert ToRObjective.objects.get(number=7).short_label == "Resource mobilisation"
    assert SDGTarget.objects.get(target="10.7").goal == 10
    assert list(ThematicArea.objects.values_list("code", flat=True)) == [
        "trafficking",
        "migration-development",
        "labour-migration",
        "health",
        "covid19",
        "other",
    ]
    assert GCMGuidingPrinciple.objects.get(order=1).principle == "People-centred"


def test_sdg_targets_are_ordered_by_goal():
    goals = list(SDGTarget.objects.values_list("goal", flat=True))
    assert goals == sorted(goals)


@pytest.mark.django_db(transaction=True)
def test_reference_data_comes_back_after_the_tables_are_flushed():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert ToRObjective.objects.count() == 8
    assert GCMObjective.objects.count() == 23
