"""Calendar-feed tokens are stored as SHA-256 digests, like invitation tokens.

The existing tokens are hashed in place, so the feed addresses people have subscribed to keep
working. A token cannot be recovered from its digest: migrating back deletes the tokens (people
then create their feed address again).
"""

import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    CalendarToken = apps.get_model("meetings", "CalendarToken")
    for token in CalendarToken.objects.only("pk", "token").iterator():
        CalendarToken.objects.filter(pk=token.pk).update(
            token_hash=hashlib.sha256(token.token.encode()).hexdigest()
        )


def forget_tokens(apps, schema_editor):
    apps.get_model("meetings", "CalendarToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="calendartoken", name="token"),
        migrations.AlterField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        # Backwards, this runs first: the old column cannot be filled from digests.
        migrations.RunPython(migrations.RunPython.noop, forget_tokens, elidable=False),
    ]
