"""The objectives of the network's Terms of Reference, from core/reference/tor-objectives.csv."""

import csv
from pathlib import Path

TOR_OBJECTIVES_CSV = Path(__file__).resolve().parent / "reference" / "tor-objectives.csv"


def with_translations(model, row, defaults):
    """`defaults` plus the CSV's `<field>_<language>` columns the model (at this migration) has.

    Older migrations seed through the same function with models that have no such field yet.
    """
    fields = {field.name for field in model._meta.get_fields()}
    extra = {
        column: value
        for column, value in row.items()
        if column in fields and column not in defaults and column.rsplit("_", 1)[0] in defaults
    }
    return {**defaults, **extra}


def seed_tor_objectives(apps, schema_editor=None):
    """Create or update the ToR objectives from the CSV file (never retyped); idempotent."""
    ToRObjective = apps.get_model("core", "ToRObjective")
    with TOR_OBJECTIVES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ToRObjective.objects.update_or_create(
                number=int(row["number"]),
                defaults=with_translations(
                    ToRObjective, row, {"short_label": row["short_label"], "text": row["text"]}
                ),
            )


def seed_after_migrate(sender, apps=None, **kwargs):
    """Puts the objectives back after a flush (transactional tests flush every table).

    `apps` is the state the migrations left: a partial `migrate` may not have created the table.
    """
    if apps is None:
        from django.apps import apps
    try:
        apps.get_model("core", "ToRObjective")
    except LookupError:
        return
    seed_tor_objectives(apps)
