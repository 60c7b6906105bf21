"""Background jobs (core.jobs): progress, visible failure and retry, one result, stuck jobs."""

import logging
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import DomainError
from core.files import stored_file_save
from core.jobs import (
    GENERIC_ERROR,
    STUCK_ERROR,
    job_enqueue,
    job_retry,
    job_run,
    recent_jobs_for,
    register_job_kind,
)
from core.models import Job, StoredFile
from core.tasks import fail_stuck_jobs_task, run_job_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


PROGRESS_SEEN = []


def _pdf_for(job, name="result.pdf"):
    return stored_file_save(
        content=b"%PDF-1.4\n%%EOF\n" + job.uuid.bytes,
        name=name,
        content_type="application/pdf",
        kind="tests.file",
        owner=job,
        by=job.requested_by,
    )


def progressing(job, report_progress):
    for percent in (25, 50, 75):
        report_progress(percent, f"step {percent}")
        # What another request (the progress fragment) reads from the database meanwhile.
        row = Job.objects.get(pk=job.pk)
        PROGRESS_SEEN.append((row.status, row.progress, row.progress_message))
    return _pdf_for(job)


def flaky(job, report_progress):
    if job.attempts == 1:
        raise RuntimeError("internal detail: connection to 10.0.0.7 refused")
    return _pdf_for(job)


def refusing(job, report_progress):
    raise DomainError("The workplan no longer exists.")


register_job_kind("tests.progress", progressing, label="Test export")
register_job_kind("tests.flaky", flaky, label="Flaky export")
register_job_kind("tests.refusing", refusing, label="Refused export", notify=False)


@pytest.fixture
def person(db):
    return UserFactory(email="requester@example.org", preferred_language="en")


def test_a_job_reports_progress_while_it_runs(person, django_capture_on_commit_callbacks):
    PROGRESS_SEEN.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(kind="tests.progress", by=person)
    # Enqueued on commit, not before.
    assert job.status == Job.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()

    job.refresh_from_db()
    assert PROGRESS_SEEN == [
        (Job.Status.RUNNING, 25, "step 25"),
        (Job.Status.RUNNING, 50, "step 50"),
        (Job.Status.RUNNING, 75, "step 75"),
    ]
    assert (job.status, job.progress, job.attempts) == (Job.Status.SUCCEEDED, 100, 1)
    assert job.result.kind == "tests.file"
    assert job.started_at <= job.finished_at


def test_the_requester_gets_an_email_when_the_job_is_ready(
    person, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="tests.progress", by=person)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [person.email]
    assert message.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Ready: Test export"
    assert f"{settings.PORTAL_URL}{reverse('core:job_status', args=[job.uuid])}" in message.body


def test_a_failed_job_shows_a_safe_error_and_a_retry_button_then_succeeds(
    client, person, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.ERROR, logger="core.jobs"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = job_enqueue(kind="tests.flaky", by=person)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == str(GENERIC_ERROR)
    assert "10.0.0.7" not in job.error
    # The traceback is in the log, for the operators.
    assert "10.0.0.7" in caplog.text
    assert mailoutbox == []

    client.force_login(person)
    url = reverse("core:job_status", args=[job.uuid])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert str(GENERIC_ERROR) in fragment
    assert reverse("core:job_retry", args=[job.uuid]) in fragment
    assert "Retry" in fragment
    assert "hx-trigger" not in fragment  # a finished job stops polling

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_retry", args=[job.uuid]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (Job.Status.SUCCEEDED, 2, "")
    page = client.get(url).content.decode()
    assert reverse("core:file_download", args=[job.result.uuid]) in page


def test_a_domain_error_is_shown_as_it_is(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="tests.refusing", by=person)
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "The workplan no longer exists.")


def test_only_a_failed_job_can_be_retried_and_only_by_whom_the_kind_allows(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="tests.progress", by=person)
    with pytest.raises(DomainError):
        job_retry(job=job, by=person)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    with pytest.raises(DomainError):
        job_retry(job=job, by=UserFactory())


