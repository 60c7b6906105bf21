"""Meeting documents move onto core's stored files, in private storage.

Each document's blob is copied from the default storage (MEDIA_ROOT) to the private storage, a
StoredFile row is made with its checksum, and the old FileField goes. The old blobs are removed
only once the migration has committed. Runs on SQLite and PostgreSQL (plain ORM, no SQL).
"""

import hashlib
import uuid
from pathlib import PurePath

import django.db.models.deletion
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, models, transaction


def move_files(apps, schema_editor):
    Document = apps.get_model("meetings", "Document")
    StoredFile = apps.get_model("core", "StoredFile")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    owner_type, _created = ContentType.objects.using(db).get_or_create(
        app_label="meetings", model="document"
    )
    public = storages["default"]
    private = storages["private"]
    moved = []
    for document in Document.objects.using(db).order_by("pk"):
        old_name = document.file.name if document.file else ""
        key = uuid.uuid4()
        name = PurePath(document.original_name or old_name or "document").name
        content = b""
        found = bool(old_name) and public.exists(old_name)
        if found:
            with public.open(old_name, "rb") as handle:
                content = handle.read()
        stored = StoredFile(
            uuid=key,
            name=name[:255],
            content_type=document.content_type or "application/octet-stream",
            size=len(content) if found else document.size,
            # An unknown checksum is left empty when the blob was already missing.
            sha256=hashlib.sha256(content).hexdigest() if found else "",
            kind="meetings.document",
            owner_type=owner_type,
            owner_id=str(document.pk),
            version=1,
            created_by_id=document.uploaded_by_id,
        )
        path = f"meetings/document/{key.hex}/{name}"
        if found:
            path = private.save(path, ContentFile(content))
            moved.append(old_name)
        stored.file.name = path
        stored.save(using=db)
        StoredFile.objects.using(db).filter(pk=stored.pk).update(created_at=document.created_at)
        document.stored_file_id = stored.pk
        document.save(update_fields=["stored_file"])

    def remove_old():
        for old_name in moved:
            public.delete(old_name)

    transaction.on_commit(remove_old, using=db)
    if schema_editor.connection.vendor == "postgresql":
        # The rows written above leave deferred foreign-key checks pending; PostgreSQL refuses to
        # ALTER the table below while they are ("pending trigger events"): run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_storedfile_job"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="stored_file",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="file",
            ),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="document", name="file"),
        migrations.RemoveField(model_name="document", name="original_name"),
        migrations.RemoveField(model_name="document", name="content_type"),
        migrations.RemoveField(model_name="document", name="size"),
        migrations.AlterField(
            model_name="document",
            name="stored_file",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="file",
            ),
        ),
    ]
