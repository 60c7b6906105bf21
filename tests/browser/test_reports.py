"""Browser journeys: a co-chair compiles the bi-annual report, writes the summary, generates the
PDF while watching its progress and makes it final; agency staff download the final edition from
the archive; a government guest cannot open it.
"""

import logging
from io import BytesIO

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from core.models import Job
from reports.models import NarrativeRevision, Report
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory, co_chair, member_agency
from tests.reports.conftest import PERIOD, period_data  # noqa: F401 (a fixture)
from unnm.celery import app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_chair_compiles_and_finalizes_the_report_that_staff_then_find(browser, live_server):
    chair = co_chair(full_name="Chair Amal")
    staff = UserFactory(roles=["agency_staff"], organisation=member_agency())
    guest = UserFactory(roles=["guest"])

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, chair.email, TEST_PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label("Kind").select_option("biannual")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Period").select_option("h1")
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    assert page.get_by_text("The report is started").is_visible()
    assert page.get_by_role("heading", name="Preview of the compiled sections").is_visible()

    page.get_by_role("link", name="Narrative (English)").click()
    page.get_by_label("Executive summary").fill("The Network met twice this half-year.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("The Network met twice this half-year.").is_visible()

    page.get_by_role("link", name="Make final").click()
    page.get_by_role("button", name="Make final").click()
    page.wait_for_load_state()
    assert page.get_by_text("The report is final.").is_visible()
    report = Report.objects.get()
    assert report.status == "final"
    assert NarrativeRevision.objects.get().created_by == chair
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, staff.email, TEST_PASSWORD)
    page.goto("/reports/")
    page.get_by_role("link", name=report.title).click()
    assert page.get_by_text("The Network met twice this half-year.").is_visible()
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, guest.email, TEST_PASSWORD)
    assert page.get_by_role("link", name="Reports", exact=True).count() == 0
    assert page.goto("/reports/").status == 403
    assert page.goto(report.get_absolute_url()).status == 404
    context.close()


@pytest.fixture
def queued_jobs():
    """Tasks go to the suite's Redis broker and wait there for a worker, as in production.

    The suite runs tasks eagerly, on commit, in the request that asked for them (the response
    then waits for the PDF). Here the live server only enqueues; the test starts a real Celery
    worker (a thread of this process) once the page shows the job waiting, and the page,
    polling, follows the job to its end. The broker's keys are this test process's own
    (settings_test: a global_keyprefix per xdist worker), so no other test's messages are
    consumed, and the queue is emptied before and after.
    """
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]
    queue = f"{prefix}{app.conf.task_default_queue}"
    broker = redis.Redis.from_url(app.conf.broker_url)
    saved = app.conf.task_always_eager
    root = logging.getLogger()
    saved_logging = (root.handlers[:], root.level)
    broker.delete(queue)
    app.conf.update(task_always_eager=False)
    app._pool = None  # the connection pools are rebuilt for the new configuration
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(task_always_eager=saved)
        app._pool = None
        app.amqp._producer_pool = None
        broker.delete(queue)
        root.handlers[:], level = saved_logging
        root.setLevel(level)


def _generate_and_watch(page, edition):
    """Click "Generate PDF" and watch the job's progress until its download link appears."""
    page.get_by_label("Edition", exact=True).select_option(edition)
    page.get_by_role("button", name="Generate PDF").click()
    # The job's fragment shows it waiting, with its progress bar, while no worker has taken it...
    page.get_by_text("Report PDF: waiting to start").wait_for()
    assert page.get_by_role("progressbar", name="Progress").is_visible()
    assert page.get_by_text("This page updates by itself").is_visible()
    # ...then a worker runs it and the fragment, polling every second, follows it to the end.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        page.locator("#main").get_by_text("Report PDF is ready.").wait_for(timeout=60_000)
    assert page.get_by_role("progressbar").count() == 0
    link = page.locator("#report-generation").get_by_role("link", name="Download")
    assert link.count() == 1


def test_a_co_chair_generates_the_report_watching_progress_and_staff_download_the_final_edition(
    browser,
    live_server,
    queued_jobs,
    period_data,  # noqa: F811 (the fixture imported above)
):
    chair = period_data.chair
    staff = UserFactory(
        email="undp.staff@example.org",
        roles=["agency_staff"],
        organisation=member_agency(acronym="UNDPX"),
    )
    guest = UserFactory(roles=["guest"])

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, chair.email, TEST_PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label("Kind").select_option("biannual")
    page.get_by_label("Year").fill(str(PERIOD.start.year))
    page.get_by_label("Period").select_option("h1")
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Preview of the compiled sections").is_visible()
    # The compiled sections preview with their charts.
    assert page.get_by_role("heading", name="Workplan progress").is_visible()
    assert page.get_by_role("img", name="Funding by ToR objective").is_visible()

    page.get_by_role("link", name="Narrative (English)").click()
    page.get_by_label("Executive summary").fill("The Network met twice this half-year.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("The Network met twice this half-year.").is_visible()

    _generate_and_watch(page, "en")  # the draft
    report = Report.objects.get()
    assert report.versions.get().is_final is False

    page.get_by_role("link", name="Make final").click()
    page.get_by_role("button", name="Make final").click()
    page.wait_for_load_state()
    assert page.get_by_text("The report is final.").is_visible()
    _generate_and_watch(page, "en")  # the final edition
    report.refresh_from_db()
    assert report.status == "final"
    final = report.versions.get(is_final=True)
    assert final.number == 2 and final.generated_by == chair
    assert Job.objects.filter(kind="reports.generate", status="succeeded").count() == 2
    assert NarrativeRevision.objects.get().created_by == chair
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, staff.email, TEST_PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    row = page.get_by_role("row").filter(has_text=report.title)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download version 2").click()
    download = download_info.value
    assert download.suggested_filename == final.pdf_file.name
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(BytesIO(content)).pages)
    assert "The Network met twice this half-year." in text
    assert "DRAFT" not in text
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, guest.email, TEST_PASSWORD)
    assert page.goto(report.get_absolute_url()).status == 404
    assert page.goto(reverse("core:file_download", args=[final.pdf_file.uuid])).status == 404
    context.close()
