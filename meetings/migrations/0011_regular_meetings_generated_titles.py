"""Regular meetings the schedule titled before titles were worded when shown.

A regular meeting still titled as the portal wrote it ("Regular meeting — <month year>", in
English or Arabic, the month being its own) gets its title worded in each reader's language; one
a co-chair retitled stays as is.
"""

import zoneinfo

from django.db import migrations

PREFIXES = ("Regular meeting — ", "اجتماع عادي — ")


def forwards(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Network = apps.get_model("core", "Network")
    network = Network.objects.filter(pk=1).first()
    tzinfo = zoneinfo.ZoneInfo(network.time_zone if network else "UTC")
    for meeting in Meeting.objects.filter(kind="regular", generated_kind="").iterator():
        local = meeting.starts_at.astimezone(tzinfo)
        prefix = next((p for p in PREFIXES if meeting.title.startswith(p)), None)
        if prefix is None or not meeting.title.endswith(str(local.year)):
            continue
        meeting.generated_kind = "meetings.regular_meeting"
        meeting.generated_params = {"month": local.date().replace(day=1).isoformat()}
        meeting.save(update_fields=["generated_kind", "generated_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("meetings", "0010_meeting_generated_title"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
