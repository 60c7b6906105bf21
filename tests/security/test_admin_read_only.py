"""The Django admin shows the network's records but cannot change them: changes go through the
services, which check and audit them. Accounts, the one thing the admin changes, are audited."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from core.models import AuditEntry
from members.models import Appointment
from members.roles import Role
from tests.factories import (
    ActionPointFactory,
    DecisionFactory,
    DeliverableFactory,
    InvitationFactory,
    MeetingFactory,
    UserFactory,
    focal_point,
)

pytestmark = pytest.mark.django_db

DOMAIN_MODELS = [
    "members.organisation",
    "members.appointment",
    "members.invitation",
    "meetings.meeting",
    "meetings.actionpoint",
    "decisions.decision",
    "workplan.workplan",
    "workplan.deliverable",
]


def _change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_changing_an_appointment_through_the_admin_is_refused(admin_client):
    person = focal_point()
    appointment = Appointment.objects.get(person=person)
    url = _change_url(appointment)

    page = admin_client.get(url)
    response = admin_client.post(
        url,
        {
            "organisation": appointment.organisation_id,
            "person": person.pk,
            "kind": "focal_point",
            "level": "focal_point",
            "start_date": appointment.start_date.isoformat(),
            "end_date": appointment.start_date.isoformat(),
        },
    )

    assert page.status_code == 200  # the admin is still there to look
    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.is_active


def test_appointments_cannot_be_deleted_through_the_admin(admin_client):
    appointment = Appointment.objects.get(person=focal_point())
    url = reverse("admin:members_appointment_delete", args=[appointment.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert Appointment.objects.filter(pk=appointment.pk).exists()


@pytest.mark.parametrize("model", DOMAIN_MODELS)
def test_domain_models_are_read_only_in_the_admin(rf, model):
    from django.apps import apps

    model_admin = admin.site._registry[apps.get_model(model)]
    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_change_permission(request)


@pytest.mark.parametrize(
    "factory",
    [MeetingFactory, ActionPointFactory, DecisionFactory, DeliverableFactory, InvitationFactory],
)
def test_domain_records_open_in_the_admin_to_look(admin_client, factory):
    obj = factory()

    assert admin_client.get(_change_url(obj)).status_code == 200


def test_changing_a_person_s_roles_in_the_admin_is_audited(admin_client):
    person = UserFactory(email="new.rco@example.org", full_name="New RCO")
    group = Group.objects.get_or_create(name=Role.RCO_ADMIN.value)[0]
    url = reverse("admin:accounts_user_change", args=[person.pk])

    response = admin_client.post(
        url,
        {
            "email": person.email,
            "full_name": person.full_name,
            "job_title": person.job_title,
            "phone": "",
            "preferred_language": person.preferred_language or "en",
            "is_active": "on",
            "groups": [group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="accounts.user.groups_changed_in_admin")
    assert entry.data == {"granted": [Role.RCO_ADMIN.value], "revoked": []}
    assert entry.object_id == str(person.pk)
