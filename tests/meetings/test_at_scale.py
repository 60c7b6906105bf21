"""The upcoming meeting page and the calendar feed with years of data: a count instead of every
open action point, and a window instead of every meeting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.services import agenda as agenda_services
from meetings.services import participation
from tests.factories import (
    ActionPointFactory,
    MeetingFactory,
    open_decision,
    past_meeting,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db


def test_the_carry_over_count_is_the_number_of_items_carry_over_would_add(people):
    earlier = past_meeting()
    for _ in range(3):
        ActionPointFactory(meeting=earlier, owner_organisation=people.agency_a)
    open_decision(by=people.chair, title="Pending")
    meeting = MeetingFactory()

    assert agenda_services.carryover_pending_count(meeting) == len(
        agenda_services.carryover_pending(meeting)
    )
    assert agenda_services.carryover_pending_count(meeting) == 4
    agenda_services.agenda_carry_over(meeting=meeting, by=people.chair)
    assert agenda_services.carryover_pending_count(meeting) == 0
    ActionPointFactory(meeting=earlier, owner_organisation=people.agency_b)
    assert (
        agenda_services.carryover_pending_count(meeting)
        == 1
        == len(agenda_services.carryover_pending(meeting))
    )


def test_the_meeting_page_does_not_load_every_open_action_point(
    client, people, django_assert_num_queries
):
    earlier = past_meeting()
    meeting = MeetingFactory()
    client.force_login(people.chair)
    url = reverse("meetings:detail", args=[meeting.pk])
    ActionPointFactory(meeting=earlier, owner_organisation=people.agency_a)
    client.get(url)
    with django_assert_num_queries(QUERIES):
        client.get(url)
    for _ in range(40):
        ActionPointFactory(meeting=earlier, owner_organisation=people.agency_a)

    with django_assert_num_queries(QUERIES):
        assert "Carry over 41 open items" in client.get(url).content.decode()


def test_the_calendar_feed_holds_six_months_back_and_two_years_ahead(client, people):
    now = timezone.now()
    inside = [now - timedelta(days=150), now + timedelta(days=30), now + timedelta(days=700)]
    outside = [now - timedelta(days=200), now + timedelta(days=760)]
    for start in inside + outside:
        meeting = scheduled_meeting(by=people.chair)
        type(meeting).objects.filter(pk=meeting.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=2)
        )
    token = participation.calendar_token_for(people.focal_a).token

    calendar = Calendar.from_ical(client.get(reverse("meetings:feed", args=[token])).content)

    starts = sorted(event.decoded("dtstart") for event in calendar.walk("VEVENT"))
    assert len(starts) == len(inside)


# Measured, and the same with 1 and with 41 open action points.
QUERIES = 14


def test_the_meetings_list_counts_items_and_participants_without_fanning_out(people):
    from meetings import selectors
    from tests.factories import AgendaItemFactory

    meeting = scheduled_meeting(by=people.chair)
    for position in range(1, 4):
        AgendaItemFactory(meeting=meeting, position=position, status="accepted")
    AgendaItemFactory(meeting=meeting, position=4, status="proposed")

    listed = next(m for m in selectors.meeting_list(people.chair) if m.pk == meeting.pk)

    assert listed.item_count == 3
    assert listed.participant_count == meeting.participants.count() > 1
    sql = str(selectors.meeting_list(people.chair).query)
    assert "JOIN" not in sql.split("FROM", 1)[1].split("WHERE", 1)[0]
