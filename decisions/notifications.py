"""Emails about decisions, one per recipient in their own language; sent after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from core.mail import absolute_url, email_subject, enqueue_email_message
from core.models import Network


def send_to_representatives(appointments, template, context):
    """Render `decisions/email/<template>_subject.txt` and `_body.txt` for each person."""
    network = Network.objects.get_current()
    seen = set()
    for appointment in appointments:
        person = appointment.person
        if not person.email or person.pk in seen:
            continue
        seen.add(person.pk)
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            data = {
                **context,
                "network": network,
                "person": person,
                "organisation": appointment.organisation,
            }
            if "decision" in context:
                data["url"] = absolute_url(context["decision"].get_absolute_url())
            subject = render_to_string(f"decisions/email/{template}_subject.txt", data)
            body = render_to_string(f"decisions/email/{template}_body.txt", data)
        enqueue_email_message(
            EmailMessage(
                subject=email_subject(subject),
                body=body,
                to=[person.email],
            )
        )
    return len(seen)
