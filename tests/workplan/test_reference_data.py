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


# --- Arabic names ------------------------------------------------------------------------------

ARABIC = r"[\u0600-\u06ff]"
CSV_FILES = {
    REFERENCE.parents[1] / "core" / "reference" / "tor-objectives.csv": ["short_label", "text"],
    REFERENCE / "gcm-objectives.csv": ["short_label", "title"],
    REFERENCE / "gcm-guiding-principles.csv": ["principle"],
    REFERENCE / "sdg-targets.csv": ["wording"],
    REFERENCE / "thematic-areas.csv": ["label"],
}


@pytest.mark.parametrize("path", list(CSV_FILES), ids=lambda path: path.name)
def test_every_reference_row_has_an_arabic_name_with_its_status(path):
    import re

    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for column in CSV_FILES[path]:
            assert re.search(ARABIC, row[f"{column}_ar"]), (path.name, row)
        # "official": the UN's Arabic text; "needs_review": a careful translation to check.
        assert row["arabic_status"] in {"official", "needs_review"}, row


def test_reference_data_reads_in_the_readers_language():
    from django.utils import translation

    objective = ToRObjective.objects.get(number=1)
    gcm = GCMObjective.objects.get(number=10)
    area = ThematicArea.objects.get(code="trafficking")
    with translation.override("ar"):
        assert str(objective) == "1. البرمجة المشتركة"
        assert gcm.label == "القضاء على الاتجار بالأشخاص"
        assert str(area) == "الاتجار بالأشخاص"
        assert str(SDGTarget.objects.get(target="10.7")) == "الغاية 10.7"
    with translation.override("en"):
        assert str(objective) == "1. Joint programming"
        assert str(area) == "Trafficking in persons"


def test_the_reference_page_in_arabic_shows_the_arabic_names(client):
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=["agency_staff"], preferred_language="ar"))
    page = client.get(reverse("workplan:reference")).content.decode()

    assert "تيسير الهجرة وتنقل الأشخاص" in page  # SDG 10.7
    assert "جمع بيانات دقيقة ومصنفة" in page  # GCM objective 1
    assert "Joint programming" not in page
    assert "Facilitate orderly, safe" not in page
