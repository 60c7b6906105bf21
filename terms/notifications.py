"""Emails about the Terms of Reference, one per recipient in their own language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.mail import absolute_url, enqueue_email_message
from core.models import Network
from members.models import Appointment, Membership


def co_chairs():
    """The active focal points and alternates of the co-chairing agencies."""
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


def send_review_reminder(version, due_on):
    """Remind the co-chairs that the yearly review of `version` is due; returns how many."""
    network = Network.objects.get_current()
    sent = 0
    for person in co_chairs():
        if not person.email:
            continue
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "network": network,
                "person": person,
                "version": version,
                "due_on": due_on,
                "url": absolute_url(reverse("terms:current")),
                "review_url": absolute_url(reverse("terms:review")),
            }
            subject = render_to_string("terms/email/review_due_subject.txt", context)
            body = render_to_string("terms/email/review_due_body.txt", context)
        enqueue_email_message(
            EmailMessage(subject=" ".join(subject.split()), body=body, to=[person.email]),
            # Keyed by version and anniversary: a task run twice sends each person one email.
            event=f"terms.review_due:{version.pk}:{due_on.isoformat()}",
        )
        sent += 1
    return sent
