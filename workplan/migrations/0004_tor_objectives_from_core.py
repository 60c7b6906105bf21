"""Deliverables point at the network's one list of ToR objectives (core.ToRObjective)."""

from django.db import migrations, models


def copy_links(apps, schema_editor):
    Deliverable = apps.get_model("workplan", "Deliverable")
    CoreObjective = apps.get_model("core", "ToRObjective")
    by_number = dict(CoreObjective.objects.values_list("number", "pk"))
    old = Deliverable.tor_objectives.through
    new = Deliverable.core_tor_objectives.through
    new.objects.bulk_create(
        [
            new(deliverable_id=deliverable_id, torobjective_id=by_number[number])
            for deliverable_id, number in old.objects.values_list(
                "deliverable_id", "torobjective__number"
            )
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_torobjective"),
        ("workplan", "0003_workplan_endorsed_by_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliverable",
            name="core_tor_objectives",
            field=models.ManyToManyField(related_name="+", to="core.torobjective"),
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="deliverable", name="tor_objectives"),
        migrations.DeleteModel(name="ToRObjective"),
        migrations.RenameField(
            model_name="deliverable", old_name="core_tor_objectives", new_name="tor_objectives"
        ),
        migrations.AlterField(
            model_name="deliverable",
            name="tor_objectives",
            field=models.ManyToManyField(
                related_name="deliverables", to="core.torobjective", verbose_name="ToR objectives"
            ),
        ),
    ]
