"""The meeting day: attendance from the answers, notes and action points, on one screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from meetings import rules, selectors
from meetings.models import ActionPoint, AgendaItem, Attendance
from meetings.services import meeting_day, minutes
from meetings.services.meetings import invite_members
from members import services as member_services
from members.models import Appointment
from members.roles import Role
from tests.factories import AgendaItemFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(people):
    """A scheduled meeting that started an hour ago, every representative invited."""
    now = timezone.now()
    meeting = MeetingFactory(
        status="scheduled", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    invite_members(meeting)
    return meeting


def _participant(meeting, person):
    return meeting.participants.get(person=person)


def _sheet_entry(sheet, person):
    for row in sheet:
        for entry in row["people"]:
            if entry["participant"].person_id == person.pk:
                return entry
    raise AssertionError(f"{person} is not on the sheet")


@pytest.mark.parametrize(
    ("own", "agency", "seat", "present"),
    [
        ("attending", "attending", "focal_point", True),
        ("not_attending", "not_attending", "focal_point", False),
        ("alternate", "alternate", "focal_point", False),
        ("", "alternate", "alternate", True),
        ("", "", "alternate", False),
        ("not_attending", "alternate", "alternate", False),
    ],
)
def test_presumed_present_follows_the_answers(own, agency, seat, present):
    assert rules.presumed_present(own_response=own, agency_answer=agency, seat=seat) is present


def test_the_sheet_has_one_row_per_agency_prefilled_from_the_answers(people, today):
    participant = _participant(today, people.focal_a)
    participant.response = "alternate"
    participant.save()
    participant = _participant(today, people.focal_b)
    participant.response = "attending"
    participant.save()
    sheet = selectors.meeting_day_attendance(today)
    agencies = [row["organisation"].acronym for row in sheet]
    assert len(agencies) == len(set(agencies))
    assert _sheet_entry(sheet, people.focal_b)["present"] is True
    assert _sheet_entry(sheet, people.focal_b)["capacity"] == "focal_point"
    assert _sheet_entry(sheet, people.focal_a)["present"] is False
    assert _sheet_entry(sheet, people.alternate_a)["present"] is True
    assert _sheet_entry(sheet, people.alternate_a)["capacity"] == "alternate"
    assert _sheet_entry(sheet, people.chair)["present"] is False


def test_attendance_is_saved_together_and_absent_removes_a_recorded_person(people, today):
    meeting_day.attendance_save(
        meeting=today,
        entries=[
            {
                "participant": _participant(today, people.focal_a),
                "present": True,
                "capacity": "focal_point",
            },
            {
                "participant": _participant(today, people.focal_b),
                "present": True,
                "capacity": "focal_point",
            },
        ],
        by=people.chair,
    )
    assert set(today.attendance.values_list("person_id", flat=True)) == {
        people.focal_a.pk,
        people.focal_b.pk,
    }
    meeting_day.attendance_save(
        meeting=today,
        entries=[
            {
                "participant": _participant(today, people.focal_b),
                "present": False,
                "capacity": "focal_point",
            },
        ],
        by=people.chair,
    )
    assert set(today.attendance.values_list("person_id", flat=True)) == {people.focal_a.pk}
    assert today.attendance.get().organisation == people.agency_a
    assert AuditEntry.objects.filter(action="meetings.attendance.saved").count() == 2


def test_attendance_saving_is_all_or_nothing(people, today):
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    leaver = _participant(today, people.focal_b)
    # Ended without the hook seeing a scheduled future meeting: this one has started.
    member_services.appointment_end(
        appointment=Appointment.objects.active().get(person=people.focal_b), by=rco
    )
    with pytest.raises(DomainError):
        meeting_day.attendance_save(
            meeting=today,
            entries=[
                {
                    "participant": _participant(today, people.focal_a),
                    "present": True,
                    "capacity": "focal_point",
                },
                {"participant": leaver, "present": True, "capacity": "focal_point"},
            ],
            by=people.chair,
        )
    assert not today.attendance.exists()


def test_only_organisers_record_the_meeting_day(people, today):
    with pytest.raises(DomainError):
        meeting_day.attendance_save(
            meeting=today,
            entries=[
                {
                    "participant": _participant(today, people.focal_a),
                    "present": True,
                    "capacity": "focal_point",
                }
            ],
            by=people.focal_a,
        )
    with pytest.raises(DomainError):
        meeting_day.agenda_notes_save(meeting=today, notes={}, by=people.staff_a)


def test_attendance_waits_for_the_meeting_to_start(people):
    meeting = MeetingFactory(status="scheduled")
    invite_members(meeting)
    with pytest.raises(DomainError, match="started"):
        meeting_day.attendance_save(
            meeting=meeting,
            entries=[
                {
                    "participant": _participant(meeting, people.focal_a),
                    "present": True,
                    "capacity": "focal_point",
                }
            ],
            by=people.chair,
        )


def test_notes_per_agenda_item_feed_the_minutes_draft(people, today):
    item = AgendaItemFactory(meeting=today, position=1, title="Labour migration mapping")
    other_meeting_item = AgendaItemFactory(position=1)
    with pytest.raises(DomainError):
        meeting_day.agenda_notes_save(
            meeting=today, notes={other_meeting_item.pk: "Not here"}, by=people.chair
        )
    meeting_day.agenda_notes_save(
        meeting=today, notes={item.pk: "IOM presented <b>the</b> mapping."}, by=people.chair
    )
    assert AgendaItem.objects.get(pk=item.pk).notes == "IOM presented <b>the</b> mapping."
    today.status = "held"
    today.save()
    body = minutes.minutes_draft(meeting=today, by=people.chair).body
    assert "IOM presented &lt;b&gt;the&lt;/b&gt; mapping." in body


def test_the_meeting_day_page_works_as_plain_forms(client, people, today):
    AgendaItemFactory(meeting=today, position=1, title="Item one")
    client.force_login(people.chair)
    url = reverse("meetings:day", args=[today.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("day_attendance", "day_actions", "day_notes"):
        assert f'action="{reverse(f"meetings:{name}", args=[today.pk])}"' in html

    sheet = selectors.meeting_day_attendance(today)
    data = {}
    for row in sheet:
        for entry in row["people"]:
            pk = entry["participant"].pk
            data[f"present-{pk}"] = "1" if entry["participant"].person == people.focal_b else "0"
            data[f"capacity-{pk}"] = entry["capacity"]
    response = client.post(reverse("meetings:day_attendance", args=[today.pk]), data)
    assert response.status_code == 302
    assert response.url.endswith("#attendance")
    assert list(today.attendance.values_list("person_id", flat=True)) == [people.focal_b.pk]

    response = client.post(
        reverse("meetings:day_actions", args=[today.pk]),
        {
            "action-description": "Share the mapping",
            "action-owner_organisation": people.agency_b.pk,
            "action-due_date": str(timezone.localdate() + timedelta(days=14)),
        },
    )
    assert response.status_code == 302
    assert ActionPoint.objects.get(meeting=today).owner_organisation == people.agency_b


def test_the_meeting_day_sections_answer_htmx_with_the_section_alone(client, people, today):
    client.force_login(people.chair)
    response = client.post(
        reverse("meetings:day_actions", args=[today.pk]),
        {"action-description": "No owner"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="actions"' in html and "<html" not in html
    assert not ActionPoint.objects.exists()

    response = client.post(
        reverse("meetings:day_attendance", args=[today.pk]),
        {
            f"present-{_participant(today, people.focal_a).pk}": "1",
            f"capacity-{_participant(today, people.focal_a).pk}": "focal_point",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="attendance"' in html and "The attendance is saved." in html
    # The positions table follows the attendance, swapped out of band.
    assert 'hx-swap-oob="true"' in html
    assert Attendance.objects.filter(meeting=today, person=people.focal_a).exists()


def test_members_without_the_organiser_role_cannot_open_the_meeting_day(client, people, today):
    client.force_login(people.focal_a)
    assert client.get(reverse("meetings:day", args=[today.pk])).status_code == 403
    client.force_login(people.guest)
    assert client.get(reverse("meetings:day", args=[today.pk])).status_code == 404


def _without(*names):
    from django.conf import settings

    return [name for name in settings.INSTALLED_APPS if name not in names]


def test_the_meeting_day_works_without_the_decisions_app(client, people, today):
    import importlib

    from django.test import override_settings
    from django.urls import clear_url_caches

    client.force_login(people.chair)
    with override_settings(INSTALLED_APPS=_without("decisions")):
        clear_url_caches()
        urls = importlib.reload(importlib.import_module("unnm.urls"))
        try:
            with override_settings(ROOT_URLCONF=urls):
                response = client.get(reverse("meetings:day", args=[today.pk]))
                assert response.status_code == 200
                html = response.content.decode()
                assert 'id="attendance"' in html
                assert 'id="positions"' not in html
        finally:
            clear_url_caches()
    importlib.reload(importlib.import_module("unnm.urls"))
    clear_url_caches()


def test_appointments_change_without_the_meetings_app(people):
    from django.test import override_settings

    rco = UserFactory(roles=[Role.RCO_ADMIN])
    successor = UserFactory(organisation=people.agency_b)
    with override_settings(INSTALLED_APPS=_without("meetings", "decisions")):
        member_services.appointment_replace(
            organisation=people.agency_b, person=successor, kind="focal_point", level="", by=rco
        )
    assert (
        Appointment.objects.active().get(organisation=people.agency_b, kind="focal_point").person
        == successor
    )


def test_the_meeting_day_page_has_a_fixed_number_of_queries(
    client, people, today, django_assert_max_num_queries
):
    from tests.factories import focal_point, member_agency, open_decision

    for index in range(12):
        focal_point(member_agency(acronym=f"X{index:02d}"))
    invite_members(today)
    for _ in range(3):
        open_decision(by=people.chair)
    from meetings.services.agenda import agenda_carry_over

    agenda_carry_over(meeting=today, by=people.chair)
    for position in range(5):
        AgendaItemFactory(meeting=today, position=100 + position)
    client.force_login(people.chair)
    client.get(reverse("meetings:day", args=[today.pk]))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("meetings:day", args=[today.pk]))
    assert response.status_code == 200
