from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.ics import event_uid, meeting_ics
from meetings.notifications import portal_url
from meetings.services import meetings as meeting_services
from meetings.services import participation
from tests.factories import MeetingFactory, scheduled_meeting

pytestmark = pytest.mark.django_db


def _event(ics_bytes):
    calendar = Calendar.from_ical(ics_bytes)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def test_invitation_ics_has_uid_time_zone_and_sequence(people):
    meeting = scheduled_meeting(by=people.chair)
    calendar, event = _event(meeting_ics(meeting, attendee=people.focal_a))
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uid}@unnm-portal"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Bahrain"
    assert event["DTSTART"].params["TZID"] == "Asia/Bahrain"
    assert start == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert str(event["SUMMARY"]) == meeting.title
    assert [c.name for c in calendar.walk("VTIMEZONE")] == ["VTIMEZONE"]


def test_each_invitation_names_its_attendee(people):
    meeting = scheduled_meeting(by=people.chair)
    _calendar, event = _event(meeting_ics(meeting, attendee=people.focal_a))
    assert str(event["ATTENDEE"]) == f"mailto:{people.focal_a.email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")


def test_an_update_keeps_the_uid_and_raises_the_sequence(people):
    meeting = scheduled_meeting(by=people.chair)
    _calendar, before = _event(meeting_ics(meeting))
    meeting = meeting_services.meeting_update(
        meeting=meeting,
        by=people.chair,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
    )
    _calendar, after = _event(meeting_ics(meeting))
    assert str(after["UID"]) == str(before["UID"]) == event_uid(meeting)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(days=1)


def test_cancellation_is_method_cancel_with_a_higher_sequence(people):
    meeting = scheduled_meeting(by=people.chair)
    meeting = meeting_services.meeting_cancel(meeting=meeting, reason="Holiday", by=people.chair)
    calendar, event = _event(meeting_ics(meeting, attendee=people.focal_a))
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == event_uid(meeting)


def test_the_ics_download_parses(client, people):
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(people.focal_a)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    _calendar, event = _event(response.content)
    assert str(event["UID"]) == event_uid(meeting)


def test_the_private_feed_lists_my_meetings_until_the_token_is_revoked(client, people):
    mine = scheduled_meeting(by=people.chair)
    draft = MeetingFactory()
    token = participation.calendar_token_for(people.focal_a)
    url = reverse("meetings:feed", args=[token.token])
    response = client.get(url)  # no session: the token is the credential
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {event_uid(mine)}
    assert event_uid(draft) not in uids

    participation.calendar_token_revoke(person=people.focal_a, by=people.focal_a)
    assert client.get(url).status_code == 404


def test_renewing_the_feed_kills_the_old_address(client, people):
    old = participation.calendar_token_for(people.focal_a)
    client.force_login(people.focal_a)
    response = client.post(reverse("meetings:calendar_rotate"))
    assert response.status_code == 302
    page = client.get(reverse("meetings:calendar")).content.decode()  # the new address, once
    new_url = page.split('id="feed-url" class="form-control font-monospace" value="')[1]
    new_path = new_url.split('"')[0].removeprefix(portal_url())
    client.logout()
    assert client.get(reverse("meetings:feed", args=[old.token])).status_code == 404
    assert old.token not in new_path
    assert client.get(new_path).status_code == 200


def test_a_guest_feed_shows_only_the_meetings_they_are_invited_to(client, people):
    invited = scheduled_meeting(by=people.chair)
    scheduled_meeting(by=people.chair)
    participation.participant_add_guest(meeting=invited, person=people.guest, by=people.chair)
    token = participation.calendar_token_for(people.guest)
    calendar = Calendar.from_ical(client.get(reverse("meetings:feed", args=[token.token])).content)
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {event_uid(invited)}


def test_an_unknown_token_is_a_404(client, db):
    assert client.get(reverse("meetings:feed", args=["nope"])).status_code == 404
