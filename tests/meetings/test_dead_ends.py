"""Rules that must not let organisers into dead ends (issue 12 §4): a year generated into the past,
drafts that can be neither scheduled nor deleted, a past meeting that cannot be recorded, minutes
approved during their own comment period without a word."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from meetings.models import Attendance, Meeting, Minutes
from meetings.services import meetings as meeting_services
from meetings.services import minutes as minutes_services
from tests.factories import MeetingFactory, UserFactory, past_meeting

pytestmark = pytest.mark.django_db

SCHEDULE = {"weekday": 1, "week": 1, "start_time": time(10), "duration_minutes": 60}


def _this_year():
    return timezone.localdate().year


def test_generate_a_year_refuses_a_past_year(people):
    with pytest.raises(DomainError, match="is over"):
        meeting_services.meeting_generate_year(
            year=_this_year() - 1, first_month=1, by=people.chair, **SCHEDULE
        )
    assert not Meeting.objects.exists()


def test_generate_a_year_refuses_months_already_past(people):
    if timezone.localdate().month == 1:
        pytest.skip("In January the first Tuesday may still be ahead.")
    with pytest.raises(DomainError, match=r"would be in the past|No regular meeting is left"):
        meeting_services.meeting_generate_year(
            year=_this_year(), first_month=1, by=people.chair, **SCHEDULE
        )
    assert not Meeting.objects.exists()


def test_generate_a_year_from_march_stays_in_the_year_and_leaves_the_next_one_free(people):
    year = _this_year() + 1
    created = meeting_services.meeting_generate_year(
        year=year, first_month=3, by=people.chair, **SCHEDULE
    )
    assert [timezone.localtime(m.starts_at).month for m in created] == [3, 5, 7, 9, 11]
    assert {timezone.localtime(m.starts_at).year for m in created} == {year}
    following = meeting_services.meeting_generate_year(
        year=year + 1, first_month=1, by=people.chair, **SCHEDULE
    )
    assert len(following) == 6


def test_generate_a_year_page_refuses_a_past_year_with_a_message(client, people):
    client.force_login(people.chair)
    response = client.post(
        reverse("meetings:generate"),
        {
            "year": _this_year() - 1,
            "first_month": 1,
            "week": 1,
            "weekday": 1,
            "start_time": "10:00",
            "duration_minutes": 60,
            "place": "UN House",
        },
    )
    assert response.status_code == 200
    assert "is over" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_draft_that_will_never_take_place_can_be_deleted(client, people):
    draft = past_meeting(status="draft")
    client.force_login(people.chair)
    response = client.post(reverse("meetings:delete", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:list")
    assert not Meeting.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.get(action="meetings.meeting.deleted")
    assert entry.actor == people.chair and entry.object_id == str(draft.pk)


def test_deleting_a_draft_leaves_no_guest_access_behind(people):
    from meetings.models import Participant
    from meetings.services.participation import participant_add_guest

    draft = MeetingFactory()
    participant_add_guest(meeting=draft, person=people.guest, by=people.chair)
    assert Participant.objects.filter(meeting=draft, person=people.guest).exists()
    meeting_services.meeting_delete(meeting=draft, by=people.chair)
    assert not Participant.objects.filter(person=people.guest).exists()
    assert not Meeting.objects.visible_to(people.guest).exists()


def test_only_a_draft_can_be_deleted(people):
    meeting = MeetingFactory(status="scheduled")
    with pytest.raises(DomainError, match="Only a draft"):
        meeting_services.meeting_delete(meeting=meeting, by=people.chair)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_deleting_a_draft_is_for_organisers_only(client, people):
    draft = MeetingFactory()
    client.force_login(people.focal_b)
    assert client.post(reverse("meetings:delete", args=[draft.pk])).status_code in (403, 404)
    assert Meeting.objects.filter(pk=draft.pk).exists()


def test_a_past_meeting_can_be_recorded_with_its_real_date(client, people, mailoutbox):
    """A co-chair enters a meeting that already took place, then its attendance and minutes."""
    client.force_login(people.chair)
    starts = timezone.localtime().replace(second=0, microsecond=0) - timedelta(days=20)
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "Extraordinary meeting on the shelter crisis",
            "kind": "extraordinary",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "UN House",
        },
    )
    assert response.status_code == 302
    draft = Meeting.objects.get(title="Extraordinary meeting on the shelter crisis")
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Record as held" in page and "Schedule and invite" not in page

    response = client.post(reverse("meetings:held", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "held" and draft.starts_at == starts
    assert draft.participants.filter(person=people.focal_a).exists()
    assert mailoutbox == []  # nobody is invited to a meeting that is over

    response = client.post(
        reverse("meetings:attendance", args=[draft.pk]),
        {"name": "Dr. Amal Rashid", "capacity": "guest_speaker"},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=draft).count() == 1
    client.post(reverse("meetings:minutes_draft", args=[draft.pk]))
    assert Minutes.objects.get(meeting=draft).body
    assert AuditEntry.objects.get(action="meetings.meeting.held").data["recorded_afterwards"]


def test_a_future_draft_is_still_not_marked_held(people):
    with pytest.raises(DomainError, match="not started"):
        meeting_services.meeting_mark_held(meeting=MeetingFactory(), by=people.chair)


def _circulated(people, commenter=None):
    meeting = past_meeting()
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.chair)
    minutes = minutes_services.minutes_circulate(
        minutes=minutes,
        comment_deadline=timezone.localdate() + timedelta(days=7),
        by=people.chair,
    )
    if commenter:
        minutes_services.minutes_comment_add(minutes=minutes, body="Add item 3", by=commenter)
    return minutes


def test_approving_minutes_during_their_comment_period_warns_and_names_commenters(client, people):
    minutes = _circulated(people, commenter=people.focal_a)
    client.force_login(people.chair)
    page = client.get(reverse("meetings:minutes", args=[minutes.meeting_id])).content.decode()
    assert "Approving now ends the comment period early." in page
    assert str(people.focal_a) in page.split("Commented so far:")[1].split("</p>")[0]

    url = reverse("meetings:minutes_approve", args=[minutes.meeting_id])
    data = {"approved_on": timezone.localdate().isoformat(), "method": "no_objection"}
    response = client.post(url, data, follow=True)
    minutes.refresh_from_db()
    assert minutes.status == "circulated"
    assert f"Commented so far: {people.focal_a}" in response.content.decode()

    client.post(url, {**data, "before_comments_close": "on"})
    minutes.refresh_from_db()
    assert minutes.status == "approved"
    entry = AuditEntry.objects.get(action="meetings.minutes.approved")
    assert entry.data["before_comments_closed"] is True


def test_minutes_approved_after_the_comment_period_need_no_confirmation(people):
    minutes = _circulated(people)
    Minutes.objects.filter(pk=minutes.pk).update(
        comment_deadline=timezone.localdate() - timedelta(days=1)
    )
    minutes.refresh_from_db()
    approved = minutes_services.minutes_approve(
        minutes=minutes, approved_on=timezone.localdate(), method="no_objection", by=people.chair
    )
    assert approved.status == "approved"


def test_nobody_has_commented_is_said_too(people):
    minutes = _circulated(people)
    with pytest.raises(DomainError, match="Commented so far: nobody"):
        minutes_services.minutes_approve(
            minutes=minutes,
            approved_on=timezone.localdate(),
            method="no_objection",
            by=UserFactory(),
        )
