"""Rules: every absolute link uses PORTAL_URL, never the request's host; a downloaded calendar
file is METHOD:PUBLISH with no attendee, an emailed one a REQUEST to its recipient; every email
subject carries the portal's prefix (issue 12 §5)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from members.roles import Role
from tests.factories import (
    MeetingFactory,
    UserFactory,
    co_chair,
    focal_point,
    member_agency,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.example.org"
FORGED_HOST = "attacker.example.net"
PROJECT_APPS = ("core", "members", "meetings", "decisions", "workplan", "accounts")


@pytest.fixture
def portal(settings):
    settings.PORTAL_URL = PORTAL
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, FORGED_HOST]
    return settings


def test_no_code_builds_links_from_the_request_host():
    """The class of fault: a link built from the Host header. PORTAL_URL is the only source."""
    base = Path(django_settings.BASE_DIR)
    offenders = [
        str(path.relative_to(base))
        for app in PROJECT_APPS
        for path in (base / app).rglob("*.py")
        if re.search(r"build_absolute_uri|get_host\(\)", path.read_text())
    ]
    assert offenders == []


def test_invitation_links_use_portal_url_not_the_request_host(
    client, portal, django_capture_on_commit_callbacks
):
    agency = member_agency(acronym="UNODC")
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:invitation_create"),
            {
                "email": "nadia@example.org",
                "organisation": agency.pk,
                "role": "agency_staff",
            },
            HTTP_HOST=FORGED_HOST,
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert f"{PORTAL}/members/invitations/accept/" in message.body
    assert FORGED_HOST not in message.body
    html = message.alternatives[0][0]
    assert f"{PORTAL}/members/invitations/accept/" in html and FORGED_HOST not in html


def test_invitation_email_subject_has_the_portal_prefix(
    client, portal, django_capture_on_commit_callbacks
):
    agency = member_agency()
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:invitation_create"),
            {"email": "n@example.org", "organisation": agency.pk, "role": "agency_staff"},
        )
    (message,) = mail.outbox
    assert message.subject.startswith(django_settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert django_settings.ACCOUNT_EMAIL_SUBJECT_PREFIX == "[UNNM Portal] "


def test_the_calendar_feed_address_uses_portal_url(client, portal):
    person = focal_point()
    client.force_login(person)
    client.post(reverse("meetings:calendar_rotate"), HTTP_HOST=FORGED_HOST)
    page = client.get(reverse("meetings:calendar"), HTTP_HOST=FORGED_HOST).content.decode()
    assert re.search(rf"{re.escape(PORTAL)}/meetings/feed/[^\"<\s]+\.ics", page)
    assert FORGED_HOST not in page


def test_a_downloaded_calendar_file_is_publish_with_no_attendee(client, portal):
    chair = co_chair()
    meeting = scheduled_meeting(by=chair)
    client.force_login(chair)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]), HTTP_HOST=FORGED_HOST)
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert "ATTENDEE" not in event
    assert str(event["URL"]).startswith(PORTAL)


def test_an_emailed_invitation_is_a_request_to_its_recipient(
    portal, django_capture_on_commit_callbacks
):
    from meetings.services.meetings import meeting_schedule

    chair = co_chair()
    invited = focal_point()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(meeting=MeetingFactory(), by=chair)
    assert {address for message in mail.outbox for address in message.to} >= {
        chair.email,
        invited.email,
    }
    for message in mail.outbox:
        (attachment,) = [a for a in message.attachments if a[0] == "meeting.ics"]
        calendar = Calendar.from_ical(attachment[1])
        assert calendar["METHOD"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"
        assert message.subject.startswith("[UNNM Portal] ")
