"""Agenda items carried over from decisions before titles were worded when shown.

An item whose title still reads as the portal wrote it ("Decision …: …", "Draft decision: …", in
English or Arabic) becomes a generated item, worded in each reader's language; one a co-chair
retitled stays as is.
"""

import re

from django.db import migrations

OPEN_PREFIXES = ("Decision ", "القرار ")
DRAFT_PREFIXES = ("Draft decision: ", "مشروع قرار: ")
DECISION_URL = re.compile(r"/decisions/(\d+)/$")


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Decision = apps.get_model("decisions", "Decision")
    items = AgendaItem.objects.filter(source="decision", generated_kind="")
    for item in items.iterator():
        match = DECISION_URL.search(item.source_url)
        if match is None:
            continue
        decision = Decision.objects.filter(pk=int(match.group(1))).first()
        if decision is None:
            continue
        params = {
            "reference": decision.reference,
            "title": decision.title,
            "deadline": decision.deadline.isoformat() if decision.deadline else "",
            "procedure": decision.procedure,
        }
        draft = next((p for p in DRAFT_PREFIXES if item.title.startswith(p)), None)
        if draft is not None:
            kind, params["title"] = "decisions.draft", item.title[len(draft) :]
        else:
            opened = next(
                (
                    p
                    for p in OPEN_PREFIXES
                    if decision.reference and item.title.startswith(f"{p}{decision.reference}: ")
                ),
                None,
            )
            if opened is None:
                continue
            kind = "decisions.open"
            params["title"] = item.title[len(f"{opened}{decision.reference}: ") :]
        item.generated_kind = kind
        item.generated_params = params
        item.save(update_fields=["generated_kind", "generated_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0005_merge_reminder_search"),
        ("meetings", "0008_agenda_item_generated_text"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
