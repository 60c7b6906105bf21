"""Background jobs with progress, like pretix's async actions (docs/JOBS_AND_FILES.md).

An app registers a kind from its AppConfig.ready():

    register_job_kind("workplan.pdf", render_workplan_pdf, label=_("Workplan PDF"),
                      allows=lambda user, job: ...)

`func(job, report_progress)` does the work outside any transaction, calls
`report_progress(percent, message)` as it goes, and returns the StoredFile it produced (or None).
A service enqueues with `job_enqueue(...)`; the Celery task `run_job_task` runs it once the
transaction commits. Running the same job twice yields one result.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .errors import DomainError
from .files import stored_file_delete
from .mail import absolute_url, enqueue_email_message
from .models import Job

logger = logging.getLogger(__name__)

GENERIC_ERROR = gettext_lazy(
    "This could not be completed. Try again; if it fails again, tell the secretariat."
)
STUCK_ERROR = gettext_lazy("This took too long and was stopped. Try again.")


@dataclass(frozen=True)
class JobKind:
    """What a kind of job does, what it is called, and who besides the requester may see it."""

    kind: str
    func: Callable
    label: str
    allows: Callable | None = None  # (user, job) -> bool, for people other than the requester
    notify: bool = True  # email the requester when it is ready
    # (job) -> URL of the result, for a module that serves its results itself (results stored
    # encrypted, decrypted by the module's own view); None: core:file_download.
    download_url: Callable | None = None


_kinds: dict[str, JobKind] = {}


def register_job_kind(kind, func, *, label=None, allows=None, notify=True, download_url=None):
    """Declare a kind of job (from AppConfig.ready()); registering it again replaces it."""
    _kinds[kind] = JobKind(
        kind=kind,
        func=func,
        label=label or kind,
        allows=allows,
        notify=notify,
        download_url=download_url,
    )


def job_kind(kind):
    return _kinds.get(kind)


def job_label(job):
    spec = _kinds.get(job.kind)
    return spec.label if spec else job.kind


def job_download_url(job):
    """Where the job's result is downloaded: the kind's own URL, else core:file_download."""
    if job.result_id is None:
        return ""
    spec = _kinds.get(job.kind)
    if spec and spec.download_url:
        return spec.download_url(job)
    return reverse("core:file_download", kwargs={"uuid": job.result.uuid})


def job_context(job):
    """What the progress fragment (core/_job_status.html) needs."""
    spec = _kinds.get(job.kind)
    return {
        "job": job,
        "label": job_label(job),
        "notifies": bool(spec and spec.notify),
        "download_url": job_download_url(job),
    }


def can_see_job(user, job):
    """The requester, and whoever the kind's callback allows; everyone else gets a 404."""
    if not user.is_authenticated:
        return False
    if job.requested_by_id is not None and job.requested_by_id == user.pk:
        return True
    spec = _kinds.get(job.kind)
    return bool(spec and spec.allows and spec.allows(user, job))


def recent_jobs_for(user, *, limit=5):
    """The person's latest jobs, newest first (the dashboard card)."""
    if not user.is_authenticated:
        return []
    jobs = list(
        Job.objects.filter(requested_by=user, kind__in=list(_kinds))
        .select_related("result")
        .order_by("-created_at", "-pk")[:limit]
    )
    for job in jobs:
        job.label = job_label(job)
        job.download_url = job_download_url(job)
    return jobs


def _enqueue_run(job):
    from .tasks import run_job_task

    transaction.on_commit(partial(run_job_task.delay, job.pk))


def job_enqueue(*, kind, by, obj=None, params=None, idempotency_key=None):
    """Create a job and run it once the transaction commits; a known key returns its job."""
    if kind not in _kinds:
        raise ValueError(f"Unknown job kind {kind!r}: register it with register_job_kind().")
    params = dict(params or {})
    params.setdefault("language", translation.get_language() or settings.LANGUAGE_CODE)
    with transaction.atomic():
        if idempotency_key:
            existing = Job.objects.select_for_update().filter(idempotency_key=idempotency_key)
            existing = existing.first()
            if existing is not None:
                if existing.status != Job.Status.FAILED:
                    return existing
                # A failed job gives its key up to the new attempt, and keeps its own history.
                existing.idempotency_key = None
                existing.save(update_fields=["idempotency_key"])
        job = Job(
            kind=kind,
            requested_by=by if by is not None and by.is_authenticated else None,
            params=params,
            idempotency_key=idempotency_key or None,
        )
        if obj is not None:
            job.content_type = ContentType.objects.get_for_model(obj)
            job.object_id = str(obj.pk)
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            # The same key was enqueued at the same moment by another request: that job counts.
            return Job.objects.get(idempotency_key=idempotency_key)
        _enqueue_run(job)
    return job


