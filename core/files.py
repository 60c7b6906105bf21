"""Stored files: saved once with their checksum and version, handed out by one download view.

An app that owns files registers, from its AppConfig.ready(), a check for each kind it owns:

    from core.files import register_download_check
    register_download_check("meetings.document", can_download_document)  # (user, stored_file)

`core:file_download` answers 404 to everyone the owning app does not allow, and for kinds no
installed app registered: core never needs to know the apps.
"""

import hashlib
import logging
from collections.abc import Callable
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename

from .models import StoredFile

logger = logging.getLogger(__name__)

_download_checks: dict[str, Callable] = {}


def register_download_check(kind, check):
    """Declare who may download the stored files of `kind`: `check(user, stored_file) -> bool`."""
    _download_checks[kind] = check


def may_download(user, stored_file):
    """Deny by default: unknown kinds, anonymous visitors and a failing check get nothing."""
    if not user.is_authenticated:
        return False
    check = _download_checks.get(stored_file.kind)
    if check is None:
        return False
    try:
        return bool(check(user, stored_file))
    except Exception:
        logger.exception("Download check of %s failed; refusing", stored_file.kind)
        return False


def safe_filename(name, default="download"):
    """A file name fit for Content-Disposition: no path, no quotes or control characters."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable())
    try:
        cleaned = get_valid_filename(name)
    except SuspiciousFileOperation:
        return default
    if len(cleaned) > 200:
        suffix = PurePath(cleaned).suffix[:20]
        cleaned = cleaned[: 200 - len(suffix)] + suffix
    return cleaned


def _checksum_and_size(handle):
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def stored_file_save(*, content, name, content_type, kind, owner=None, by=None):
    """Store `content` (bytes or a file) for `owner` as the next version of its `kind`.

    Without an owner the file is version 1 (the caller attaches it to its row afterwards).
    Dedupe-aware: if the newest version of this owner's `kind` has the same name and SHA-256, it
    is returned instead of a second copy. The blob is written before the row; if the row cannot
    be saved, the blob is removed again, so storage keeps no orphan.
    """
    handle = ContentFile(content) if isinstance(content, bytes | bytearray) else File(content)
    sha256, size = _checksum_and_size(handle)
    name = safe_filename(name)
    owner_type = ContentType.objects.get_for_model(owner) if owner is not None else None
    owner_id = str(owner.pk) if owner is not None else ""
    siblings = StoredFile.objects.filter(kind=kind, owner_type=owner_type, owner_id=owner_id)
    for _attempt in range(3):
        # A file without an owner (yet) is not a version of anything: it is never deduplicated.
        latest = siblings.order_by("-version").first() if owner is not None else None
        if latest is not None and latest.sha256 == sha256 and latest.name == name:
            return latest
        stored = StoredFile(
            name=name,
            content_type=content_type or "application/octet-stream",
            size=size,
            sha256=sha256,
            kind=kind,
            owner_type=owner_type,
            owner_id=owner_id,
            version=(latest.version + 1) if latest is not None else 1,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        stored.file.save(name, handle, save=False)
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:
            # Another writer took this version number at the same moment: try the next one.
            stored.file.delete(save=False)
            continue
        except Exception:
            stored.file.delete(save=False)
            raise
        return stored
    raise IntegrityError(f"Could not find a free version for {kind} {owner_id}")


def stored_file_delete(*, stored_file):
    """Delete the row now and the blob once the transaction commits (a rollback keeps both)."""
    storage, path = stored_file.file.storage, stored_file.file.name
    stored_file.delete()
    transaction.on_commit(lambda: storage.delete(path))


def latest_stored_file(*, kind, owner):
    owner_type = ContentType.objects.get_for_model(owner)
    return (
        StoredFile.objects.filter(kind=kind, owner_type=owner_type, owner_id=str(owner.pk))
        .order_by("-version")
        .first()
    )


def file_response(stored_file):
    """Stream a stored file as an attachment that browsers never sniff or render inline."""
    try:
        handle = stored_file.file.open("rb")
    except OSError:
        logger.error("Stored file %s is missing from storage", stored_file.uuid)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(stored_file.name),
        content_type=stored_file.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
