"""The scheduled task that closes invitations past their date, and the demo's invitations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.seeding import DemoContext
from members import demo
from members.models import Invitation
from members.tasks import expire_invitations_task
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_the_expiry_task_marks_lapsed_invitations_once():
    lapsed = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=5))
    live = InvitationFactory()

    assert expire_invitations_task.delay().get() == 1
    assert expire_invitations_task.delay().get() == 0

    assert Invitation.objects.get(pk=lapsed.pk).status == "expired"
    assert Invitation.objects.get(pk=live.pk).status == "pending"


def test_the_demo_has_pending_and_expired_invitations_and_seeding_twice_adds_none():
    demo.seed(DemoContext())
    demo.seed(DemoContext())

    assert Invitation.objects.count() == len(demo.DEMO_INVITATIONS)
    assert Invitation.objects.with_status("pending").count() == 3
    assert Invitation.objects.with_status("expired").count() == 2
