"""Agenda items carried over from action points before titles were worded when shown.

An item whose title still reads as the portal wrote it ("Action point: …", in English or Arabic)
becomes a generated item, worded in each reader's language; one a co-chair retitled stays as is.
"""

import zoneinfo

from django.db import migrations

PREFIXES = ("Action point: ", "نقطة عمل: ")


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    ActionPoint = apps.get_model("meetings", "ActionPoint")
    Network = apps.get_model("core", "Network")
    network = Network.objects.filter(pk=1).first()
    tzinfo = zoneinfo.ZoneInfo(network.time_zone if network else "UTC")
    items = AgendaItem.objects.filter(source="action_point", generated_kind="")
    for item in items.iterator():
        prefix = next((p for p in PREFIXES if item.title.startswith(p)), None)
        if prefix is None or not item.source_key.startswith("action:"):
            continue
        try:
            action_id = int(item.source_key.split(":", 1)[1])
        except ValueError:
            continue
        action = (
            ActionPoint.objects.select_related("meeting", "owner_organisation", "owner_person")
            .filter(pk=action_id)
            .first()
        )
        if action is None:
            continue
        owner = action.owner_organisation or action.owner_person
        owner_label = ""
        if action.owner_organisation is not None:
            owner_label = action.owner_organisation.acronym or action.owner_organisation.name
        elif owner is not None:
            owner_label = owner.full_name or owner.email
        item.generated_kind = "meetings.action_point"
        item.generated_params = {
            "text": item.title[len(prefix) :],
            "meeting": action.meeting.title,
            "meeting_date": action.meeting.starts_at.astimezone(tzinfo).date().isoformat(),
            "owner": owner_label,
        }
        item.save(update_fields=["generated_kind", "generated_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("meetings", "0008_agenda_item_generated_text"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
