"""Meeting documents, stored through Django's storage API."""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError

from ..models import Document

# PDF, Office documents (and their OpenDocument equivalents), plain text and images.
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
# The first bytes of the formats whose content is easy to recognise: a file called .pdf must be one.
MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
}


def check_upload(upload):
    """The reason an uploaded file is refused, or None: type by extension and content, size."""
    extension = PurePath(upload.name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        return _("This type of file is not accepted. Upload a PDF, an Office document or an image.")
    if upload.size > settings.MAX_UPLOAD_SIZE:
        return _("The file is too big (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
        }
    if upload.size == 0:
        return _("The file is empty.")
    signatures = MAGIC.get(extension)
    if signatures:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(signatures):
            return _("The file's content does not match its type (%(ext)s).") % {"ext": extension}
    return None


def document_upload(*, meeting, upload, title, by, agenda_item=None):
    problem = check_upload(upload)
    if problem:
        raise DomainError(problem)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError(_("This agenda item belongs to another meeting."))
    extension = PurePath(upload.name).suffix.lower()
    with transaction.atomic():
        document = Document(
            meeting=meeting,
            agenda_item=agenda_item,
            title=(title or PurePath(upload.name).stem)[:200],
            original_name=PurePath(upload.name).name[:255],
            content_type=ALLOWED_EXTENSIONS.get(extension)
            or mimetypes.guess_type(upload.name)[0]
            or "application/octet-stream",
            size=upload.size,
            uploaded_by=by,
        )
        document.file.save(upload.name, upload, save=False)
        # A file written without its row would be an orphan: remove it if the row fails.
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        audit.record("meetings.document.uploaded", actor=by, obj=document, meeting=meeting.pk)
    return document


def document_delete(*, document, by):
    with transaction.atomic():
        audit.record(
            "meetings.document.deleted", actor=by, obj=document, meeting=document.meeting_id
        )
        storage, name = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))
