import base64
import hashlib
import json
import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)

# Only errors of the mail server's reachability are worth retrying; a malformed message is not.
TRANSIENT_EMAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    TimeoutError,
    ConnectionError,
)


def _claim_ttl():
    # A live task never runs longer than the hard time limit: after that its claim is stale.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


@shared_task(
    autoretry_for=TRANSIENT_EMAIL_ERRORS,
    retry_backoff=30,
    # Below the broker's visibility timeout, so a retry waiting on a worker is not delivered
    # twice meanwhile (and the ledger makes a second copy harmless anyway).
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=10,
)
def send_email_task(*, subject, body, to, from_email=None, html=None, attachments=(), event=None):
    """Send one email, once per (event, recipient); retried while the mail server is away.

    Each recipient is claimed in the email ledger (core.EmailLedgerEntry) before the SMTP
    hand-off and marked sent after it, so a task delivered again (a killed worker, a retry)
    sends nothing that already went out.
    """
    from .mail import email_subject
    from .models import EmailLedgerEntry

    # Normalised again here: a task queued by an older release may carry a raw subject.
    subject = email_subject(subject)
    if not event:
        # Queued by an older release without a key: the same message is the same event.
        content = json.dumps([subject, body, html, sorted(to)], sort_keys=True)
        event = "unkeyed:" + hashlib.sha256(content.encode()).hexdigest()
    ttl = _claim_ttl()
    recipients = [
        address
        for address in to
        if EmailLedgerEntry.objects.claim(event=event, recipient=address, ttl=ttl)
    ]
    if not recipients:
        logger.info("Email %r for %s already sent; skipped", subject, event)
        return
    message = EmailMultiAlternatives(subject, body, from_email, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype, is_base64 in attachments:
        message.attach(filename, base64.b64decode(content) if is_base64 else content, mimetype)
    try:
        message.send()
    except BaseException:
        EmailLedgerEntry.objects.release(event=event, recipients=recipients)
        raise
    EmailLedgerEntry.objects.mark_sent(event=event, recipients=recipients)
    logger.info("Sent email %r to %d recipient(s)", subject, len(recipients))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_job_task(self, job_id):
    """Run a background job (core.jobs); a second delivery of a finished job does nothing."""
    from .jobs import job_run

    delivery = self.request.delivery_info or {}
    job = job_run(job_id=job_id, redelivered=bool(delivery.get("redelivered")))
    return job.status if job is not None else None


@shared_task
def fail_stuck_jobs_task():
    """Beat: jobs past the hard time limit, or never picked up, are marked failed."""
    from .jobs import jobs_fail_stuck

    return jobs_fail_stuck()


@shared_task
def purge_email_ledger_task(days=None, batch=10_000):
    """Forget emails sent more than `days` ago (EMAIL_LEDGER_RETENTION_DAYS), a batch at a time.

    The ledger stops a task delivered twice from sending twice; a redelivery comes within hours,
    and every scheduled email's event names its occasion (a meeting, a deadline, a year), so a
    row older than a year guards nothing. Deleted in batches: no long lock on a table that grows
    by every email the portal sends.
    """
    from django.utils import timezone

    from .models import EmailLedgerEntry

    days = settings.EMAIL_LEDGER_RETENTION_DAYS if days is None else days
    old = EmailLedgerEntry.objects.filter(created_at__lt=timezone.now() - timedelta(days=days))
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:batch]):
        deleted += EmailLedgerEntry.objects.filter(pk__in=ids).delete()[0]
    return deleted


@shared_task
def purge_form_submissions_task(days=30):
    """Forget the tokens of forms sent more than `days` ago; their pages are long gone."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import FormSubmission

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _details = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
