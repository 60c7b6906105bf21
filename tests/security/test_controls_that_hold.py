"""Controls that hold today, each with a test that fails if it breaks: autoescaping of what
people write, no open redirects, no property injection in calendar files, CSRF on every form."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from meetings.services import participation
from tests.factories import (
    TEST_PASSWORD,
    DecisionFactory,
    DeliverableFactory,
    MeetingFactory,
    UserFactory,
    co_chair,
    focal_point,
    invite,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("owned")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"
EVIL = "https://evil.example/phish"


# --- Autoescaping -------------------------------------------------------------------------------


def test_page_templates_are_autoescaped():
    for engine in settings.TEMPLATES:
        assert engine.get("OPTIONS", {}).get("autoescape", True) is True


def test_no_page_template_switches_autoescaping_off():
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    pages = [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]

    assert pages
    offenders = [str(path) for path in pages if "autoescape off" in path.read_text()]
    assert offenders == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: MeetingFactory(title=f"Meeting {SCRIPT}"),
        lambda: DecisionFactory(title=f"Decision {SCRIPT}"),
        lambda: DeliverableFactory(title=f"Deliverable {SCRIPT}"),
    ],
    ids=["meeting", "decision", "deliverable"],
)
def test_user_written_titles_are_escaped_on_their_pages(client, make):
    obj = make()
    client.force_login(co_chair())

    response = client.get(obj.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert SCRIPT not in body
    assert ESCAPED in body


def test_user_written_titles_are_escaped_in_lists_and_htmx_fragments(client):
    MeetingFactory(title=f"Meeting {SCRIPT}")
    client.force_login(co_chair())

    page = client.get(reverse("meetings:list")).content.decode()
    fragment = client.get(reverse("meetings:list"), headers={"HX-Request": "true"})

    assert SCRIPT not in page
    assert ESCAPED in page
    assert SCRIPT not in fragment.content.decode()


# --- Open redirects -----------------------------------------------------------------------------


@pytest.mark.parametrize("target", [EVIL, "//evil.example/phish", "https:evil.example", "/\\evil"])
def test_sign_in_does_not_follow_a_next_to_another_site(client, target):
    person = UserFactory()

    response = client.post(
        reverse("account_login") + f"?next={target}",
        {"login": person.email, "password": TEST_PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert "evil" not in response["Location"]


@pytest.mark.parametrize("target", [EVIL, "//evil.example/phish"])
def test_language_switch_does_not_follow_a_next_or_referer_to_another_site(client, target):
    client.force_login(focal_point())

    by_next = client.post(reverse("core:set_language"), {"language": "ar", "next": target})
    by_referer = client.post(
        reverse("core:set_language"), {"language": "en"}, headers={"Referer": target}
    )

    for response in (by_next, by_referer):
        assert response.status_code == 302
        assert "evil" not in response["Location"]


def test_sign_out_does_not_follow_a_next_to_another_site(client):
    client.force_login(focal_point())

    response = client.post(reverse("account_logout"), {"next": EVIL})

    assert response.status_code == 302
    assert "evil" not in response["Location"]


def test_pages_that_need_sign_in_send_back_only_to_this_site(client):
    response = client.get(reverse("meetings:list") + "?next=" + EVIL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # The page to come back to is the requested path, never a `next` given by the caller.
    assert response["Location"].endswith("?next=/meetings/%3Fnext%3Dhttps%3A//evil.example/phish")


# --- Calendar files -----------------------------------------------------------------------------

INJECTION = "Regular meeting\r\nATTENDEE:mailto:evil@example.org\r\nURL:https://evil.example"


def _assert_not_injected(ics_bytes):
    text = ics_bytes.decode()
    lines = text.split("\r\n")
    assert not any(line.startswith("ATTENDEE:mailto:evil") for line in lines)
    assert not any(line.startswith("URL:https://evil") for line in lines)
    calendar = Calendar.from_ical(ics_bytes)
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert all("evil" not in str(attendee) for attendee in attendees)
        assert "evil" not in str(event.get("URL", ""))
    return calendar


def test_ics_injection_through_a_meeting_title_or_place_is_impossible(client):
    # Written around the forms, which refuse line breaks: the calendar file must still hold.
    meeting = MeetingFactory(status="scheduled", title=INJECTION, place=INJECTION)
    client.force_login(co_chair())

    response = client.get(reverse("meetings:ics", args=[meeting.pk]))

    assert response.status_code == 200
    calendar = _assert_not_injected(response.content)
    (event,) = calendar.walk("VEVENT")
    assert "ATTENDEE:mailto:evil@example.org" in str(event["SUMMARY"])


def test_ics_injection_through_the_feed_is_impossible(client):
    person = focal_point(full_name="Amina\r\nX-WR-CALNAME:Hijacked")
    meeting = MeetingFactory(status="scheduled", title=INJECTION)
    invite(meeting, person)
    token = participation.calendar_token_for(person)

    response = Client().get(reverse("meetings:feed", args=[token.token]))

    assert response.status_code == 200
    _assert_not_injected(response.content)
    assert "\r\nX-WR-CALNAME:Hijacked" not in response.content.decode()


def test_ics_injection_through_an_attendee_name_in_invitations_is_impossible(
    django_capture_on_commit_callbacks,
):
    focal_point(full_name="Evil\r\nATTENDEE:mailto:evil@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        scheduled_meeting(by=co_chair(), title=INJECTION)

    assert mail.outbox
    for message in mail.outbox:
        for _name, content, _mimetype in message.attachments:
            _assert_not_injected(content if isinstance(content, bytes) else content.encode())


# --- CSRF ---------------------------------------------------------------------------------------


def _csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    [
        ("meetings:create", None, {"title": "A meeting", "kind": "regular"}),
        ("members:invitation_create", None, {"email": "x@example.org", "role": "guest"}),
        ("core:set_language", None, {"language": "ar"}),
        ("account_logout", None, {}),
        ("account_change_password", None, {"oldpassword": TEST_PASSWORD}),
        ("meetings:calendar_rotate", None, {}),
        ("decisions:create", None, {"title": "A decision"}),
    ],
)
def test_state_changing_posts_without_a_csrf_token_are_refused(name, kwargs, data):
    user = co_chair()
    client = _csrf_client(user)

    response = client.post(reverse(name, kwargs=kwargs), data)

    assert response.status_code == 403
    # Nothing happened: still signed in, language unchanged.
    user.refresh_from_db()
    assert user.preferred_language != "ar"
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_schedule_action_refuses_a_post_without_a_csrf_token():
    chair = co_chair()
    meeting = MeetingFactory()
    client = _csrf_client(chair)

    response = client.post(reverse("meetings:schedule", args=[meeting.pk]))

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "draft"


def test_a_post_with_the_csrf_token_goes_through():
    # The control: the same client with the form's token is not refused.
    client = _csrf_client(focal_point())
    client.get(reverse("core:dashboard"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post(
        reverse("core:set_language"), {"language": "ar", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
