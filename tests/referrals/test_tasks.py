"""Beat tasks: escalation of overdue referrals (once), retention erasure (idempotent)."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from referrals import rules, services
from referrals.models import Referral
from referrals.tasks import erase_expired_referrals_task, escalate_overdue_referrals_task

from .conftest import FICTIONAL_NAME, make_referral

pytestmark = pytest.mark.django_db


def test_acknowledge_deadline_follows_urgency(rworld, settings):
    referral = make_referral(rworld, urgency="emergency")
    assert referral.acknowledge_due_at - referral.sent_at == timedelta(hours=24)
    settings.REFERRALS_ACKNOWLEDGE_HOURS = {**settings.REFERRALS_ACKNOWLEDGE_HOURS, "normal": 5}
    normal = make_referral(rworld, name="Another", urgency="normal")
    assert normal.acknowledge_due_at - normal.sent_at == timedelta(hours=5)


def test_overdue_referral_escalates_to_the_focal_point_once(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    referral = make_referral(rworld, urgency="emergency")
    mailoutbox.clear()
    assert escalate_overdue_referrals_task.delay().get() == 0  # not yet due
    Referral.objects.filter(pk=referral.pk).update(
        acknowledge_due_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_referrals_task.delay().get() == 1
    assert [message.to for message in mailoutbox] == [["unhcr.focal@example.org"]]
    assert referral.reference in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_referrals_task.delay().get() == 0
    assert len(mailoutbox) == 1


def test_acknowledged_referral_does_not_escalate(rworld, mailoutbox):
    referral = make_referral(rworld)
    services.referral_transition(
        referral=referral, action="acknowledge", by=rworld.users["unhcr_referrals"]
    )
    Referral.objects.filter(pk=referral.pk).update(acknowledge_due_at=timezone.now())
    assert escalate_overdue_referrals_task.delay().get() == 0


def _close(rworld, referral):
    unhcr = rworld.users["unhcr_referrals"]
    for action in ("acknowledge", "accept"):
        services.referral_transition(referral=referral, action=action, by=unhcr)
    services.referral_transition(referral=referral, action="close", by=unhcr, reason="Done")


def test_retention_erases_identifying_data_keeps_statistics_and_runs_once(rworld, settings):
    settings.REFERRALS_RETENTION_MONTHS = 12
    old = make_referral(rworld)
    recent = make_referral(rworld, name="Recent Person")
    _close(rworld, old)
    _close(rworld, recent)
    Referral.objects.filter(pk=old.pk).update(ended_at=timezone.now() - timedelta(days=400))

    assert erase_expired_referrals_task.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.is_erased and old.full_name == "" and old.outcome == ""
    assert old.status == "closed" and old.services == ["protection"]  # statistics remain
    assert old.access_log.filter(action="retention_erased", user=None).count() == 1
    assert recent.full_name == "Recent Person"

    assert erase_expired_referrals_task.delay().get() == 0
    assert old.access_log.filter(action="retention_erased").count() == 1


def test_open_referrals_are_not_erased(rworld, settings):
    settings.REFERRALS_RETENTION_MONTHS = 0
    referral = make_referral(rworld)
    assert erase_expired_referrals_task.delay().get() == 0
    referral.refresh_from_db()
    assert referral.full_name == FICTIONAL_NAME


def test_retention_cutoff_counts_calendar_months():
    now = timezone.datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert rules.retention_cutoff(now, 1) == timezone.datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert rules.retention_cutoff(now, 12) == timezone.datetime(2025, 3, 31, 12, tzinfo=UTC)
