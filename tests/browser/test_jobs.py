"""Browser: a job makes the workplan PDF; its progress fragment polls until the file is ready."""

import pytest
from django.utils import timezone

from core.jobs import job_run
from core.models import Job
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, WorkplanFactory, focal_point, member_agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_generates_the_workplan_pdf_and_downloads_it(page):
    year = timezone.localdate().year
    workplan = WorkplanFactory(year=year, title=f"Workplan {year}")
    person = focal_point(member_agency(acronym="UNICEFX"), full_name="Sara Lead")
    sign_in(page, person.email, TEST_PASSWORD)

    page.goto(f"/workplan/{year}/")
    page.get_by_role("link", name="PDF").click()
    page.get_by_role("button", name="Generate PDF").click()
    link = page.get_by_role("link", name=f"Download workplan-{year}.pdf")
    link.wait_for()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"workplan-{year}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert Job.objects.get(kind="workplan.pdf", object_id=str(workplan.pk)).requested_by == person


def test_the_progress_fragment_updates_itself_until_the_file_is_ready(page):
    year = timezone.localdate().year
    workplan = WorkplanFactory(year=year, title=f"Workplan {year}")
    person = focal_point(member_agency(acronym="UNICEFX"), full_name="Sara Lead")
    job = Job.objects.create(
        kind="workplan.pdf", requested_by=person, concerns=workplan, params={"language": "en"}
    )
    sign_in(page, person.email, TEST_PASSWORD)

    page.goto(f"/jobs/{job.uuid}/")
    assert page.get_by_text("Workplan PDF: waiting to start").is_visible()
    # The worker runs the job while the page is open: the page shows the result by itself.
    job_run(job_id=job.pk)
    page.get_by_role("link", name=f"Download workplan-{year}.pdf").wait_for(timeout=10_000)
    assert page.get_by_role("progressbar").count() == 0
