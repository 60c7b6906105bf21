"""What files the portal accepts as uploads: one list, its help text, and a check by content.

The content is sniffed with `filetype` (PyPI, pure Python, no system library): it reads the first
bytes and recognises PDF, images, the OOXML and OpenDocument zips and the legacy OLE Office files.
We chose it over python-magic, which needs libmagic in every image and CI run, and over our own
table of magic bytes, which could not tell a .docx from any other zip.

Plain text and CSV are not accepted: they have no signature to check, so any content would pass
for them (issue 12 §5: "PDF, Office documents or images").
"""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How many bytes filetype needs to see (its own constant; Office zips need the first local entry).
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    # What filetype answers for such content (its `extension`); several for the OLE formats,
    # which filetype names by the application that wrote them.
    detected: tuple


ALLOWED_TYPES = (
    FileType(".pdf", "application/pdf", ("pdf",)),
    FileType(
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    FileType(
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    FileType(
        ".pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    FileType(".doc", "application/msword", ("doc",)),
    FileType(".xls", "application/vnd.ms-excel", ("xls",)),
    FileType(".ppt", "application/vnd.ms-powerpoint", ("ppt",)),
    FileType(".odt", "application/vnd.oasis.opendocument.text", ("odt",)),
    FileType(".ods", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
    FileType(".odp", "application/vnd.oasis.opendocument.presentation", ("odp",)),
    FileType(".png", "image/png", ("png",)),
    FileType(".jpg", "image/jpeg", ("jpg",)),
    FileType(".jpeg", "image/jpeg", ("jpg",)),
    FileType(".gif", "image/gif", ("gif",)),
    FileType(".webp", "image/webp", ("webp",)),
)
BY_EXTENSION = {entry.extension: entry for entry in ALLOWED_TYPES}


def accept_attribute():
    """The `accept` attribute of file inputs: the same list the server enforces."""
    return ",".join(entry.extension for entry in ALLOWED_TYPES)


def allowed_types_text():
    """Human list of what may be uploaded, e.g. for help texts."""
    return format_lazy(
        "{} ({})",
        gettext_lazy("PDF, Office documents or images"),
        ", ".join(entry.extension for entry in ALLOWED_TYPES),
    )


def upload_help_text():
    return format_lazy(
        gettext_lazy("Accepted: {types}; up to {limit}."),
        types=allowed_types_text(),
        limit=filesizeformat(settings.MAX_UPLOAD_SIZE),
    )


def _head(upload):
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def check_upload(upload):
    """The reason an uploaded file is refused, or None: type by extension AND content, size."""
    extension = PurePath(upload.name or "").suffix.lower()
    entry = BY_EXTENSION.get(extension)
    if entry is None:
        return _("This type of file is not accepted. Upload a PDF, an Office document or an image.")
    if upload.size > settings.MAX_UPLOAD_SIZE:
        return _("The file is too big (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
        }
    if upload.size == 0:
        return _("The file is empty.")
    kind = filetype.guess(_head(upload))
    if kind is None or kind.extension not in entry.detected:
        return _("The file's content does not match its type (%(ext)s).") % {"ext": extension}
    return None


def content_type_of(upload):
    """The content type recorded for an accepted upload: from the list, not from the client."""
    entry = BY_EXTENSION.get(PurePath(upload.name or "").suffix.lower())
    return entry.content_type if entry else "application/octet-stream"
