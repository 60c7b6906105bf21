"""A change of focal point reaches every scheduled meeting and every open decision at once."""

import pytest
from django.urls import reverse

from core import registry
from core.errors import DomainError
from decisions import services
from decisions.models import Position
from members import services as member_services
from members.models import Appointment
from members.roles import Role
from tests.factories import UserFactory, open_decision, scheduled_meeting

pytestmark = pytest.mark.django_db


def test_a_replaced_focal_points_successor_is_invited_and_may_record_and_the_predecessor_not(
    client, electorate, mailoutbox, django_capture_on_commit_callbacks
):
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    meetings = [scheduled_meeting(by=electorate.chair) for _ in range(2)]
    decisions = [open_decision(by=electorate.chair) for _ in range(2)]
    predecessor = electorate.fp_b
    successor = UserFactory(organisation=electorate.agency_b, email="successor@example.org")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        member_services.appointment_replace(
            organisation=electorate.agency_b,
            person=successor,
            kind=Appointment.Kind.FOCAL_POINT,
            level="",
            by=rco,
        )

    # Every scheduled meeting: the successor is invited (with the .ics), the predecessor is not.
    for meeting in meetings:
        assert meeting.participants.filter(person=successor).exists()
        assert not meeting.participants.filter(person=predecessor).exists()
    assert len([m for m in mailoutbox if m.to == [successor.email]]) == len(meetings)
    assert len([m for m in mailoutbox if m.to == [predecessor.email]]) == len(meetings)

    # Dashboards follow: the successor's cards list the meeting (with the invitation) and the
    # decisions awaiting the agency's position; the predecessor has no card at all.
    successor = type(successor).objects.get(pk=successor.pk)
    cards = {panel.template_name: panel.context for panel in registry.panels_for(successor)}
    assert cards["meetings/_dashboard_panel.html"]["participant"].person == successor
    assert set(cards["decisions/_dashboard_panel.html"]["decisions"]) == set(decisions)
    predecessor = type(predecessor).objects.get(pk=predecessor.pk)
    assert registry.panels_for(predecessor) == []

    # Every open decision: the successor records the agency's position, the predecessor cannot.
    for decision in decisions:
        with pytest.raises(DomainError):
            services.position_record(
                decision=decision, organisation=electorate.agency_b, stance="concur", by=predecessor
            )
        services.position_record(
            decision=decision, organisation=electorate.agency_b, stance="concur", by=successor
        )
        assert Position.objects.get(decision=decision, organisation=electorate.agency_b)

    # The predecessor holds no role any more: the meetings and decisions are not theirs to see.
    client.force_login(predecessor)
    for meeting in meetings:
        assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    client.force_login(successor)
    for meeting in meetings:
        page = client.get(reverse("meetings:detail", args=[meeting.pk]))
        assert page.status_code == 200
    for decision in decisions:
        page = client.get(reverse("decisions:detail", args=[decision.pk]))
        assert page.status_code == 200


def test_who_may_record_follows_the_appointment_without_a_stored_copy(electorate):
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    decision = open_decision(by=electorate.chair)
    appointment = Appointment.objects.active().get(person=electorate.fp_a)
    member_services.appointment_end(appointment=appointment, by=rco)
    # The alternate still speaks for the agency; the focal point who left does not.
    with pytest.raises(DomainError):
        services.position_record(
            decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
        )
    services.position_record(
        decision=decision,
        organisation=electorate.agency_a,
        stance="concur",
        by=electorate.alternate_a,
    )
