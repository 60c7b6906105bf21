"""What workplan registers with core: the workplan PDF job and who may download its file."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.files import register_download_check, stored_file_save
from core.jobs import register_job_kind

WORKPLAN_PDF = "workplan.pdf"


def can_download_workplan_pdf(user, stored_file):
    """A workplan PDF: whoever may read that workplan."""
    from .models import Workplan
    from .permissions import can_view_workplan

    return (
        stored_file.owner_type is not None
        and stored_file.owner_type.model_class() is Workplan
        and can_view_workplan(user)
        and Workplan.objects.visible_to(user).filter(pk=stored_file.owner_id).exists()
    )


def render_workplan_pdf(job, report_progress):
    from . import exports
    from .models import Workplan

    workplan = Workplan.objects.filter(pk=job.object_id).first()
    if workplan is None:
        raise DomainError(_("This workplan no longer exists."))
    report_progress(10, _("Preparing the workplan PDF"))
    pdf = exports.workplan_pdf(workplan)
    report_progress(90, _("Saving the PDF"))
    return stored_file_save(
        content=pdf,
        name=f"workplan-{workplan.year}.pdf",
        content_type="application/pdf",
        kind=WORKPLAN_PDF,
        owner=workplan,
        by=job.requested_by,
    )


def register():
    register_download_check(WORKPLAN_PDF, can_download_workplan_pdf)
    register_job_kind(WORKPLAN_PDF, render_workplan_pdf, label=gettext_lazy("Workplan PDF"))
