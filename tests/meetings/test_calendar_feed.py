"""The personal calendar feed as calendars poll it: a 304 while nothing changed, one cached text
per state of the meetings it shows, and never a stale or someone else's event."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.models import Network
from meetings.generated import REGULAR_MEETING, regular_meeting_params
from meetings.ics import event_uid, feed_events, meeting_event
from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from meetings.services import participation
from tests.factories import MeetingFactory, scheduled_meeting

pytestmark = pytest.mark.django_db


def _feed_url(person):
    return reverse("meetings:feed", args=[participation.calendar_token_for(person).token])


def _events(response):
    assert response.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_an_unchanged_feed_is_a_304(client, people):
    scheduled_meeting(by=people.chair)
    url = _feed_url(people.focal_a)
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')

    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def _rename(meeting):
    meeting_services.meeting_update(meeting=meeting, by=meeting.created_by, title="Renamed")


def _cancel(meeting):
    meeting_services.meeting_cancel(meeting=meeting, reason="Holiday", by=meeting.created_by)


def _make_draft(meeting):
    # Nothing in the portal does this; a bulk update that sets updated_at as every write must.
    Meeting.objects.filter(pk=meeting.pk).update(status="draft", updated_at=timezone.now())


def _delete(meeting):
    meeting.delete()


def _move_out_of_the_window(meeting):
    later = timezone.now() + timedelta(days=900)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=later, ends_at=later + timedelta(hours=2), updated_at=timezone.now()
    )


@pytest.mark.parametrize(
    "change, expected",
    [
        (_rename, "Renamed"),
        (_cancel, "CANCELLED"),
        (_make_draft, None),
        (_delete, None),
        (_move_out_of_the_window, None),
    ],
)
def test_a_change_to_one_meeting_changes_the_feed(client, people, change, expected):
    # The changed meeting is the older one: a deletion must show without a newer updated_at.
    changed = scheduled_meeting(by=people.chair, created_by=people.chair)
    kept = scheduled_meeting(by=people.chair)
    uid = event_uid(changed)
    url = _feed_url(people.focal_a)
    before = client.get(url)
    assert set(_events(before)) == {event_uid(kept), uid}

    change(changed)
    after = client.get(url, headers={"if-none-match": before["ETag"]})

    assert after["ETag"] != before["ETag"]
    events = _events(after)
    if expected is None:
        assert set(events) == {event_uid(kept)}
    else:
        event = events[uid]
        assert expected in (str(event["SUMMARY"]), str(event["STATUS"]))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sum is PostgreSQL's")
def test_a_change_committed_after_a_later_one_still_changes_the_feed(client, people):
    # updated_at is taken at save time: a transaction that saved earlier but commits later
    # leaves the newest updated_at and the count as they were.
    slow = scheduled_meeting(by=people.chair)
    scheduled_meeting(by=people.chair)  # saved last: holds the newest updated_at
    url = _feed_url(people.focal_a)
    before = client.get(url)

    Meeting.objects.filter(pk=slow.pk).update(
        title="Committed late", updated_at=slow.updated_at + timedelta(microseconds=1)
    )
    after = client.get(url, headers={"if-none-match": before["ETag"]})

    assert str(_events(after)[event_uid(slow)]["SUMMARY"]) == "Committed late"


def test_a_guest_sees_a_new_invitation_even_when_the_count_is_the_same(client, people):
    older, dropped, newest = (scheduled_meeting(by=people.chair) for _ in range(3))
    for meeting in (dropped, newest):
        participation.participant_add_guest(meeting=meeting, person=people.guest, by=people.chair)
    url = _feed_url(people.guest)
    assert set(_events(client.get(url))) == {event_uid(dropped), event_uid(newest)}

    # As many meetings as before, the newest one unchanged: only the invitations differ.
    participation.participant_remove_guest(
        participant=dropped.participants.get(person=people.guest), by=people.chair
    )
    participation.participant_add_guest(meeting=older, person=people.guest, by=people.chair)

    assert set(_events(client.get(url))) == {event_uid(older), event_uid(newest)}


def test_what_a_member_sees_never_reaches_a_guest_through_the_cache(client, people):
    invited = scheduled_meeting(by=people.chair)
    scheduled_meeting(by=people.chair)
    draft = MeetingFactory()
    participation.participant_add_guest(meeting=invited, person=people.guest, by=people.chair)
    participation.participant_add_guest(meeting=draft, person=people.guest, by=people.chair)

    member = _events(client.get(_feed_url(people.focal_a)))
    guest = _events(client.get(_feed_url(people.guest)))
    organiser = _events(client.get(_feed_url(people.chair)))

    assert len(member) == 2
    assert set(guest) == {event_uid(invited)}
    assert event_uid(draft) not in organiser
    assert organiser.keys() == member.keys()


def test_each_reader_gets_the_feed_in_their_language_from_the_same_data(client, people):
    start = timezone.now() + timedelta(days=10)
    meeting = scheduled_meeting(
        by=people.chair,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        generated_kind=REGULAR_MEETING,
        generated_params=regular_meeting_params(timezone.localtime(start)),
    )
    people.focal_b.preferred_language = "ar"
    people.focal_b.save()

    english = _events(client.get(_feed_url(people.focal_a)))[event_uid(meeting)]
    arabic = _events(client.get(_feed_url(people.focal_b)))[event_uid(meeting)]

    assert str(english["SUMMARY"]).startswith("Regular meeting")
    assert str(arabic["SUMMARY"]) != str(english["SUMMARY"])
    assert not str(arabic["SUMMARY"]).isascii()


def test_a_revoked_token_is_a_404_even_when_the_feed_is_cached(client, people):
    scheduled_meeting(by=people.chair)
    url = _feed_url(people.focal_a)
    etag = client.get(url)["ETag"]
    assert client.get(url).status_code == 200  # served from the cache

    participation.calendar_token_revoke(person=people.focal_a, by=people.focal_a)

    assert client.get(url).status_code == 404
    assert client.get(url, headers={"if-none-match": etag}).status_code == 404


def test_the_feed_costs_the_same_queries_with_many_meetings(
    client, people, django_assert_num_queries
):
    url = _feed_url(people.focal_a)
    for count in (2, 40):
        while Meeting.objects.exclude(status="draft").count() < count:
            scheduled_meeting(by=people.chair)
        # Cold: the token and its person, the person's roles, the aggregate, the meetings (the
        # network comes from the cache).
        with django_assert_num_queries(COLD):
            etag = client.get(url)["ETag"]
        # Warm, or another member's poll: the same without the meetings.
        with django_assert_num_queries(WARM):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(WARM):
            assert client.get(url, headers={"if-none-match": etag}).status_code == 304
        assert len(_events(client.get(url))) == count


# Measured, and the same with 2 and with 40 meetings.
COLD = 4
WARM = 3


def test_a_feed_event_is_the_event_of_an_invitation(people, settings):
    settings.DEFAULT_FROM_EMAIL = "UNNM, Portal <no-reply@example.org>"
    meeting = scheduled_meeting(
        by=people.chair,
        title="Réunion, ordinaire; n° 3 — اجتماع الشبكة الأممية للهجرة العادي رقم ثلاثة \\ x",
        place="UN House; Manama, Bahrain",
        online_link="https://meet.example.org/a,b",
    )
    cancelled = meeting_services.meeting_cancel(
        meeting=scheduled_meeting(by=people.chair), reason="Holiday", by=people.chair
    )
    tzinfo = Network.objects.get_current().tzinfo
    base_url = "https://portal.example.org"
    text = b"BEGIN:VCALENDAR\r\n" + feed_events(
        [meeting, cancelled], tzinfo=tzinfo, base_url=base_url
    )
    calendar = Calendar.from_ical(text + b"END:VCALENDAR\r\n")
    fast = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert [c["TZID"] for c in calendar.walk("VTIMEZONE")] == ["Asia/Bahrain"]

    for each in (meeting, cancelled):
        slow = meeting_event(each, tzinfo=tzinfo, base_url=base_url)
        written = fast[event_uid(each)]
        assert sorted(written) == sorted(slow)
        for name in slow:
            if name != "DTSTAMP":
                assert written[name].to_ical() == slow[name].to_ical(), name
                assert written[name].params == slow[name].params, name
    long_line = next(line for line in text.split(b"\r\n") if line.startswith(b"SUMMARY"))
    assert len(long_line) <= 75
