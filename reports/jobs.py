"""What reports registers with core: the generation job and who may download its files."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.files import register_download_check, stored_file_save
from core.jobs import job_enqueue, register_job_kind

from . import permissions, services
from .generation import build_report_document
from .models import Report, ReportVersion

JOB_KIND = "reports.generate"
FILE_KIND = "reports.report"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_generate(*, report, language, by, idempotency_key):
    """Ask for a PDF (and annex) of the report in one language: one job per request key."""
    if not (permissions.can_manage_reports(by) or permissions.can_finalize_reports(by)):
        raise DomainError(_("Only a co-chair or the secretariat may generate a report."))
    return job_enqueue(
        kind=JOB_KIND,
        by=by,
        obj=report,
        params={"report_id": report.pk, "language": language, "requested_by_id": by.pk},
        idempotency_key=idempotency_key,
    )


def generate_report_job(job, report_progress):
    """Compile, render and store one edition; record it as the report's next version.

    Run twice for one request (a retried job), it returns the file it stored the first time.
    """
    from django.contrib.auth import get_user_model

    params = job.params
    request_key = f"job:{job.uuid}"
    existing = ReportVersion.objects.filter(request_key=request_key).first()
    if existing is not None and existing.pdf_file:
        return existing.pdf_file
    report = Report.objects.get(pk=params["report_id"])
    language = params["language"]
    by = get_user_model().objects.filter(pk=params.get("requested_by_id")).first()
    report_progress(10, _("Compiling the sections"))
    pdf, xlsx = build_report_document(report, language)
    report_progress(80, _("Storing the PDF and the Excel annex"))
    stem = f"{report.kind}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}-{language}"
    with transaction.atomic():
        pdf_file = stored_file_save(
            content=pdf,
            name=f"{stem}.pdf",
            content_type="application/pdf",
            kind=FILE_KIND,
            owner=report,
            by=by,
        )
        xlsx_file = stored_file_save(
            content=xlsx,
            name=f"{stem}-annex.xlsx",
            content_type=XLSX_TYPE,
            kind=FILE_KIND,
            owner=report,
            by=by,
        )
        services.version_record(
            report=report,
            language=language,
            pdf_bytes=pdf,
            request_key=request_key,
            by=by,
            pdf_file=pdf_file,
            xlsx_file=xlsx_file,
        )
    report_progress(100, _("Ready"))
    return pdf_file


def may_download(user, stored_file):
    """The download check of report files: whoever may open the report (final editions only
    for readers of the archive)."""
    return permissions.may_download_version_file(user, stored_file.uuid)


def register():
    register_download_check(FILE_KIND, may_download)
    register_job_kind(JOB_KIND, generate_report_job, label=gettext_lazy("Report PDF"))
