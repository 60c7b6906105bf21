"""Meeting documents: their files are core's stored files, kept in private storage."""

from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.files import stored_file_delete, stored_file_save
from core.uploads import check_upload, content_type_of

from ..models import Document

STORED_FILE_KIND = "meetings.document"


def document_upload(*, meeting, upload, title, by, agenda_item=None):
    problem = check_upload(upload)
    if problem:
        raise DomainError(problem)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError(_("This agenda item belongs to another meeting."))
    with transaction.atomic():
        document = Document(
            meeting=meeting,
            agenda_item=agenda_item,
            title=(title or PurePath(upload.name).stem)[:200],
            uploaded_by=by,
        )
        # The stored file belongs to the document row; made first, it is linked in the same
        # transaction (a failure rolls both back, and stored_file_save removes its blob).
        document.stored_file = stored_file_save(
            content=upload,
            name=PurePath(upload.name).name,
            content_type=content_type_of(upload),
            kind=STORED_FILE_KIND,
            owner=None,
            by=by,
        )
        document.save()
        stored = document.stored_file
        stored.owner = document
        stored.save(update_fields=["owner_type", "owner_id"])
        audit.record("meetings.document.uploaded", actor=by, obj=document, meeting=meeting.pk)
    return document


def document_delete(*, document, by):
    with transaction.atomic():
        audit.record(
            "meetings.document.deleted", actor=by, obj=document, meeting=document.meeting_id
        )
        stored = document.stored_file
        document.delete()
        stored_file_delete(stored_file=stored)


def can_download_document(user, stored_file):
    """core:file_download asks this for "meetings.document": whoever may see the meeting."""
    return Document.objects.visible_to(user).filter(stored_file_id=stored_file.pk).exists()
