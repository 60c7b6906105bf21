"""What meetings registers with core: its stored-file checks and the agenda circulation job."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.files import register_download_check, stored_file_save
from core.jobs import register_job_kind

AGENDA_CIRCULATION = "meetings.agenda_circulation"
AGENDA_PDF = "meetings.agenda"


def can_download_agenda(user, stored_file):
    """A circulated agenda PDF: whoever may see its meeting."""
    from .models import Meeting

    return (
        stored_file.owner_type is not None
        and stored_file.owner_type.model_class() is Meeting
        and Meeting.objects.visible_to(user).filter(pk=stored_file.owner_id).exists()
    )


def circulate_agenda(job, report_progress):
    """Render the agenda PDF and email it: after the circulating transaction, holding no lock."""
    from .models import AgendaItem, Meeting
    from .notifications import send_agenda
    from .pdf import agenda_pdf
    from .services.meetings import people_to_notify

    meeting = Meeting.objects.filter(pk=job.object_id).first()
    if meeting is None:
        raise DomainError(_("The meeting no longer exists."))
    # The items circulated are those accepted when the co-chair pressed "Circulate" (ids only).
    items = list(
        AgendaItem.objects.filter(meeting=meeting, pk__in=job.params.get("items", []))
        .select_related("presenter_person", "presenter_organisation")
        .order_by("position")
    )
    if not items:
        raise DomainError(_("The agenda has no items yet."))
    report_progress(10, _("Preparing the agenda PDF"))
    people = people_to_notify(meeting)
    # Each participant receives the agenda in their own language: one PDF per language.
    requester_language = translation.get_language() or settings.LANGUAGE_CODE
    languages = {requester_language} | {
        person.preferred_language or settings.LANGUAGE_CODE for person in people
    }
    pdfs = {language: agenda_pdf(meeting, items, language=language) for language in languages}
    report_progress(60, _("Sending the agenda"))
    stored = stored_file_save(
        content=pdfs[requester_language],
        name=f"agenda-{slugify(meeting.title) or meeting.pk}.pdf",
        content_type="application/pdf",
        kind=AGENDA_PDF,
        owner=meeting,
        by=job.requested_by,
    )
    with transaction.atomic():
        send_agenda(meeting, people, items, pdfs=pdfs)
    return stored


def register():
    from .services.documents import STORED_FILE_KIND, can_download_document

    register_download_check(STORED_FILE_KIND, can_download_document)
    register_download_check(AGENDA_PDF, can_download_agenda)
    register_job_kind(
        AGENDA_CIRCULATION,
        circulate_agenda,
        label=gettext_lazy("Agenda circulation"),
        # The co-chairs and the secretariat follow the circulation, not only who pressed it.
        allows=lambda user, job: _may_manage(user, job),
        notify=False,
    )


def _may_manage(user, job):
    from .models import Meeting
    from .permissions import can_manage_meetings

    return (
        can_manage_meetings(user)
        and Meeting.objects.visible_to(user).filter(pk=job.object_id).exists()
    )
