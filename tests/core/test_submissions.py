"""Rule: no form can be sent twice. Every form whose POST creates rows carries a token issued when
the page is rendered; a second POST of the same rendered form creates nothing (core.submissions).
"""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, FormSubmission, ToRObjective
from core.submissions import TOKEN_FIELD
from decisions.models import Decision, PositionChange
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Document,
    Meeting,
    MinutesComment,
    Participant,
)
from members.models import Appointment, Invitation, Membership, Organisation
from members.roles import Role
from tests.factories import (
    DeliverableFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
    WorkplanFactory,
    co_chair,
    focal_point,
    member_agency,
    open_decision,
    past_meeting,
    scheduled_meeting,
)
from workplan.models import (
    Deliverable,
    Funding,
    ProgressUpdate,
    ThematicArea,
    Workplan,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
ACTION = re.compile(r'action="([^"]*)"')
TOKEN = re.compile(rf'name="{TOKEN_FIELD}" value="([^"]+)"')


def rendered_token(client, page, action):
    """The token of the form posting to `action`, as the page renders it (None if it has none)."""
    response = client.get(page)
    assert response.status_code == 200, page
    for attributes, body in FORM.findall(response.content.decode()):
        match = ACTION.search(attributes)
        if (match.group(1) if match else page) == action:
            token = TOKEN.search(body)
            return token.group(1) if token else None
    raise AssertionError(f"No form posting to {action} on {page}")


@pytest.fixture
def world(db):
    chair = co_chair(email="chair@example.org")
    agency = member_agency(acronym="AGA")
    focal = focal_point(agency, email="focal.a@example.org")
    rco = UserFactory(email="rco@example.org", roles=[Role.RCO_ADMIN])
    return chair, agency, focal, rco


def _in(days, fmt="%Y-%m-%dT%H:%M"):
    return (timezone.localtime() + timedelta(days=days)).strftime(fmt)


def case_meeting_create(world):
    chair, *_ = world
    url = reverse("meetings:create")
    data = {
        "title": "Extraordinary meeting",
        "kind": "extraordinary",
        "starts_at": _in(10),
        "ends_at": _in(10.05),
        "place": "UN House",
    }
    return chair, url, url, data, lambda: Meeting.objects.count()


def case_meeting_generate(world):
    chair, *_ = world
    url = reverse("meetings:generate")
    year = timezone.localdate().year + 1
    data = {
        "year": year,
        "first_month": 1,
        "week": 2,
        "weekday": 1,
        "start_time": "10:00",
        "duration_minutes": 120,
        "place": "UN House",
    }
    return chair, url, url, data, lambda: Meeting.objects.count()


def case_agenda_add(world):
    chair, *_ = world
    meeting = MeetingFactory()
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    data = {"title": "Referral pathway", "minutes_allotted": 10}
    return chair, url, url, data, lambda: AgendaItem.objects.count()


def case_agenda_propose(world):
    chair, _agency, focal, _rco = world
    meeting = scheduled_meeting(by=chair)
    url = reverse("meetings:agenda_propose", args=[meeting.pk])
    data = {"title": "Referral pathway", "minutes_allotted": 10}
    return focal, url, url, data, lambda: AgendaItem.objects.count()


def case_guest_add(world):
    chair, *_ = world
    meeting = MeetingFactory()
    stakeholder = OrganisationFactory(kind="government")
    Membership.objects.create(organisation=stakeholder, role=Membership.Role.STAKEHOLDER)
    guest = UserFactory(organisation=stakeholder, roles=[Role.GUEST])
    url = reverse("meetings:guest_add", args=[meeting.pk])
    data = {"person": guest.pk, "role_note": "Speaker"}
    return chair, url, url, data, lambda: Participant.objects.count()


def case_attendance(world):
    chair, *_ = world
    meeting = past_meeting()
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {"name": "Dr. Amal Rashid", "capacity": "guest_speaker"}
    return chair, url, url, data, lambda: Attendance.objects.count()


def case_document_upload(world):
    chair, *_ = world
    meeting = MeetingFactory()
    url = reverse("meetings:document_upload", args=[meeting.pk])

    def data():
        return {
            "title": "Briefing",
            "file": SimpleUploadedFile("briefing.pdf", PDF_BYTES, "application/pdf"),
        }

    return chair, url, url, data, lambda: Document.objects.count()


def case_action_add(world):
    chair, agency, *_ = world
    meeting = past_meeting()
    url = reverse("meetings:action_add", args=[meeting.pk])
    data = {"description": "Share the SOP", "owner_organisation": agency.pk}
    return chair, url, url, data, lambda: ActionPoint.objects.count()


def case_minutes_comment(world):
    chair, _agency, focal, _rco = world
    from meetings.services import minutes as minutes_services

    meeting = past_meeting()
    minutes = minutes_services.minutes_draft(meeting=meeting, by=chair)
    minutes_services.minutes_circulate(
        minutes=minutes, comment_deadline=timezone.localdate() + timedelta(days=5), by=chair
    )
    page = reverse("meetings:minutes", args=[meeting.pk])
    url = reverse("meetings:minutes_comment", args=[meeting.pk])
    data = {"body": "Please add the follow-up on item 3."}
    return focal, page, url, data, lambda: MinutesComment.objects.count()


def case_call_for_items(world):
    """Sending the call twice would email every focal point twice."""
    chair, *_ = world
    meeting = scheduled_meeting(by=chair)
    url = reverse("meetings:call_for_items", args=[meeting.pk])
    data = {"cutoff": _in(5)}
    return (
        chair,
        url,
        url,
        data,
        lambda: AuditEntry.objects.filter(action="meetings.agenda.called").count(),
    )


def case_position_on_behalf(world):
    chair, agency, *_ = world
    meeting = past_meeting()
    decision = open_decision(by=chair, procedure="meeting", meeting=meeting)
    url = reverse("decisions:position_on_behalf", args=[decision.pk])
    data = {"behalf-organisation": agency.pk, "behalf-stance": "concur"}
    return chair, decision.get_absolute_url(), url, data, lambda: PositionChange.objects.count()


def case_decision_create(world):
    chair, agency, *_ = world
    url = reverse("decisions:create")
    data = {
        "title": "Joint statement",
        "text": "The Network endorses the statement.",
        "rationale": "Agreed in principle.",
        "proposing_organisation": agency.pk,
        "procedure": "written",
        "deadline": _in(10),
    }
    return chair, url, url, data, lambda: Decision.objects.count()


def case_decision_revise(world):
    chair, *_ = world
    decision = open_decision(by=chair)
    Decision.objects.filter(pk=decision.pk).update(status="not_adopted")
    url = reverse("decisions:revise", args=[decision.pk])
    data = {
        "title": "Joint statement, revised",
        "text": "The Network endorses the revised statement.",
        "rationale": "Objections addressed.",
        "proposing_organisation": decision.proposing_organisation_id or "",
        "procedure": "written",
        "deadline": _in(10),
    }
    return chair, url, url, data, lambda: Decision.objects.count()


def case_position(world):
    chair, agency, focal, _rco = world
    decision = open_decision(by=chair)
    url = reverse("decisions:position", args=[decision.pk])
    data = {"organisation": agency.pk, "stance": "concur", "reason": "", "comment": "Fine"}
    return focal, decision.get_absolute_url(), url, data, lambda: PositionChange.objects.count()


def case_workplan_create(world):
    chair, *_ = world
    url = reverse("workplan:create")
    data = {"year": 2044, "title": "Plan 2044"}
    return chair, url, url, data, lambda: Workplan.objects.count()


def case_deliverable_create(world):
    chair, agency, *_ = world
    WorkplanFactory(year=2045)
    url = reverse("workplan:deliverable_create", args=[2045])
    data = {
        "title": "Fair recruitment study",
        "description": "A study.",
        "tor_objectives": [ToRObjective.objects.get(number=1).pk],
        "thematic_area": ThematicArea.objects.order_by("order").first().pk,
        "lead_agency": agency.pk,
        "start_quarter": 1,
        "end_quarter": 2,
        "budget_required": "1000",
    }
    return chair, url, url, data, lambda: Deliverable.objects.count()


def case_progress_update(world):
    """The fault as reported: a double click on "Post update" made two updates 38 ms apart."""
    chair, agency, *_ = world
    deliverable = DeliverableFactory(lead_agency=agency)
    url = reverse("workplan:progress_update", args=[deliverable.pk])
    data = {
        "date": timezone.localdate().isoformat(),
        "status_after": "on_track",
        "note": "Field work started.",
    }
    return chair, deliverable.get_absolute_url(), url, data, lambda: ProgressUpdate.objects.count()


def case_funding_add(world):
    chair, agency, *_ = world
    deliverable = DeliverableFactory(lead_agency=agency)
    url = reverse("workplan:funding_add", args=[deliverable.pk])
    data = {"source_kind": "donor", "source": "EU", "amount": "2500", "status": "pledged"}
    return chair, url, url, data, lambda: Funding.objects.count()


def case_organisation_create(world):
    *_, rco = world
    url = reverse("members:organisation_create")
    data = {
        "acronym": "NEWAG",
        "name": "New agency",
        "kind": "un_agency",
        "is_resident": "on",
        "roles": ["member"],
        "joined_on": timezone.localdate().isoformat(),
    }
    return rco, url, url, data, lambda: Organisation.objects.count()


def case_membership_change(world):
    *_, rco = world
    organisation = OrganisationFactory()
    url = reverse("members:membership_change", args=[organisation.pk])
    data = {"roles": ["member"], "on": timezone.localdate().isoformat(), "note": ""}
    return rco, url, url, data, lambda: Membership.objects.count()


def case_appointment_create(world):
    *_, rco = world
    organisation = member_agency()
    person = UserFactory(organisation=organisation)
    url = reverse("members:appointment_create", args=[organisation.pk])
    data = {
        "person": person.pk,
        "kind": "alternate",
        "level": "focal_point",
        "start_date": timezone.localdate().isoformat(),
    }
    return rco, url, url, data, lambda: Appointment.objects.count()


def case_invitation_create(world):
    _chair, agency, _focal, rco = world
    url = reverse("members:invitation_create")
    data = {
        "email": "newcomer@example.org",
        "full_name": "New Comer",
        "organisation": agency.pk,
        "role": "agency_staff",
        "level": "",
        "message": "",
    }
    return rco, url, url, data, lambda: Invitation.objects.count()


CREATING_FORMS = [
    case_meeting_create,
    case_meeting_generate,
    case_agenda_add,
    case_agenda_propose,
    case_guest_add,
    case_attendance,
    case_document_upload,
    case_action_add,
    case_minutes_comment,
    case_call_for_items,
    case_decision_create,
    case_decision_revise,
    case_position,
    case_position_on_behalf,
    case_workplan_create,
    case_deliverable_create,
    case_progress_update,
    case_funding_add,
    case_organisation_create,
    case_membership_change,
    case_appointment_create,
    case_invitation_create,
]


@pytest.mark.parametrize("case", CREATING_FORMS, ids=lambda case: case.__name__[5:])
def test_no_form_creates_twice_when_sent_twice(client, world, case):
    user, page, url, data, count = case(world)
    client.force_login(user)
    token = rendered_token(client, page, url)
    assert token, f"the form posting to {url} carries no submission token"
    before = count()

    def payload():
        return {**(data() if callable(data) else data), TOKEN_FIELD: token}

    first = client.post(url, payload())
    assert first.status_code == 302, getattr(first, "context", None) and first.context.get("form")
    assert count() > before
    created = count()

    second = client.post(url, payload())
    assert count() == created, "the second POST of the same form created rows"
    assert second.status_code == 302 and second["Location"] == first["Location"]
    messages = [str(m) for m in second.wsgi_request._messages]
    assert "This form was already sent; it was not sent again." in messages


def test_a_rejected_form_can_be_corrected_and_sent_with_the_same_token(client, world):
    chair, *_ = world
    meeting = MeetingFactory()
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    client.force_login(chair)
    token = rendered_token(client, url, url)
    bad = client.post(url, {"title": "", "minutes_allotted": 10, TOKEN_FIELD: token})
    assert bad.status_code == 200 and not FormSubmission.objects.filter(token=token).exists()
    good = client.post(url, {"title": "Item", "minutes_allotted": 10, TOKEN_FIELD: token})
    assert good.status_code == 302 and AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_each_rendering_of_a_form_gets_its_own_token(client, world):
    chair, *_ = world
    url = reverse("meetings:create")
    client.force_login(chair)
    assert rendered_token(client, url, url) != rendered_token(client, url, url)
