"""Sending email from services: rendered now, delivered by Celery after the transaction commits."""

import base64
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from .tasks import send_email_task


def enqueue_email_message(message: EmailMessage):
    """Deliver an already built message through Celery once the current transaction commits."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    # Task arguments travel as JSON: binary attachments go base64-encoded.
    attachments = [
        (name, content, mimetype, False)
        if isinstance(content, str)
        else (name, base64.b64encode(content).decode("ascii"), mimetype, True)
        for name, content, mimetype in message.attachments
    ]
    transaction.on_commit(
        partial(
            send_email_task.delay,
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html=html,
            attachments=attachments,
        )
    )


def absolute_url(path):
    """The absolute address of a path of the portal (PORTAL_URL), for emails and calendar files."""
    return f"{settings.PORTAL_URL}{path}"
