"""Reminders sent by the scheduler; each one once per recipient, however often the task runs."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Network
from members.models import Appointment

from .. import notifications, rules
from ..models import ActionPoint, Meeting, Participant, SentReminder

logger = logging.getLogger(__name__)


def _claim(kind, recipient, key, meeting=None):
    """Record the reminder as sent; False when it already was (the unique constraint decides)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, recipient=recipient, key=key, meeting=meeting)
    except IntegrityError:
        return False
    return True


def _days_left(meeting, network, today):
    return (timezone.localtime(meeting.starts_at, network.tzinfo).date() - today).days


def _upcoming(network, today):
    horizon = max(network.meeting_reminder_days or [0])
    return Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=timezone.now(),
        starts_at__date__lte=today + timedelta(days=horizon + 1),
    ).order_by("starts_at")


def send_meeting_reminders(*, now=None):
    """N days before (Network.meeting_reminder_days), to everyone invited who has not declined."""
    network = Network.objects.get_current()
    today = timezone.localtime(now or timezone.now(), network.tzinfo).date()
    sent = 0
    for meeting in _upcoming(network, today):
        offset = rules.reminder_offset_due(
            days_left=_days_left(meeting, network, today), offsets=network.meeting_reminder_days
        )
        if offset is None:
            continue
        participants = (
            meeting.participants.exclude(response=Participant.Response.NOT_ATTENDING)
            .select_related("person")
            .filter(person__is_active=True)
        )
        for participant in participants:
            with transaction.atomic():
                if not _claim(
                    SentReminder.Kind.MEETING,
                    participant.person,
                    f"meeting:{meeting.pk}:{offset}",
                    meeting,
                ):
                    continue
                notifications.send_meeting_reminder(
                    meeting,
                    participant.person,
                    days_left=_days_left(meeting, network, today),
                    participant=participant,
                )
                sent += 1
    logger.info("Meeting reminders sent: %d", sent)
    return sent


def send_rsvp_chasers(*, now=None):
    """To the focal point and alternate of each invited agency that has not answered yet."""
    network = Network.objects.get_current()
    today = timezone.localtime(now or timezone.now(), network.tzinfo).date()
    sent = 0
    for meeting in _upcoming(network, today):
        offset = rules.rsvp_chaser_due(
            days_left=_days_left(meeting, network, today), offsets=network.meeting_reminder_days
        )
        if offset is None:
            continue
        by_agency = defaultdict(list)
        for participant in meeting.participants.filter(
            kind=Participant.Kind.MEMBER, organisation__isnull=False
        ).select_related("person", "organisation"):
            by_agency[participant.organisation].append(participant)
        for organisation, participants in by_agency.items():
            if rules.agency_answer([p.response for p in participants]):
                continue
            for participant in participants:
                with transaction.atomic():
                    if not _claim(
                        SentReminder.Kind.RSVP_CHASER,
                        participant.person,
                        f"rsvp:{meeting.pk}:{offset}",
                        meeting,
                    ):
                        continue
                    notifications.send_rsvp_chaser(meeting, participant.person, organisation)
                    sent += 1
    logger.info("RSVP chasers sent: %d", sent)
    return sent


def send_overdue_action_digest(*, today=None):
    """Weekly: each owner gets one email listing their overdue action points."""
    network = Network.objects.get_current()
    today = today or timezone.localtime(timezone.now(), network.tzinfo).date()
    week = rules.iso_week_key(today)
    overdue = list(
        ActionPoint.objects.overdue(today)
        .select_related("meeting", "owner_person", "owner_organisation")
        .order_by("due_date", "pk")
    )
    organisation_ids = {a.owner_organisation_id for a in overdue if a.owner_person_id is None}
    representatives = defaultdict(list)
    for appointment in (
        Appointment.objects.active()
        .filter(organisation_id__in=organisation_ids)
        .select_related("person")
    ):
        representatives[appointment.organisation_id].append(appointment.person)
    by_person = defaultdict(list)
    people = {}
    for action in overdue:
        owners = (
            [action.owner_person]
            if action.owner_person_id
            else representatives.get(action.owner_organisation_id, [])
        )
        for person in owners:
            if person.is_active:
                people[person.pk] = person
                by_person[person.pk].append(action)
    sent = 0
    for person_id, actions in by_person.items():
        with transaction.atomic():
            if not _claim(SentReminder.Kind.ACTION_DIGEST, people[person_id], f"digest:{week}"):
                continue
            notifications.send_overdue_digest(people[person_id], actions)
            sent += 1
    logger.info("Overdue action point digests sent: %d", sent)
    return sent