def job_retry(*, job, by):
    """Queue a failed job again (the requester, or whom the kind allows)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not can_see_job(by, job):
            raise DomainError(_("You may not retry this."))
        if job.status != Job.Status.FAILED:
            raise DomainError(_("Only a failed job can be tried again."))
        job.status = Job.Status.QUEUED
        job.progress = 0
        job.progress_message = ""
        job.error = ""
        job.run_token = None
        job.queued_at = timezone.now()
        job.started_at = None
        job.finished_at = None
        job.save()
        audit.record("core.job.retried", actor=by, obj=job, kind=job.kind)
        _enqueue_run(job)
    return job


def _report_progress(job, token, percent, message=""):
    percent = max(0, min(100, int(percent)))
    Job.objects.filter(pk=job.pk, run_token=token, status=Job.Status.RUNNING).update(
        progress=percent, progress_message=str(message)[:200]
    )
    job.progress, job.progress_message = percent, str(message)[:200]


def job_run(*, job_id, redelivered=False):
    """Run one job (called by run_job_task); a finished job, or one running elsewhere, is left.

    A job found "running" is taken over only when the broker says this delivery is a redelivery:
    the worker that had it died (Redis hands a task back only after the visibility timeout, which
    is longer than the hard time limit, or when its worker was lost). A second delivery that is not
    a redelivery is a duplicate while the first still runs: it does nothing.
    """
    token = uuid.uuid4()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            return job
        if job.status == Job.Status.RUNNING and not redelivered:
            logger.info("Job %s is already running; this delivery does nothing", job.uuid)
            return job
        spec = _kinds.get(job.kind)
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.progress = 0
        job.progress_message = ""
        job.run_token = token
        job.save()
    # The error a person reads is kept in the language they asked in.
    with translation.override(_job_language(job)):
        if spec is None:
            logger.error("Job %s has the unknown kind %r", job.uuid, job.kind)
            return _finish(job, token, error=str(GENERIC_ERROR))
        try:
            result = spec.func(job, partial(_report_progress, job, token))
        except DomainError as error:
            logger.warning("Job %s (%s) refused: %s", job.uuid, job.kind, error)
            return _finish(job, token, error=str(error.message))
        except Exception:
            logger.exception("Job %s (%s) failed", job.uuid, job.kind)
            return _finish(job, token, error=str(GENERIC_ERROR))
        return _finish(job, token, result=result, spec=spec)


def _job_language(job):
    language = (job.params or {}).get("language")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _finish(job, token, *, result=None, error=None, spec=None):
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.run_token != token or current.status != Job.Status.RUNNING:
            # Another delivery took the job over, or it was given up as stuck: theirs counts, and
            # the file this run made is removed, so the job still has one result.
            if result is not None and current.result_id != result.pk:
                stored_file_delete(stored_file=result)
            return current
        current.finished_at = timezone.now()
        if error is not None:
            current.status = Job.Status.FAILED
            current.error = error
        else:
            current.status = Job.Status.SUCCEEDED
            current.progress = 100
            current.result = result
        current.save()
        if error is None and spec is not None and spec.notify:
            _email_ready(current, spec)
    return current


def _email_ready(job, spec):
    person = job.requested_by
    if person is None or not person.email:
        return
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        label = str(spec.label)
        subject = _("Ready: %(label)s") % {"label": label}
        body = render_to_string(
            "core/email/job_ready.txt",
            {
                "person": person,
                "label": label,
                "url": absolute_url(reverse("core:job_status", args=[job.uuid])),
            },
        )
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body=body,
            to=[person.email],
        )
    enqueue_email_message(message)


def jobs_fail_stuck(*, now=None):
    """Mark failed what cannot be running any more, or was never picked up (the beat task)."""
    now = now or timezone.now()
    running_limit = timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT + settings.JOBS_STUCK_MARGIN_SECONDS
    )
    queued_limit = timedelta(seconds=settings.JOBS_QUEUED_TIMEOUT_SECONDS)
    stuck = Job.objects.filter(
        status=Job.Status.RUNNING, started_at__lt=now - running_limit
    ) | Job.objects.filter(status=Job.Status.QUEUED, queued_at__lt=now - queued_limit)
    count = 0
    for job_id in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            # Checked again under the lock: it may have finished or been retried meanwhile.
            still_stuck = (
                job.status == Job.Status.RUNNING and job.started_at < now - running_limit
            ) or (job.status == Job.Status.QUEUED and job.queued_at < now - queued_limit)
            if not still_stuck:
                continue
            logger.warning(
                "Job %s (%s) is stuck in %s; marking it failed", job.uuid, job.kind, job.status
            )
            job.status = Job.Status.FAILED
            with translation.override(_job_language(job)):
                job.error = str(STUCK_ERROR)
            job.run_token = None
            job.finished_at = now
            job.save()
            count += 1
    return count


def dashboard_panels(user):
    """The card of the person's recent files and exports, once they have asked for one."""
    from .registry import Panel

    jobs = recent_jobs_for(user)
    return [Panel("core/_jobs_panel.html", {"jobs": jobs}, order=90)] if jobs else []
