"""The person's-data export (PDPL right of access): everything held about the person in one
referral, as a PDF rendered by a platform job (`core.jobs`).

The job's params carry no personal data (the referral is the job's object, by id; the side is
re-derived from the requester when the job runs). The PDF is stored ENCRYPTED like attachments
(encrypting keeps the file store free of any name even between rendering and download, which
"delete after download" would not), so core:file_download, which serves bytes as stored, gets no
check for this kind (404); the job page links to `referrals:export_download` instead
(the kind's `download_url`), which decrypts for the requesting officer while they still may read
the person's data.
"""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.files import stored_file_save
from core.models import StoredFile
from core.pdf import render_pdf

from . import permissions
from .crypto import encrypt_bytes, rotate_bytes

EXPORT_KIND = "referrals.person_export"
STORED_NAME = "export.bin"


def export_context(referral, user):
    """What the export shows: only what this person may read on this referral."""
    fields = permissions.visible_fields(user, referral)
    consent = getattr(referral, "consent", None)
    return {
        "referral": referral,
        "person": [
            (referral._meta.get_field(name).verbose_name, getattr(referral, name))
            for name in fields
        ],
        "consent": consent,
        "messages": list(referral.messages.select_related("organisation"))
        if permissions.can_read_thread(user, referral)
        else [],
        "files": list(referral.attachments.all())
        if permissions.can_read_files(user, referral)
        else [],
        "corrections": list(referral.corrections.filter(field__in=fields)),
        "generated_on": timezone.now(),
    }


def render_person_export(job, report_progress):
    from .models import Referral
    from .services import log_access

    referral = (
        Referral.objects.select_related("from_organisation", "to_organisation", "consent")
        .filter(pk=job.object_id)
        .first()
    )
    user = job.requested_by
    # Checked again when the job runs: consent may have been withdrawn since the request.
    if referral is None or user is None or not permissions.can_edit_person(user, referral):
        raise DomainError(_("This referral's data is no longer available to you."))
    report_progress(10, _("Preparing the export"))
    pdf = render_pdf(
        "referrals/person_export_pdf.html",
        export_context(referral, user),
        language=job.params.get("language"),
        title=referral.reference,
    )
    report_progress(90, _("Saving the export"))
    stored = stored_file_save(
        content=ContentFile(encrypt_bytes(pdf)),
        name=STORED_NAME,
        content_type="application/octet-stream",
        kind=EXPORT_KIND,
        owner=referral,
        by=user,
    )
    log_access(referral, user=user, action="export.generate")
    return stored


def export_download_url(job):
    from .models import Referral

    reference = Referral.objects.filter(pk=job.object_id).values_list("reference", flat=True)
    return reverse(
        "referrals:export_download", kwargs={"reference": reference.first(), "uuid": job.uuid}
    )


def exports_destroy(referral):
    from django.contrib.contenttypes.models import ContentType

    from core.files import stored_file_delete

    for stored in StoredFile.objects.filter(
        kind=EXPORT_KIND,
        owner_type=ContentType.objects.get_for_model(referral),
        owner_id=str(referral.pk),
    ):
        stored_file_delete(stored_file=stored)  # the job keeps its row, its result becomes null


def exports_rotate():
    """Re-encrypt every export under the first key (rotate_referral_keys)."""
    from django.db import transaction

    from core.files import stored_file_delete
    from core.models import Job

    rewritten = 0
    for pk in StoredFile.objects.filter(kind=EXPORT_KIND).values_list("pk", flat=True):
        with transaction.atomic():
            old = StoredFile.objects.select_for_update().get(pk=pk)
            with old.file.open("rb") as handle:
                token = rotate_bytes(handle.read())
            new = stored_file_save(
                content=ContentFile(token),
                name=STORED_NAME,
                content_type=old.content_type,
                kind=EXPORT_KIND,
                by=old.created_by,
            )
            Job.objects.filter(result=old).update(result=new)
            owner_type_id, owner_id, version = old.owner_type_id, old.owner_id, old.version
            stored_file_delete(stored_file=old)
            # Saved without an owner (version 1), it takes the old file's place once that is gone.
            StoredFile.objects.filter(pk=new.pk).update(
                owner_type_id=owner_type_id, owner_id=owner_id, version=version
            )
            rewritten += 1
    return rewritten


def register():
    from core.jobs import register_job_kind

    register_job_kind(
        EXPORT_KIND,
        render_person_export,
        label=gettext_lazy("Export of the person's data"),
        # The email says only that the export is ready (core/email/job_ready.txt: the label).
        notify=True,
        download_url=export_download_url,
    )
