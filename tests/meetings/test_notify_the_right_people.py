"""Rule: the people who have to act are told (issue 12 §4): co-chairs when a focal point proposes
an agenda item, the alternate when their agency answers "alternate attends"."""

import pytest
from django.urls import reverse

from meetings.models import Participant
from meetings.services import agenda as agenda_services
from meetings.services import participation
from tests.factories import scheduled_meeting

pytestmark = pytest.mark.django_db


def _recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_co_chairs_are_told_when_a_focal_point_proposes_an_agenda_item(
    client, people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    mailoutbox.clear()
    client.force_login(people.focal_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:agenda_propose", args=[meeting.pk]),
            {"title": "Referral pathway for victims", "minutes_allotted": 15},
        )
    assert response.status_code == 302
    assert _recipients(mailoutbox) == sorted([people.chair.email, people.secretariat.email])
    message = mailoutbox[0]
    assert message.subject == f"[UNNM Portal] Agenda item proposed: {meeting.title}"
    assert "Referral pathway for victims" in message.body
    assert "AGA" in message.body


@pytest.mark.parametrize("accept", [True, False])
def test_the_proposer_hears_whether_the_item_is_on_the_agenda(
    people, mailoutbox, django_capture_on_commit_callbacks, accept
):
    meeting = scheduled_meeting(by=people.chair)
    item = agenda_services.agenda_item_propose(
        meeting=meeting, title="Shelter capacity", minutes_allotted=10, by=people.focal_a
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if accept:
            agenda_services.agenda_item_accept(item=item, by=people.chair)
        else:
            agenda_services.agenda_item_decline(item=item, reason="Next meeting", by=people.chair)
    (message,) = mailoutbox
    assert message.to == [people.focal_a.email]
    assert ("is on the agenda" if accept else "Reason: Next meeting") in message.body


def test_a_co_chair_adding_an_item_is_not_a_proposal(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agenda_services.agenda_item_add(
            meeting=meeting, title="Workplan", minutes_allotted=10, by=people.chair
        )
    assert mailoutbox == []


def test_the_alternate_is_told_when_alternate_attends_is_chosen(
    client, people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    mailoutbox.clear()
    client.force_login(people.focal_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "alternate"})
    assert Participant.objects.get(meeting=meeting, person=people.focal_a).response == "alternate"
    assert _recipients(mailoutbox) == [people.alternate_a.email]
    message = mailoutbox[0]
    assert message.subject.startswith("[UNNM Portal] ")
    assert "AGA's alternate attends" in message.body

    # Giving the same answer again sends nothing new.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participation.rsvp_set(
            meeting=meeting, person=people.focal_a, response="alternate", by=people.focal_a
        )
    assert mailoutbox == []


def test_an_agency_without_alternate_sends_nobody_an_email(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participation.rsvp_set(
            meeting=meeting, person=people.focal_b, response="alternate", by=people.focal_b
        )
    assert mailoutbox == []
