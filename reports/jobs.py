"""The report generation job and the download check, written against the platform's APIs.

NOT IMPORTED ANYWHERE YET: core.jobs and core.files land in main at merge. The lead wires this
module then (see the TODO in reports/apps.py):

    register_job_kind(JOB_KIND, generate_report_job)
    register_download_check(FILE_KIND, may_download)

and adds the "Generate PDF" view, which calls `report_generate(...)` below and shows the job's
progress with the `core:job_status` fragment; the archive's download links go to
`core:file_download` with the version's `pdf_file` / `xlsx_file`.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from core.errors import DomainError
from core.files import stored_file_save
from core.jobs import job_enqueue

from . import permissions, services
from .generation import build_report_document
from .models import Report, ReportVersion
from .views import FINALIZE, MANAGE, ReportMixin

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
        return existing.pdf_file  # TODO(lead): the StoredFile once pdf_file is a ForeignKey
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
            pdf_file=pdf_file.uuid,
            xlsx_file=xlsx_file.uuid,
        )
    report_progress(100, _("Ready"))
    return pdf_file


def may_download(user, stored_file):
    """The download check of report files: whoever may open the report (final editions only
    for readers of the archive)."""
    return permissions.may_download_version_file(user, stored_file.uuid)


# --- The "Generate PDF" page action (TODO(lead): move into views.py and route it at merge) ------
#
#   urls.py:  path("<int:pk>/generate/", jobs.GenerateView.as_view(), name="generate"),
#   report_detail.html, for `manages`: a POST form to reports:generate with a hidden
#   `request_key` (a uuid4 made when the page renders, so a double click is one request, one
#   job and one version) and a `language` select; the response shows the job's progress with
#   the core:job_status fragment; the versions list links each `pdf_file` / `xlsx_file` to
#   core:file_download; the archive links the final version's PDF.
#   Permission matrix: reports:generate POST → CO_CHAIRS 302 (others as reports:finalize).


class GenerateView(ReportMixin, View):
    """Ask for the PDF of the report in one language; the page then shows the job's progress."""

    capabilities = (MANAGE, FINALIZE)
    http_method_names = ["post"]

    def post(self, request, pk):
        language = request.POST.get("language") or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        try:
            request_key = str(uuid.UUID(request.POST.get("request_key", "")))
        except ValueError:
            request_key = str(uuid.uuid4())
        try:
            job = report_generate(
                report=self.report,
                language=language,
                by=request.user,
                idempotency_key=f"reports:{self.report.pk}:{language}:{request_key}",
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.report)
        messages.info(request, _("The PDF is being generated; you will be told when it is ready."))
        return redirect(f"{self.report.get_absolute_url()}?language={language}&job={job.uuid}")
