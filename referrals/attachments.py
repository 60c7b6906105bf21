"""Attachments of referrals and their messages, encrypted at rest.

Why a referrals-owned download URL rather than `core:file_download`: the core view serves the
stored bytes as they are, and here the stored bytes are a Fernet token (the file store alone must
reveal nothing). Teaching core to decrypt would put a referrals concern into every download; so
this module registers NO download check for its kind (core then answers 404 for these files, deny
by default) and serves them itself, decrypted, inside `Referral.objects.visible_to(user)`, with the
same headers as `core.files.file_response` (attachment, sanitised name, nosniff, never cached).
"""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.files import safe_filename, stored_file_delete, stored_file_save
from core.uploads import check_upload, content_type_of

from . import permissions, rules
from .crypto import decrypt_bytes, encrypt_bytes, rotate_bytes
from .models import Referral, ReferralAttachment

KIND = "referrals.attachment"
# The stored file's own name: neutral, since a file name may name the person.
STORED_NAME = "attachment.bin"


def attachment_add(*, referral, upload, by, message=None, ip=None):
    """Check, encrypt and store an uploaded file on a referral (or one of its messages)."""
    from .services import log_access

    problem = check_upload(upload)
    if problem:
        raise DomainError(problem)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if not permissions.can_read_files(by, referral):
            raise DomainError(_("You may not add files to this referral."))
        side = permissions.side_of(by, referral)
        organisation = (
            referral.from_organisation if side == rules.SENDER else referral.to_organisation
        )
        upload.seek(0)
        plaintext = upload.read()
        stored = stored_file_save(
            content=ContentFile(encrypt_bytes(plaintext)),
            name=STORED_NAME,
            content_type="application/octet-stream",
            kind=KIND,
            by=by,
        )
        attachment = ReferralAttachment.objects.create(
            referral=referral,
            message=message,
            stored_file=stored,
            name=safe_filename(upload.name, default="attachment"),
            content_type=content_type_of(upload),
            size=len(plaintext),
            organisation=organisation,
            uploaded_by=by,
        )
        audit.record("referrals.attachment.added", actor=by, obj=referral)
        log_access(referral, user=by, action="file.upload", ip=ip)
    return attachment


def attachment_response(*, attachment, user, ip=None):
    """The decrypted file, logged as a read (the caller has looked it up among visible ones)."""
    from .services import log_access

    with attachment.stored_file.file.open("rb") as handle:
        plaintext = decrypt_bytes(handle.read())
    log_access(attachment.referral, user=user, action="file.download", ip=ip)
    response = FileResponse(
        io.BytesIO(plaintext),
        as_attachment=True,
        filename=safe_filename(attachment.name, default="attachment"),
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachments_destroy(referral):
    """Erasure and retention: every file of the referral goes, rows now and blobs after commit."""
    for attachment in referral.attachments.select_related("stored_file"):
        stored_file_delete(stored_file=attachment.stored_file)  # cascades to the attachment


def attachments_rotate():
    """Re-encrypt every attachment under the first key: a new blob, the old one deleted."""
    rewritten = 0
    for pk in ReferralAttachment.objects.values_list("pk", flat=True):
        with transaction.atomic():
            attachment = (
                ReferralAttachment.objects.select_for_update()
                .select_related("stored_file")
                .get(pk=pk)
            )
            old = attachment.stored_file
            with old.file.open("rb") as handle:
                token = rotate_bytes(handle.read())
            new = stored_file_save(
                content=ContentFile(token),
                name=STORED_NAME,
                content_type="application/octet-stream",
                kind=KIND,
                by=None,
            )
            attachment.stored_file = new
            attachment.save(update_fields=["stored_file"])
            # The attachment points to the new file now: the old one goes (its blob on commit).
            stored_file_delete(stored_file=old)
            rewritten += 1
    return rewritten
