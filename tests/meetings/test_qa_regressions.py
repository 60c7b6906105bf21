"""Regressions found by walking the meetings pages as their users would (QA pass)."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.errors import DomainError
from meetings.forms import DESCRIPTION_MAX_LENGTH
from meetings.models import AgendaItem
from meetings.services import agenda as agenda_services
from meetings.services import minutes as minutes_services
from meetings.services import participation
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    MeetingFactory,
    invite,
    past_meeting,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db


def test_the_carry_over_button_counts_only_items_not_yet_on_the_agenda(client, people):
    """Scheduling carries open items over; the button then offered to carry them again."""
    earlier = past_meeting()
    ActionPointFactory(meeting=earlier, owner_organisation=people.agency_a)
    ActionPointFactory(meeting=earlier, owner_organisation=people.agency_b)
    meeting = MeetingFactory()
    client.force_login(people.chair)
    url = reverse("meetings:detail", args=[meeting.pk])

    assert "Carry over 2 open items" in client.get(url).content.decode()

    agenda_services.agenda_carry_over(meeting=meeting, by=people.chair)
    html = client.get(url).content.decode()
    assert "Carry over" not in html

    ActionPointFactory(meeting=earlier, owner_organisation=people.agency_a)
    assert "Carry over 1 open item" in client.get(url).content.decode()


@pytest.mark.parametrize("url_name", ["meetings:agenda_add", "meetings:agenda_propose"])
def test_an_agenda_item_description_over_the_limit_is_a_form_error(client, people, url_name):
    meeting = scheduled_meeting(by=people.chair)
    user = people.chair if url_name == "meetings:agenda_add" else people.focal_a
    client.force_login(user)
    response = client.post(
        reverse(url_name, args=[meeting.pk]),
        {
            "title": "Update on the referral pathway",
            "description": "x" * (DESCRIPTION_MAX_LENGTH + 1),
            "minutes_allotted": 10,
        },
    )
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_meeting_form_errors_mark_the_fields_invalid(client, people):
    """Errors were shown as text only: no red border, no aria-invalid for screen readers."""
    client.force_login(people.chair)
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "Extraordinary meeting",
            "kind": "extraordinary",
            "starts_at": "2030-03-03T10:00",
            "ends_at": "2030-03-03T09:00",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    for name in ("ends_at", "place"):
        attrs = form.fields[name].widget.attrs
        assert "is-invalid" in attrs["class"].split()
        assert attrs["aria-invalid"] == "true"
    assert "is-invalid" not in form.fields["title"].widget.attrs["class"]
    assert response.content.decode().count('aria-invalid="true"') == 2


def _text_positions(pdf_bytes):
    """(text, x) of each text run in the PDF, and the page width."""
    page = PdfReader(io.BytesIO(pdf_bytes)).pages[0]
    runs = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            runs.append((text.strip(), cm[4] + tm[4] * cm[0]))

    page.extract_text(visitor_text=visitor)
    return runs, float(page.mediabox.width)


def test_the_agenda_pdf_wraps_long_words_inside_the_page(client, people):
    """A long word or web address pushed the presenter and minutes columns off the page."""
    meeting = scheduled_meeting(by=people.chair)
    AgendaItemFactory(
        meeting=meeting,
        title="Update " + "Y" * 120,
        description="See https://example.org/" + "a/" * 80,
        presenter_organisation=people.agency_b,
        minutes_allotted=25,
        position=1,
    )
    client.force_login(people.chair)
    response = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    runs, width = _text_positions(response.content)
    # The presenter column (with the minutes after it) starts on the page, right of the item.
    presenter = [x for text, x in runs if text.startswith("AGB")]
    item = [x for text, x in runs if text.startswith("Update")]
    assert presenter and item
    assert item[0] < presenter[0] < width * 0.8
    # Every Y is printed: the word is wrapped, not clipped.
    assert sum(text.count("Y") for text, _x in runs) == 120


def _minutes_of_a_held_meeting(people):
    meeting = past_meeting(days_ago=20)
    participation.attendance_record(
        meeting=meeting, person=people.focal_a, capacity="focal_point", by=people.secretariat
    )
    return meeting, minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)


def test_minutes_are_not_approved_at_their_own_meeting(people):
    meeting, draft = _minutes_of_a_held_meeting(people)
    with pytest.raises(DomainError):
        minutes_services.minutes_approve(
            minutes=draft,
            approved_on=timezone.localdate(),
            method="meeting",
            approved_at_meeting=meeting,
            by=people.chair,
        )
    draft.refresh_from_db()
    assert draft.status != "approved"


def test_minutes_are_not_approved_at_a_meeting_that_has_not_taken_place(people):
    _meeting, draft = _minutes_of_a_held_meeting(people)
    upcoming = scheduled_meeting(by=people.chair)  # two weeks from now
    with pytest.raises(DomainError):
        minutes_services.minutes_approve(
            minutes=draft,
            approved_on=timezone.localdate(),
            method="meeting",
            approved_at_meeting=upcoming,
            by=people.chair,
        )
    later = past_meeting(days_ago=3)
    approved = minutes_services.minutes_approve(
        minutes=draft,
        approved_on=timezone.localdate(),
        method="meeting",
        approved_at_meeting=later,
        by=people.chair,
    )
    assert approved.status == "approved"
    assert approved.approved_at_meeting == later


def test_the_approval_form_offers_only_later_meetings_already_held(client, people):
    meeting, draft = _minutes_of_a_held_meeting(people)
    minutes_services.minutes_circulate(
        minutes=draft,
        comment_deadline=timezone.localdate() + timedelta(days=3),
        by=people.secretariat,
    )
    later = past_meeting(days_ago=3, title="Held last week")
    scheduled_meeting(by=people.chair, title="Not yet held")
    client.force_login(people.chair)
    response = client.get(reverse("meetings:minutes", args=[meeting.pk]))
    choices = list(response.context["approve_form"].fields["approved_at_meeting"].queryset)
    assert choices == [later]
    invite(meeting, people.focal_a, people.agency_a)


def test_a_guest_is_not_offered_alternate_attends_and_cannot_answer_it(client, people):
    """Guests have no alternate; the button was shown and the answer accepted."""
    meeting = scheduled_meeting(by=people.chair)
    participation.participant_add_guest(meeting=meeting, person=people.guest, by=people.chair)
    client.force_login(people.guest)
    url = reverse("meetings:detail", args=[meeting.pk])
    html = client.get(url).content.decode()
    assert 'value="attending"' in html
    assert 'value="alternate"' not in html

    response = client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "alternate"})
    assert response.status_code == 302
    guest = meeting.participants.get(person=people.guest)
    assert guest.response == ""
    with pytest.raises(DomainError):
        participation.rsvp_set(
            meeting=meeting, person=people.guest, response="alternate", by=people.guest
        )
    participation.rsvp_set(
        meeting=meeting, person=people.guest, response="attending", by=people.guest
    )
    guest.refresh_from_db()
    assert guest.response == "attending"

    # A focal point still has the choice.
    client.force_login(people.focal_a)
    assert 'value="alternate"' in client.get(url).content.decode()


def test_carried_over_decision_links_are_not_shown_to_guests(client, people):
    """Guests cannot open decisions: the 'open' link on a carried item led them to a 403."""
    meeting = scheduled_meeting(by=people.chair)
    participation.participant_add_guest(meeting=meeting, person=people.guest, by=people.chair)
    AgendaItemFactory(
        meeting=meeting,
        title="Decision UNNM/2026/001: pending",
        source="decision",
        source_key="decision:/decisions/1/",
        source_url="/decisions/1/",
        position=1,
    )
    url = reverse("meetings:detail", args=[meeting.pk])
    client.force_login(people.guest)
    html = client.get(url).content.decode()
    assert "Decision UNNM/2026/001: pending" in html
    assert 'href="/decisions/1/"' not in html
    client.force_login(people.focal_a)
    assert 'href="/decisions/1/"' in client.get(url).content.decode()


def test_recording_a_walk_in_reads_cleanly_and_removal_asks_first(client, people):
    """The message read 'Walk-in Visitor (—) is recorded'; Remove had no name and no confirm."""
    meeting = past_meeting(days_ago=1)
    client.force_login(people.secretariat)
    url = reverse("meetings:attendance", args=[meeting.pk])
    response = client.post(url, {"name": "Dr. Amal Rashid", "capacity": "guest_speaker"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Dr. Amal Rashid is recorded as present." in html
    assert "(—)" not in html
    assert "Remove Dr. Amal Rashid from the attendance?" in html
    assert '<span class="visually-hidden"> <bdi>Dr. Amal Rashid</bdi></span>' in html
    assert "js/meetings.js" in html


def test_the_rsvp_table_address_opened_directly_leads_to_the_meeting_page(client, people):
    """Opened without htmx it showed a bare, unstyled fragment."""
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(people.chair)
    url = reverse("meetings:rsvp_table", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url() + "#rsvp-table"
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert people.agency_a.acronym in fragment.content.decode()


def test_an_action_point_cannot_be_recorded_before_the_meeting(client, people):
    """The page hides the button until the meeting starts, but a direct POST recorded one."""
    upcoming = scheduled_meeting(by=people.chair)
    client.force_login(people.secretariat)
    response = client.post(
        reverse("meetings:action_add", args=[upcoming.pk]),
        {"description": "Too early", "owner_organisation": people.agency_a.pk},
    )
    assert response.status_code == 200
    assert "recorded once the meeting has started" in response.content.decode()
    assert not upcoming.action_points.exists()

    held = past_meeting(days_ago=1)
    response = client.post(
        reverse("meetings:action_add", args=[held.pk]),
        {"description": "Share the SOP", "owner_organisation": people.agency_a.pk},
    )
    assert response.status_code == 302
    assert held.action_points.get().description == "Share the SOP"
