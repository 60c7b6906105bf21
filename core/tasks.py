import base64
import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)

# Only errors of the mail server's reachability are worth retrying; a malformed message is not.
TRANSIENT_EMAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    TimeoutError,
    ConnectionError,
)


@shared_task(
    autoretry_for=TRANSIENT_EMAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
)
def send_email_task(*, subject, body, to, from_email=None, html=None, attachments=()):
    """Send one email; retried with back-off while the mail server cannot be reached."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype, is_base64 in attachments:
        message.attach(filename, base64.b64decode(content) if is_base64 else content, mimetype)
    message.send()
    logger.info("Sent email %r to %d recipient(s)", subject, len(to))


@shared_task
def purge_form_submissions_task(days=30):
    """Forget the tokens of forms sent more than `days` ago; their pages are long gone."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import FormSubmission

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _details = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
