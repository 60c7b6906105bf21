"""Each email goes out once per (event, recipient), even when its task runs twice."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from core.mail import enqueue_email_message
from core.models import EmailLedgerEntry
from core.tasks import send_email_task
from tests.factories import MeetingFactory, co_chair, focal_point

pytestmark = pytest.mark.django_db
EVENT = "meetings.invitation:1:0:meeting_invitation"


class FlakyBackend(EmailBackend):
    """The locmem backend whose server drops the first connection of each test."""

    failures = []

    def send_messages(self, messages):
        if not self.failures:
            self.failures.append(True)
            raise smtplib.SMTPServerDisconnected("gone")
        return super().send_messages(messages)


def _send(event=EVENT, to=("focal@example.org",)):
    send_email_task.run(subject="Invitation", body="Come.", to=list(to), event=event)


def test_sending_the_same_event_to_the_same_recipient_twice_sends_once():
    _send()
    _send(to=("FOCAL@example.org",))

    assert len(mail.outbox) == 1
    entry = EmailLedgerEntry.objects.get()
    assert entry.sent_at is not None
    assert entry.recipient == "focal@example.org"


def test_another_event_or_recipient_is_another_email():
    _send()
    _send(event="meetings.invitation:1:1:meeting_updated")
    _send(to=("alternate@example.org",))

    assert len(mail.outbox) == 3


def test_an_expired_claim_without_a_sent_mark_is_sent_again():
    # A worker was killed after claiming, before (or during) the SMTP hand-off.
    EmailLedgerEntry.objects.create(
        event=EVENT,
        recipient="focal@example.org",
        claimed_until=timezone.now() - timedelta(seconds=1),
        attempts=1,
    )

    _send()

    assert len(mail.outbox) == 1
    entry = EmailLedgerEntry.objects.get()
    assert entry.sent_at is not None
    assert entry.attempts == 2


def test_a_live_claim_of_another_worker_is_not_sent_twice():
    EmailLedgerEntry.objects.create(
        event=EVENT,
        recipient="focal@example.org",
        claimed_until=timezone.now() + timedelta(minutes=5),
        attempts=1,
    )

    _send()

    assert mail.outbox == []


def test_a_failed_hand_off_releases_the_claim_so_the_retry_sends(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures.clear()

    with pytest.raises(smtplib.SMTPServerDisconnected):
        _send()
    assert EmailLedgerEntry.objects.get().sent_at is None
    _send()

    assert len(mail.outbox) == 1


def test_a_message_whose_task_is_delivered_twice_goes_out_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_email_message(EmailMessage("Minutes", "Attached.", to=["focal@example.org"]))

    callbacks[0]()
    callbacks[0]()  # the broker hands the same task to a second worker

    assert len(mail.outbox) == 1


def test_meeting_invitations_are_sent_once_when_scheduling_runs_its_emails_twice(
    django_capture_on_commit_callbacks,
):
    from meetings.services.meetings import meeting_schedule

    focal_point()
    focal_point()
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting_schedule(meeting=meeting, by=co_chair())
    for callback in callbacks:
        callback()
    first = len(mail.outbox)
    for callback in callbacks:
        callback()

    assert first >= 2
    assert len(mail.outbox) == first
    assert (
        EmailLedgerEntry.objects.filter(
            event=f"meetings.invitation:{meeting.pk}:0:meeting_invitation"
        ).count()
        == first
    )


def test_a_killed_worker_s_task_comes_back_soon(settings):
    from unnm.celery import app

    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_time_limit < timeout <= max(4 * app.conf.task_time_limit, 1200)
    assert send_email_task.retry_backoff_max < timeout


def test_the_ledger_forgets_emails_older_than_its_retention_in_batches(settings):
    """Old rows are deleted (the table does not grow forever); recent ones keep guarding."""
    from core.tasks import purge_email_ledger_task

    settings.EMAIL_LEDGER_RETENTION_DAYS = 400
    now = timezone.now()
    EmailLedgerEntry.objects.bulk_create(
        EmailLedgerEntry(event=f"old:{n}", recipient="a@example.org", claimed_until=now)
        for n in range(25)
    )
    EmailLedgerEntry.objects.update(created_at=now - timedelta(days=401))
    EmailLedgerEntry.objects.create(
        event="recent", recipient="a@example.org", claimed_until=now, sent_at=now
    )

    assert purge_email_ledger_task(batch=10) == 25
    assert list(EmailLedgerEntry.objects.values_list("event", flat=True)) == ["recent"]
    assert purge_email_ledger_task() == 0  # running it again changes nothing
    # A recent email is still sent once only.
    assert not EmailLedgerEntry.objects.claim(
        event="recent", recipient="a@example.org", ttl=timedelta(minutes=5)
    )
