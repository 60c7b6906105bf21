"""A guest's access to a meeting is their guest invitation: the object grants stored alongside
it by django-guardian are no longer read, so they are removed rather than left to drift."""

from django.db import migrations


def remove_meeting_grants(apps, schema_editor):
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    UserObjectPermission.objects.filter(
        content_type__app_label="meetings",
        content_type__model="meeting",
        permission__codename="view_meeting",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_agenda_item_tor_objective_from_core"),
        ("guardian", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(remove_meeting_grants, migrations.RunPython.noop)]
