"""Migration meetings 0002: existing documents move from MEDIA_ROOT onto core's stored files."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import MeetingFactory, UserFactory

BEFORE = [("meetings", "0001_initial"), ("core", "0002_storedfile_job")]
AFTER = [("meetings", "0002_document_stored_file")]
CONTENT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_documents_move_to_private_storage(settings):
    meeting = MeetingFactory()
    person = UserFactory()
    try:
        old_apps = _migrate(BEFORE)
        OldDocument = old_apps.get_model("meetings", "Document")
        public = storages["default"]
        old_name = public.save(f"meetings/{meeting.pk}/abc/briefing.pdf", ContentFile(CONTENT))
        document = OldDocument.objects.create(
            meeting_id=meeting.pk,
            title="Briefing",
            file=old_name,
            original_name="briefing.pdf",
            content_type="application/pdf",
            size=len(CONTENT),
            uploaded_by_id=person.pk,
        )
        missing = OldDocument.objects.create(
            meeting_id=meeting.pk,
            title="Lost",
            file=f"meetings/{meeting.pk}/def/lost.docx",
            original_name="lost.docx",
            content_type="application/msword",
            size=99,
        )

        new_apps = _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Document = new_apps.get_model("meetings", "Document")
    moved = Document.objects.get(pk=document.pk)
    stored = moved.stored_file
    assert (stored.kind, stored.owner_id, stored.version) == ("meetings.document", str(moved.pk), 1)
    assert (stored.name, stored.content_type, stored.size) == (
        "briefing.pdf",
        "application/pdf",
        len(CONTENT),
    )
    assert stored.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert stored.created_by_id == person.pk
    private = storages["private"]
    with private.open(stored.file.name, "rb") as handle:
        assert handle.read() == CONTENT
    assert Path(private.path(stored.file.name)).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    # The old copy under MEDIA_ROOT is gone once the migration committed.
    assert not public.exists(old_name)
    # A document whose file was already missing keeps its row; its download stays a 404.
    lost = Document.objects.get(pk=missing.pk).stored_file
    assert (lost.name, lost.size, lost.sha256) == ("lost.docx", 99, "")
    assert not private.exists(lost.file.name)
