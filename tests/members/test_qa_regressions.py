"""Regressions found by walking the members pages as their users would (QA pass)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from members import services
from members.models import Appointment
from members.roles import Role
from tests.factories import UserFactory, focal_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def rco():
    return UserFactory(roles=[Role.RCO_ADMIN])


def test_ending_an_appointment_in_the_future_is_refused(client, rco):
    """The seat was freed at once while the history claimed the person held it for years."""
    person = focal_point()
    appointment = Appointment.objects.get(person=person)
    client.force_login(rco)

    response = client.post(
        reverse("members:appointment_end", args=[appointment.pk]),
        {"end_date": (timezone.localdate() + timedelta(days=30)).isoformat()},
    )

    assert response.status_code == 200
    assert "cannot end in the future" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.is_active


def test_an_appointment_starting_in_the_future_is_refused(client, rco):
    agency = focal_point().organisation
    newcomer = UserFactory(organisation=agency)
    client.force_login(rco)

    response = client.post(
        reverse("members:appointment_create", args=[agency.pk]),
        {
            "person": newcomer.pk,
            "kind": Appointment.Kind.ALTERNATE,
            "level": Appointment.Level.SPECIALIST,
            "start_date": (timezone.localdate() + timedelta(days=400)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "cannot start in the future" in response.content.decode()
    assert not Appointment.objects.filter(person=newcomer).exists()


def test_a_replacement_cannot_start_before_the_current_appointment(rco):
    current = focal_point()
    agency = current.organisation
    Appointment.objects.filter(person=current).update(
        start_date=timezone.localdate() - timedelta(days=10)
    )
    newcomer = UserFactory(organisation=agency)

    with pytest.raises(DomainError) as error:
        services.appointment_replace(
            organisation=agency,
            person=newcomer,
            kind=Appointment.Kind.FOCAL_POINT,
            level=Appointment.Level.FOCAL_POINT,
            start_date=timezone.localdate() - timedelta(days=30),
            by=rco,
        )

    assert error.value.code == "start_before_current"
    assert Appointment.objects.active().get(organisation=agency).person == current

    replacement = services.appointment_replace(
        organisation=agency,
        person=newcomer,
        kind=Appointment.Kind.FOCAL_POINT,
        level=Appointment.Level.FOCAL_POINT,
        start_date=timezone.localdate() - timedelta(days=2),
        by=rco,
    )
    old = Appointment.objects.get(person=current)
    assert old.end_date == replacement.start_date


def test_a_membership_error_shows_a_readable_date(client, rco):
    agency = focal_point().organisation
    membership = agency.memberships.get()
    membership.joined_on = timezone.localdate().replace(year=2024, month=1, day=15)
    membership.save()
    client.force_login(rco)

    response = client.post(
        reverse("members:membership_change", args=[agency.pk]),
        {"on": "2023-06-01"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "2024-01-15" not in html
    assert "15 January 2024" in html
