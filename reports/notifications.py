"""Emails about reports, one per recipient in their own language; sent after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.mail import absolute_url, enqueue_email_message
from core.models import Network
from members.models import Appointment, Membership


def co_chairs():
    """The focal points and alternates of the co-chairing agencies (who compile the reports)."""
    agencies = Membership.objects.active().filter(role=Membership.Role.CO_CHAIR)
    people = {}
    for appointment in (
        Appointment.objects.active()
        .filter(organisation__in=agencies.values("organisation"), person__is_active=True)
        .select_related("person")
        .order_by("pk")
    ):
        people.setdefault(appointment.person.pk, appointment.person)
    return list(people.values())


def send_reminder(people, template, context):
    """Render `reports/email/<template>_subject.txt` and `_body.txt` for each person."""
    network = Network.objects.get_current()
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    sent = 0
    for person in people:
        if not person.email:
            continue
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            data = {
                **context,
                "network": network,
                "person": person,
                "url": absolute_url(reverse("reports:list")),
            }
            if context.get("period") is not None:
                from .rules import period_label

                data["period_label"] = period_label(context["period"])
            subject = render_to_string(f"reports/email/{template}_subject.txt", data)
            body = render_to_string(f"reports/email/{template}_body.txt", data)
        enqueue_email_message(
            EmailMessage(
                subject=f"{prefix}{' '.join(subject.split())}", body=body, to=[person.email]
            )
        )
        sent += 1
    return sent
