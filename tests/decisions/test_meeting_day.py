"""Positions on behalf at the meeting day: present agencies only, flagged at this meeting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from decisions import services
from decisions.models import Position
from meetings.services import meeting_day, minutes
from meetings.services.agenda import agenda_carry_over
from meetings.services.meetings import invite_members
from members.roles import Role
from tests.factories import MeetingFactory, UserFactory, open_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(electorate):
    """A meeting under way with two open decisions on its agenda; two agencies present."""
    now = timezone.now()
    meeting = MeetingFactory(
        status="scheduled", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    invite_members(meeting)
    decisions = [open_decision(by=electorate.chair) for _ in range(2)]
    agenda_carry_over(meeting=meeting, by=electorate.chair)
    present = (electorate.chair, electorate.fp_a)
    meeting_day.attendance_save(
        meeting=meeting,
        entries=[
            {
                "participant": meeting.participants.get(person=person),
                "present": True,
                "capacity": "focal_point",
            }
            for person in present
        ],
        by=electorate.chair,
    )
    return meeting, decisions


def _entry(decision, organisation, stance, reason=""):
    return {
        "decision": decision,
        "organisation": organisation.pk,
        "label": organisation.acronym,
        "stance": stance,
        "reason": reason,
    }


def test_positions_stated_at_the_meeting_are_recorded_on_behalf_and_flagged(electorate, day):
    meeting, (first, second) = day
    services.positions_record_at_meeting(
        meeting=meeting,
        entries=[
            _entry(first, electorate.chair_agency, "concur"),
            _entry(first, electorate.agency_a, "stand_aside"),
            _entry(second, electorate.agency_a, "object", "Budget not agreed"),
        ],
        by=electorate.chair,
    )
    positions = Position.objects.filter(meeting=meeting, on_behalf=True)
    assert positions.count() == 3
    assert {p.recorded_by for p in positions} == {electorate.chair}


def test_an_agency_not_present_states_no_position_at_the_meeting(electorate, day):
    meeting, (first, _second) = day
    with pytest.raises(DomainError, match="not recorded as present"):
        services.positions_record_at_meeting(
            meeting=meeting,
            entries=[
                _entry(first, electorate.agency_a, "concur"),
                _entry(first, electorate.agency_b, "concur"),
            ],
            by=electorate.chair,
        )
    assert not Position.objects.exists()


def test_one_refused_position_leaves_the_whole_table_unsaved(electorate, day):
    meeting, (first, second) = day
    with pytest.raises(DomainError, match="objection needs a reason"):
        services.positions_record_at_meeting(
            meeting=meeting,
            entries=[
                _entry(first, electorate.agency_a, "concur"),
                _entry(second, electorate.agency_a, "object"),
            ],
            by=electorate.chair,
        )
    assert not Position.objects.exists()


def test_a_decision_not_on_the_meetings_agenda_takes_no_position_there(electorate, day):
    meeting, _decisions = day
    elsewhere = open_decision(by=electorate.chair)
    with pytest.raises(DomainError):
        services.positions_record_at_meeting(
            meeting=meeting,
            entries=[_entry(elsewhere, electorate.agency_a, "concur")],
            by=electorate.chair,
        )


def test_the_meeting_day_table_posts_positions_and_the_minutes_draft_shows_them(
    client, electorate, day
):
    meeting, (first, second) = day
    client.force_login(electorate.chair)
    page = client.get(reverse("meetings:day", args=[meeting.pk])).content.decode()
    assert f'name="stance-{first.pk}-{electorate.agency_a.pk}"' in page
    # Absent agencies are listed without a field.
    assert f'name="stance-{first.pk}-{electorate.agency_b.pk}"' not in page
    response = client.post(
        reverse("decisions:meeting_positions", args=[meeting.pk]),
        {
            f"stance-{first.pk}-{electorate.agency_a.pk}": "concur",
            f"stance-{second.pk}-{electorate.agency_a.pk}": "stand_aside",
            f"stance-{second.pk}-{electorate.chair_agency.pk}": "concur",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:day", args=[meeting.pk]) + "#positions"
    assert Position.objects.filter(meeting=meeting, on_behalf=True).count() == 3
    page = client.get(reverse("meetings:day", args=[meeting.pk])).content.decode()
    assert page.count("recorded at this meeting") >= 3

    meeting.status = "held"
    meeting.save()
    body = minutes.minutes_draft(meeting=meeting, by=electorate.chair).body
    assert first.reference in body and second.reference in body
    assert body.count("stated at the meeting") == 3


def test_the_positions_table_answers_htmx_with_the_table_and_the_error(client, electorate, day):
    meeting, (first, _second) = day
    client.force_login(electorate.chair)
    response = client.post(
        reverse("decisions:meeting_positions", args=[meeting.pk]),
        {f"stance-{first.pk}-{electorate.agency_a.pk}": "object"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="positions"' in html and "<html" not in html
    assert "objection needs a reason" in html
    assert not Position.objects.exists()


def test_only_co_chairs_record_positions_at_the_meeting(client, electorate, day):
    meeting, (first, _second) = day
    secretariat = UserFactory(organisation=electorate.chair_agency, roles=[Role.SECRETARIAT])
    for person, status in ((secretariat, 403), (electorate.fp_a, 403)):
        client.force_login(person)
        response = client.post(
            reverse("decisions:meeting_positions", args=[meeting.pk]),
            {f"stance-{first.pk}-{electorate.agency_a.pk}": "concur"},
        )
        assert response.status_code == status
    assert not Position.objects.exists()
    guest = UserFactory(roles=[Role.GUEST])
    client.force_login(guest)
    response = client.post(reverse("decisions:meeting_positions", args=[meeting.pk]), {})
    assert response.status_code == 404
