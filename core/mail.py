"""Sending email from services: rendered now, delivered by Celery after the transaction commits."""

import base64
import uuid
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from .tasks import send_email_task
from .validators import CONTROL_CHARACTERS


def _one_line(text):
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(text)).split())


def email_subject(subject):
    """The subject of every email the portal sends: one line, with the portal's prefix once.

    Control characters become spaces and runs of whitespace one space: a CR/LF in a meeting
    title would otherwise make Django refuse the header (BadHeaderError) and the email is lost.
    """
    prefix = _one_line(getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") or "")
    text = _one_line(subject)
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :].lstrip()
    return f"{prefix} {text}" if prefix else text


def enqueue_email_message(message: EmailMessage, *, event=None):
    """Deliver an already built message through Celery once the current transaction commits.

    Every email of the portal goes through here, so its subject is normalised here
    (`email_subject`), whatever the caller built. `event` names what the email is about, e.g.
    "meetings.invitation:<meeting id>:<sequence>": it is sent at most once per event and
    recipient (core.EmailLedgerEntry), however often the task runs or the caller enqueues it.
    Without one, the message is its own event: a task delivered twice still sends it once.
    """
    event = event or f"message:{uuid.uuid4().hex}"
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
            subject=email_subject(message.subject),
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html=html,
            attachments=attachments,
            event=event,
        )
    )


def absolute_url(path):
    """The absolute address of a path of the portal (PORTAL_URL), for emails and calendar files."""
    return f"{settings.PORTAL_URL}{path}"
