"""Emails of the meetings module, built now and delivered by Celery after the commit."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.mail import absolute_url, email_subject, enqueue_email_message
from core.models import Network

from .ics import meeting_ics

# The meeting's title worded when the subject is, inside the recipient's language (`_send`).
_title_of = lazy(lambda meeting: meeting.display_title, str)


def portal_url(path=""):
    """Absolute URL for links in emails and calendars (PORTAL_URL in the environment)."""
    return absolute_url(path)


def _send(person, *, subject, template, context, attachments=(), event=None):
    if not person.email:
        return
    network = Network.objects.get_current()
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(
            template,
            {"person": person, "network": network, "portal_url": portal_url(), **context},
        )
        message = EmailMultiAlternatives(
            subject=email_subject(subject[0] % subject[1]),
            body=body,
            to=[person.email],
        )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    enqueue_email_message(message, event=event)


def send_meeting_invitation(meeting, people, *, update=False):
    """Invitation (or update, or cancellation) with the .ics: one email per person."""
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    if meeting.is_cancelled:
        template, subject = "meetings/email/meeting_cancelled.txt", _("Cancelled: %(title)s")
    elif update:
        template, subject = "meetings/email/meeting_updated.txt", _("Updated: %(title)s")
    else:
        template, subject = "meetings/email/meeting_invitation.txt", _("Invitation: %(title)s")
    # One email per person and version of the meeting (its SEQUENCE), whatever runs twice.
    kind = template.rsplit("/", 1)[1].removesuffix(".txt")
    event = f"meetings.invitation:{meeting.pk}:{meeting.sequence}:{kind}"
    for person in people:
        ics = meeting_ics(meeting, base_url=portal_url(), attendee=person)
        _send(
            person,
            subject=(subject, {"title": _title_of(meeting)}),
            template=template,
            context={"meeting": meeting, "url": portal_url(meeting.get_absolute_url())},
            attachments=[("meeting.ics", ics, f"text/calendar; method={method}; charset=UTF-8")],
            event=event,
        )


def send_call_for_agenda_items(meeting, people):
    for person in people:
        _send(
            person,
            subject=(_("Call for agenda items: %(title)s"), {"title": _title_of(meeting)}),
            template="meetings/email/call_for_agenda_items.txt",
            context={"meeting": meeting, "url": portal_url(meeting.get_absolute_url())},
        )


def send_agenda(meeting, people, items, pdfs=None):
    """The agenda to each person, with its PDF in their language (`pdfs`: language → bytes)."""
    pdfs = pdfs or {}
    for person in people:
        pdf = pdfs.get(person.preferred_language or settings.LANGUAGE_CODE)
        attachments = [("agenda.pdf", pdf, "application/pdf")] if pdf else []
        _send(
            person,
            subject=(_("Agenda: %(title)s"), {"title": _title_of(meeting)}),
            template="meetings/email/agenda.txt",
            context={
                "meeting": meeting,
                "items": items,
                "url": portal_url(meeting.get_absolute_url()),
            },
            attachments=attachments,
        )


def send_minutes_for_comment(minutes, people):
    for person in people:
        _send(
            person,
            subject=(_("Minutes for comment: %(title)s"), {"title": _title_of(minutes.meeting)}),
            template="meetings/email/minutes_circulated.txt",
            context={
                "minutes": minutes,
                "meeting": minutes.meeting,
                "url": portal_url(minutes.meeting.get_absolute_url() + "minutes/"),
            },
        )


def send_meeting_reminder(meeting, person, *, days_left, participant=None):
    _send(
        person,
        subject=(_("Reminder: %(title)s"), {"title": _title_of(meeting)}),
        template="meetings/email/meeting_reminder.txt",
        context={
            "meeting": meeting,
            "days_left": days_left,
            "participant": participant,
            "url": portal_url(meeting.get_absolute_url()),
        },
    )


def send_rsvp_chaser(meeting, person, organisation):
    _send(
        person,
        subject=(_("Please answer: %(title)s"), {"title": _title_of(meeting)}),
        template="meetings/email/rsvp_chaser.txt",
        context={
            "meeting": meeting,
            "organisation": organisation,
            "url": portal_url(meeting.get_absolute_url()),
        },
    )


def send_overdue_digest(person, action_points):
    _send(
        person,
        subject=(_("Overdue action points: %(count)s"), {"count": len(action_points)}),
        template="meetings/email/overdue_digest.txt",
        context={"action_points": action_points, "url": portal_url("/meetings/actions/?mine=1")},
    )


def send_meeting_withdrawal(meeting, people):
    """To people no longer invited (their appointment ended): a METHOD:CANCEL for them only."""
    from .ics import meeting_withdrawal_ics

    for person in people:
        ics = meeting_withdrawal_ics(meeting, base_url=portal_url(), attendee=person)
        _send(
            person,
            subject=(_("No longer invited: %(title)s"), {"title": _title_of(meeting)}),
            template="meetings/email/meeting_withdrawn.txt",
            context={"meeting": meeting},
            attachments=[("meeting.ics", ics, "text/calendar; method=CANCEL; charset=UTF-8")],
        )


def send_agenda_item_proposed(item, people):
    """Tell the co-chairs and the secretariat that a focal point proposes an agenda item."""
    meeting = item.meeting
    for person in people:
        _send(
            person,
            subject=(_("Agenda item proposed: %(title)s"), {"title": _title_of(meeting)}),
            template="meetings/email/agenda_item_proposed.txt",
            context={
                "meeting": meeting,
                "item": item,
                "url": portal_url(meeting.get_absolute_url()),
            },
        )


def send_alternate_attends(meeting, people, *, organisation, answered_by):
    """Tell an agency's alternate that the agency answered "alternate attends"."""
    for person in people:
        _send(
            person,
            subject=(_("You attend for your agency: %(title)s"), {"title": _title_of(meeting)}),
            template="meetings/email/alternate_attends.txt",
            context={
                "meeting": meeting,
                "organisation": organisation,
                "answered_by": answered_by,
                "url": portal_url(meeting.get_absolute_url()),
            },
        )


def send_agenda_item_decided(item):
    """Tell whoever proposed an item whether the co-chairs took it on the agenda."""
    if item.proposed_by is None:
        return
    meeting = item.meeting
    accepted = item.status == item.Status.ACCEPTED
    subject = (
        _("Agenda item accepted: %(title)s") if accepted else _("Agenda item not taken: %(title)s")
    )
    _send(
        item.proposed_by,
        subject=(subject, {"title": _title_of(meeting)}),
        template="meetings/email/agenda_item_decided.txt",
        context={
            "meeting": meeting,
            "item": item,
            "accepted": accepted,
            "url": portal_url(meeting.get_absolute_url()),
        },
    )
