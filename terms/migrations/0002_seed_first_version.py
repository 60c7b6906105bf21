"""The Terms of Reference the network started from become version 1.

The text is `terms/reference/terms-of-reference-bahrain.txt`: the signed ToR of the UN Migration
Network in Bahrain (docs/reference/), with the PDF extraction's artefacts removed and its headings
marked. The document states no approval date ("effective as soon as approved"); it records that
the Network was launched at a UNCT meeting in September 2020, so version 1 is dated 1 September
2020. A platform admin corrects the date in the Django admin if the signed copy says otherwise.
"""

from datetime import date
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "reference" / "terms-of-reference-bahrain.txt"
EFFECTIVE_ON = date(2020, 9, 1)


def seed(apps, schema_editor):
    TermsVersion = apps.get_model("terms", "TermsVersion")
    if TermsVersion.objects.exists():
        return
    TermsVersion.objects.create(
        number=1,
        text=SEED.read_text(encoding="utf-8"),
        effective_on=EFFECTIVE_ON,
        is_current=True,
    )


class Migration(migrations.Migration):
    dependencies = [("terms", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
