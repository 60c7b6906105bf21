"""A CR/LF in a title must never kill an email: titles refuse control characters, and every
subject the portal builds is normalised by one helper (core.mail.email_subject)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.mail import email_subject
from core.models import Network
from decisions.tasks import notify_decision_opened_task
from meetings.forms import MeetingForm
from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from members import services as member_services
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
    co_chair,
    focal_point,
    scheduled_meeting,
)
from workplan import services as workplan_services

pytestmark = pytest.mark.django_db
INJECTED = "Regular meeting\r\nBcc: everyone@example.org"


def _assert_clean(subject):
    assert "\r" not in subject and "\n" not in subject
    assert subject.startswith("[UNNM Portal] ")
    assert subject.count("[UNNM Portal]") == 1


def test_email_subject_strips_control_characters_and_prefixes_once():
    assert email_subject("Hello\r\n  world\t!\x00") == "[UNNM Portal] Hello world !"
    assert email_subject("[UNNM Portal] Already prefixed") == "[UNNM Portal] Already prefixed"
    assert email_subject("Line\u2028separator") == "[UNNM Portal] Line separator"


def test_meeting_title_refuses_control_characters_in_the_form():
    start = timezone.localtime() + timezone.timedelta(days=20)
    form = MeetingForm(
        data={
            "title": INJECTED,
            "kind": "regular",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "UN House",
        }
    )

    assert not form.is_valid()
    assert "single line" in str(form.errors["title"])


def test_meeting_title_refuses_control_characters_in_the_service():
    chair = co_chair()
    start = timezone.now() + timezone.timedelta(days=20)

    with pytest.raises(DomainError) as error:
        meeting_services.meeting_create(
            title=INJECTED,
            kind="regular",
            starts_at=start,
            ends_at=start + timezone.timedelta(hours=2),
            by=chair,
        )
    assert error.value.code == "control_characters"
    meeting = MeetingFactory()
    with pytest.raises(DomainError):
        meeting_services.meeting_update(meeting=meeting, by=chair, title="A\nB")
    assert not Meeting.objects.filter(title__contains="\n").exists()


def test_meeting_title_with_crlf_is_refused_by_the_create_page(client):
    chair = co_chair()
    client.force_login(chair)
    start = timezone.localtime() + timezone.timedelta(days=20)

    response = client.post(
        reverse("meetings:create"),
        {
            "title": INJECTED,
            "kind": "regular",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_titles_of_every_domain_model_refuse_control_characters():
    decision = DecisionFactory.build(title="Adopt\r\nthe plan", proposing_organisation=None)

    with pytest.raises(ValidationError) as error:
        decision.full_clean(exclude=["proposing_organisation", "deadline", "meeting"])

    assert "title" in error.value.message_dict
    with pytest.raises(DomainError):
        workplan_services.workplan_create(year=2031, title="Plan\n2031", by=co_chair())


def test_meeting_emails_with_a_crlf_title_are_sent_with_a_clean_subject(
    django_capture_on_commit_callbacks,
):
    focal_point()
    chair = co_chair()
    with django_capture_on_commit_callbacks(execute=True):
        # Written around the form (an older row, or the admin): the emails must still go out.
        scheduled_meeting(by=chair, title=INJECTED)

    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        _assert_clean(message.subject)
        message.message()  # builds the headers: BadHeaderError if a line break got through
    assert "Bcc" not in mail.outbox[0].message()["Subject"].split(":", 1)[0]


def test_decision_emails_with_a_crlf_title_are_sent_with_a_clean_subject(
    django_capture_on_commit_callbacks,
):
    from decisions.services import decision_open

    focal_point()
    chair = co_chair()
    decision = DecisionFactory(title="Adopt the plan\r\nX-Injected: yes")
    with django_capture_on_commit_callbacks(execute=True):
        decision_open(decision=decision, by=chair)
    notify_decision_opened_task(decision.pk)

    assert mail.outbox
    for message in mail.outbox:
        _assert_clean(message.subject)
        assert message.message()["X-Injected"] is None


def test_invitation_and_account_emails_carry_the_prefix(django_capture_on_commit_callbacks):
    network = Network.objects.get_current()
    network.short_name = "UNNM\r\nBH"
    network.save()
    rco = UserFactory(roles=["rco_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_create(
            email="x@example.org",
            organisation=OrganisationFactory(kind="ngo"),
            role="guest",
            by=rco,
            site_url="https://portal.example.org/",
        )

    _assert_clean(mail.outbox[0].subject)
    mail.outbox[0].message()
