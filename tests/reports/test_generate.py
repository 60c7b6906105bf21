"""Generating a report's PDF is a background job: progress, one version per request, and the
archive hands the final edition out through the permission-checked download view."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Job, StoredFile
from reports import services
from reports.models import ReportVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(report, period_data):
    services.narrative_save(
        report=report,
        language="en",
        texts={"summary": "A half-year of work."},
        by=period_data.chair,
    )
    return services.report_finalize(report=report, by=period_data.chair)


def _generate(client, report, token="a" * 32, language="en"):
    return client.post(
        reverse("reports:generate", args=[report.pk]),
        {"language": language, "form_token": token},
    )


def test_a_co_chair_generates_the_final_pdf_and_staff_download_it(
    client, final, period_data, django_capture_on_commit_callbacks
):
    client.force_login(period_data.chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = _generate(client, final)
    assert response.status_code == 302

    job = Job.objects.get(kind="reports.generate")
    assert job.status == "succeeded" and job.progress == 100
    version = ReportVersion.objects.get(report=final)
    assert version.is_final and version.number == 1
    assert version.pdf_file.kind == "reports.report" and version.xlsx_file is not None
    page = client.get(final.get_absolute_url()).content.decode()
    assert reverse("core:file_download", args=[version.pdf_file.uuid]) in page

    client.force_login(period_data.staff)
    archive = client.get(reverse("reports:list")).content.decode()
    download = reverse("core:file_download", args=[version.pdf_file.uuid])
    assert download in archive
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    pdf = b"".join(response.streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Bi-annual progress report" in text

    client.force_login(UserFactory(roles=["guest"]))
    assert client.get(download).status_code == 404


def test_the_same_request_sent_twice_makes_one_job_and_one_version(
    client, final, period_data, django_capture_on_commit_callbacks
):
    client.force_login(period_data.chair)
    with django_capture_on_commit_callbacks(execute=True):
        _generate(client, final, token="b" * 32)
        _generate(client, final, token="b" * 32)

    assert Job.objects.filter(kind="reports.generate").count() == 1
    assert ReportVersion.objects.filter(report=final).count() == 1
    assert StoredFile.objects.filter(kind="reports.report").count() == 2  # the PDF and the annex


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(
    client, final, period_data, django_capture_on_commit_callbacks
):
    client.force_login(period_data.chair)
    with django_capture_on_commit_callbacks(execute=True):
        _generate(client, final, token="c" * 32)
        _generate(client, final, token="d" * 32, language="ar")

    assert list(
        ReportVersion.objects.filter(report=final)
        .order_by("number")
        .values_list("number", "language")
    ) == [(1, "en"), (2, "ar")]


def test_staff_may_not_generate(client, final, period_data):
    client.force_login(period_data.staff)

    assert _generate(client, final).status_code == 403
    assert not Job.objects.exists()
