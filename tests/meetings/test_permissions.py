"""Wrong role and wrong organisation are refused, on the server, for every kind of change."""

import pytest
from django.urls import reverse

from meetings import permissions
from meetings.models import ActionPoint, AgendaItem, Meeting
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    MeetingFactory,
    past_meeting,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["focal_a", "alternate_a", "staff_a", "guest"])
def test_only_organisers_manage_meetings(client, people, who):
    meeting = MeetingFactory(status="scheduled")
    client.force_login(getattr(people, who))
    expected = 404 if who == "guest" else 403
    assert client.post(reverse("meetings:create"), {"title": "x"}).status_code == 403
    assert client.post(reverse("meetings:generate"), {"year": 2030}).status_code == 403
    assert (
        client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "x"}).status_code
        == expected
    )
    assert (
        client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"title": "x"}).status_code
        == expected
    )
    assert client.get(reverse("meetings:rsvp_table", args=[meeting.pk])).status_code == expected
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    assert not AgendaItem.objects.exists()


def test_the_secretariat_and_co_chairs_manage_meetings(people):
    assert permissions.can_manage_meetings(people.secretariat)
    assert permissions.can_manage_meetings(people.chair)
    assert not permissions.can_manage_meetings(people.focal_a)


def test_agency_staff_cannot_propose_agenda_items(client, people):
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(people.staff_a)
    response = client.post(
        reverse("meetings:agenda_propose", args=[meeting.pk]),
        {"title": "Staff idea", "minutes_allotted": 10},
    )
    assert response.status_code == 403
    client.force_login(people.focal_a)
    response = client.post(
        reverse("meetings:agenda_propose", args=[meeting.pk]),
        {"title": "Focal point idea", "minutes_allotted": 10},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get().status == "proposed"


def test_a_focal_point_cannot_accept_proposals(client, people):
    meeting = scheduled_meeting(by=people.chair)
    item = AgendaItemFactory(meeting=meeting, status="proposed")
    client.force_login(people.focal_b)
    assert (
        client.post(reverse("meetings:agenda_accept", args=[meeting.pk, item.pk])).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.status == "proposed"
    client.force_login(people.chair)
    assert (
        client.post(reverse("meetings:agenda_accept", args=[meeting.pk, item.pk])).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == "accepted"


def test_an_item_of_another_meeting_is_a_404(client, people):
    meeting = MeetingFactory()
    other_item = AgendaItemFactory(meeting=MeetingFactory())
    client.force_login(people.chair)
    url = reverse("meetings:agenda_edit", args=[meeting.pk, other_item.pk])
    assert client.get(url).status_code == 404


def test_an_agency_updates_its_own_action_points_not_another_agencys(client, people):
    meeting = past_meeting()
    own = ActionPointFactory(meeting=meeting, owner_organisation=people.agency_a)
    other = ActionPointFactory(meeting=meeting, owner_organisation=people.agency_b)
    client.force_login(people.focal_a)
    url = reverse("meetings:action_status", args=[own.pk])
    assert client.post(url, {"status": "done"}).status_code == 302
    assert ActionPoint.objects.get(pk=own.pk).status == "done"
    url = reverse("meetings:action_status", args=[other.pk])
    assert client.post(url, {"status": "done"}).status_code == 403
    assert ActionPoint.objects.get(pk=other.pk).status == "open"
    assert client.get(reverse("meetings:action_edit", args=[other.pk])).status_code == 403


def test_agency_staff_reads_action_points_but_cannot_change_them(client, people):
    action = ActionPointFactory(meeting=past_meeting(), owner_organisation=people.agency_a)
    client.force_login(people.staff_a)
    assert client.get(reverse("meetings:actions")).status_code == 200
    url = reverse("meetings:action_status", args=[action.pk])
    assert client.post(url, {"status": "done"}).status_code == 403


def test_someone_not_invited_cannot_rsvp(client, people):
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(people.staff_a)
    response = client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "attending"})
    assert response.status_code == 403


def test_a_draft_is_a_404_for_members(client, people):
    draft = MeetingFactory()
    client.force_login(people.focal_a)
    assert client.get(reverse("meetings:detail", args=[draft.pk])).status_code == 404
    client.force_login(people.secretariat)
    assert client.get(reverse("meetings:detail", args=[draft.pk])).status_code == 200


def test_a_platform_admin_without_a_role_sees_no_meeting(client, people, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x" * 12)
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(admin)
    assert not Meeting.objects.visible_to(admin).exists()
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:list")).status_code == 403
