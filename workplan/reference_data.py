"""The workplan's reference data (GCM, SDG, thematic areas) from workplan/reference/*.csv.

The ToR objectives are the network's own: core.reference_data.
"""

import csv
from pathlib import Path

from core.reference_data import with_translations

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _rows(name):
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_reference_data(apps, schema_editor=None):
    """Create or update every reference row from the CSV files (never retyped); idempotent."""
    GCMObjective = apps.get_model("workplan", "GCMObjective")
    GCMGuidingPrinciple = apps.get_model("workplan", "GCMGuidingPrinciple")
    SDGTarget = apps.get_model("workplan", "SDGTarget")
    ThematicArea = apps.get_model("workplan", "ThematicArea")

    for row in _rows("gcm-objectives.csv"):
        GCMObjective.objects.update_or_create(
            number=int(row["number"]),
            defaults=with_translations(
                GCMObjective, row, {"short_label": row["short_label"], "title": row["title"]}
            ),
        )
    for row in _rows("gcm-guiding-principles.csv"):
        GCMGuidingPrinciple.objects.update_or_create(
            order=int(row["order"]),
            defaults=with_translations(GCMGuidingPrinciple, row, {"principle": row["principle"]}),
        )
    for row in _rows("sdg-targets.csv"):
        SDGTarget.objects.update_or_create(
            target=row["target"],
            defaults=with_translations(
                SDGTarget,
                row,
                {"goal": int(row["target"].split(".")[0]), "wording": row["wording"]},
            ),
        )
    for order, row in enumerate(_rows("thematic-areas.csv"), start=1):
        ThematicArea.objects.update_or_create(
            code=row["code"],
            defaults=with_translations(ThematicArea, row, {"label": row["label"], "order": order}),
        )


def seed_after_migrate(sender, apps=None, **kwargs):
    """Puts the reference data back after a flush (transactional tests flush every table).

    `apps` is the state the migrations left: a partial `migrate` may not have created the tables.
    """
    if apps is None:
        from django.apps import apps
    try:
        apps.get_model("workplan", "ThematicArea")
    except LookupError:
        return
    seed_reference_data(apps)
