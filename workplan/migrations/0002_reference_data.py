"""Seeds the reference data from the CSV files in workplan/reference/ (never retyped)."""

from django.db import migrations

from workplan.reference_data import seed_reference_data


class Migration(migrations.Migration):
    dependencies = [("workplan", "0001_initial")]

    operations = [migrations.RunPython(seed_reference_data, migrations.RunPython.noop)]