def test_running_a_job_twice_makes_one_file(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = job_enqueue(kind="tests.progress", by=person)
    run_job_task(job.pk)
    run_job_task(job.pk)
    job.refresh_from_db()
    assert job.attempts == 1
    assert StoredFile.objects.filter(kind="tests.file").count() == 1


def test_enqueueing_twice_with_one_key_makes_one_job_and_one_file(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = job_enqueue(kind="tests.progress", by=person, idempotency_key="export:1")
        second = job_enqueue(kind="tests.progress", by=person, idempotency_key="export:1")
    assert first.pk == second.pk
    assert Job.objects.count() == 1
    assert StoredFile.objects.filter(kind="tests.file").count() == 1


def test_a_failed_job_gives_its_key_to_the_next_attempt(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        failed = job_enqueue(kind="tests.refusing", by=person, idempotency_key="k")
    with django_capture_on_commit_callbacks(execute=True):
        again = job_enqueue(kind="tests.refusing", by=person, idempotency_key="k")
    assert failed.pk != again.pk
    failed.refresh_from_db()
    assert failed.idempotency_key is None


def test_a_duplicate_delivery_leaves_a_running_job_alone_but_a_redelivery_takes_it_over(person):
    job = Job.objects.create(
        kind="tests.progress",
        requested_by=person,
        status=Job.Status.RUNNING,
        attempts=1,
        started_at=timezone.now(),
    )
    # Another copy of the message while the first still runs: nothing happens.
    job_run(job_id=job.pk, redelivered=False)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 1)
    # The broker handed the task back because its worker died: this delivery finishes the job.
    job_run(job_id=job.pk, redelivered=True)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert StoredFile.objects.filter(kind="tests.file").count() == 1


def test_the_beat_task_fails_stuck_jobs_and_they_can_be_retried(
    person, settings, django_capture_on_commit_callbacks
):
    now = timezone.now()
    limit = settings.CELERY_TASK_TIME_LIMIT + settings.JOBS_STUCK_MARGIN_SECONDS
    stuck = Job.objects.create(
        kind="tests.progress",
        requested_by=person,
        status=Job.Status.RUNNING,
        attempts=1,
        started_at=now - timedelta(seconds=limit + 5),
    )
    busy = Job.objects.create(
        kind="tests.progress",
        requested_by=person,
        status=Job.Status.RUNNING,
        attempts=1,
        started_at=now - timedelta(seconds=limit - 30),
    )
    forgotten = Job.objects.create(
        kind="tests.progress",
        requested_by=person,
        queued_at=now - timedelta(seconds=settings.JOBS_QUEUED_TIMEOUT_SECONDS + 5),
    )
    fresh = Job.objects.create(kind="tests.progress", requested_by=person)

    assert fail_stuck_jobs_task() == 2
    for job in (stuck, busy, forgotten, fresh):
        job.refresh_from_db()
    assert (stuck.status, stuck.error) == (Job.Status.FAILED, str(STUCK_ERROR))
    assert forgotten.status == Job.Status.FAILED
    assert busy.status == Job.Status.RUNNING
    assert fresh.status == Job.Status.QUEUED
    # Running the beat again changes nothing.
    assert fail_stuck_jobs_task() == 0

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=stuck, by=person)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (Job.Status.SUCCEEDED, 2)


def test_the_beat_schedule_runs_the_stuck_job_task(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.fail_stuck_jobs_task" in tasks


def test_the_progress_fragment_polls_while_the_job_runs(client, person):
    job = Job.objects.create(
        kind="tests.progress",
        requested_by=person,
        status=Job.Status.RUNNING,
        progress=40,
        progress_message="Rendering",
        started_at=timezone.now(),
    )
    client.force_login(person)
    response = client.get(
        reverse("core:job_status", args=[job.uuid]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the fragment alone
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="40"' in html
    assert 'aria-live="polite"' in html
    assert "Rendering" in html
    page = client.get(reverse("core:job_status", args=[job.uuid]))
    assert "<html" in page.content.decode()


def test_only_the_requester_sees_a_job(client, person):
    job = Job.objects.create(kind="tests.progress", requested_by=person)
    url = reverse("core:job_status", args=[job.uuid])
    assert client.get(url).status_code == 302  # anonymous: to sign in
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 404
    assert client.post(reverse("core:job_retry", args=[job.uuid])).status_code == 404
    client.force_login(person)
    assert client.get(url).status_code == 200


def test_recent_jobs_feed_the_dashboard_card(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = job_enqueue(kind="tests.progress", by=person)
    Job.objects.create(kind="tests.progress", requested_by=UserFactory())
    jobs = recent_jobs_for(person)
    assert [job.pk for job in jobs] == [done.pk]
    html = render_to_string("core/_jobs_panel.html", {"panel": {"jobs": jobs}})
    assert "Test export" in html
    assert reverse("core:file_download", args=[jobs[0].result.uuid]) in html
