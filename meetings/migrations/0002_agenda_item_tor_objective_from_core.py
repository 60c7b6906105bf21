"""Agenda items point at the network's one list of ToR objectives (core.ToRObjective)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_objectives(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    CoreObjective = apps.get_model("core", "ToRObjective")
    for objective in CoreObjective.objects.all():
        AgendaItem.objects.filter(tor_objective=objective.number).update(
            core_tor_objective=objective
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_torobjective"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="core_tor_objective",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.torobjective",
                verbose_name="ToR objective",
            ),
        ),
        migrations.RunPython(copy_objectives, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="agendaitem", name="agenda_item_tor_objective_1_8"),
        migrations.RemoveField(model_name="agendaitem", name="tor_objective"),
        migrations.RenameField(
            model_name="agendaitem", old_name="core_tor_objective", new_name="tor_objective"
        ),
    ]
