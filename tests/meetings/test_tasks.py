from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Meeting, Participant, SentReminder
from meetings.tasks import (
    send_meeting_reminders_task,
    send_overdue_action_digest_task,
    send_rsvp_chasers_task,
)
from tests.factories import ActionPointFactory, past_meeting, scheduled_meeting

pytestmark = pytest.mark.django_db


def _move_to(meeting, days):
    starts = timezone.now() + timedelta(days=days)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )


def test_meeting_reminders_go_out_once_even_if_the_task_runs_twice(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    Participant.objects.filter(meeting=meeting, person=people.focal_b).update(
        response="not_attending"
    )
    _move_to(meeting, 6)  # within the 7-day reminder
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = send_meeting_reminders_task.apply().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_meeting_reminders_task.apply().get()
    assert first == 3  # everyone invited except the one who declined
    assert second == 0
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(
        [people.chair.email, people.focal_a.email, people.alternate_a.email]
    )
    assert all("Reminder:" in m.subject for m in mailoutbox)
    assert SentReminder.objects.filter(kind="meeting").count() == 3


def test_the_day_before_sends_the_second_reminder_once(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    _move_to(meeting, 6)
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_reminders_task.apply()
    _move_to(meeting, 0.5)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_reminders_task.apply()
        send_meeting_reminders_task.apply()
    assert len(mailoutbox) == 4


def test_no_reminder_outside_the_configured_days(people, network, mailoutbox):
    meeting = scheduled_meeting(by=people.chair)
    network.meeting_reminder_days = [3]
    network.save()
    _move_to(meeting, 6)
    mailoutbox.clear()
    assert send_meeting_reminders_task.apply().get() == 0


def test_rsvp_chasers_go_to_agencies_without_an_answer_once(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    # AGA answered (through its alternate): it is not chased; AGB and the co-chair's agency are.
    Participant.objects.filter(meeting=meeting, person=people.alternate_a).update(
        response="attending"
    )
    _move_to(meeting, 5)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_rsvp_chasers_task.apply()
        send_rsvp_chasers_task.apply()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([people.chair.email, people.focal_b.email])


def test_overdue_digest_is_weekly_and_once_per_owner(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = past_meeting(days_ago=40)
    yesterday = timezone.localdate() - timedelta(days=1)
    ActionPointFactory(meeting=meeting, owner_organisation=people.agency_a, due_date=yesterday)
    ActionPointFactory(
        meeting=meeting, owner_organisation=people.agency_a, due_date=yesterday - timedelta(days=3)
    )
    ActionPointFactory(
        meeting=meeting,
        owner_organisation=people.agency_b,
        owner_person=people.staff_a,
        due_date=yesterday,
    )
    ActionPointFactory(meeting=meeting, owner_organisation=people.agency_b, due_date=None)
    ActionPointFactory(
        meeting=meeting, owner_organisation=people.agency_b, due_date=yesterday, status="done"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_action_digest_task.apply()
        send_overdue_action_digest_task.apply()
    recipients = sorted(m.to[0] for m in mailoutbox)
    # AGA's unassigned ones go to its focal point and alternate; the assigned one to its owner.
    assert recipients == sorted(
        [people.focal_a.email, people.alternate_a.email, people.staff_a.email]
    )
    focal_mail = next(m for m in mailoutbox if m.to == [people.focal_a.email])
    assert "Overdue action points: 2" in focal_mail.subject
