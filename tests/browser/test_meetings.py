"""A meeting cycle in the browser: schedule, agenda, RSVP, attendance, action point."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import ToRObjective
from meetings.models import ActionPoint, Attendance, Meeting

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_cycle(page, demo_world):
    password = demo_world.password
    starts = timezone.localtime(timezone.now() + timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )

    # A co-chair creates and schedules the meeting.
    sign_in(page, "iom.focal@example.org", password)
    page.goto("/meetings/")
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Title").fill("Extraordinary meeting on heat stress")
    page.get_by_label("Kind").select_option("extraordinary")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill("UN House, Manama")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The meeting is saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_text("member agencies have been invited")).to_be_visible()
    meeting = Meeting.objects.get(title="Extraordinary meeting on heat stress")
    assert meeting.status == "scheduled"

    # It adds an agenda item.
    page.get_by_role("link", name="Add item").click()
    page.get_by_label("Title").fill("Heat-stress campaign for outdoor workers")
    page.get_by_label("Presenting organisation").select_option(label="WHO")
    page.get_by_label("Minutes allotted").fill("20")
    page.get_by_label("ToR objective").select_option(label=str(ToRObjective.objects.get(number=2)))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#agenda-items")).to_contain_text(
        "Heat-stress campaign for outdoor workers"
    )

    # A focal point answers (htmx), and can change the answer.
    page.context.clear_cookies()
    sign_in(page, "unhcr.focal@example.org", password)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Not attending").click()
    expect(page.locator("#my-rsvp-box")).to_contain_text("Your answer is saved.")
    page.get_by_role("button", name="Attending", exact=True).click()
    expect(page.locator("#my-rsvp-box .badge").first).to_have_text("Attending")
    assert meeting.participants.get(person__email="unhcr.focal@example.org").response == (
        "attending"
    )

    # The meeting takes place.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )

    # The secretariat records attendance and an action point.
    page.context.clear_cookies()
    sign_in(page, "iom.focal@example.org", password)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Person", exact=True).select_option(label="Daniel Okafor (UNHCR)")
    page.get_by_label("Capacity").select_option("focal_point")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("is recorded as present")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Daniel Okafor")
    expect(page.get_by_role("heading", name=re.compile("Member agencies absent"))).to_be_visible()
    assert Attendance.objects.filter(meeting=meeting, organisation__acronym="UNHCR").exists()

    page.get_by_role("link", name=meeting.title).click()
    page.get_by_role("link", name="Add action point").click()
    page.get_by_label("Description").fill("Share the referral SOP draft with all focal points")
    page.get_by_label("Owner organisation").select_option(label="UNHCR")
    page.get_by_label("Due").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#actions")).to_contain_text("Share the referral SOP draft")
    action = ActionPoint.objects.get(meeting=meeting)
    assert action.owner_organisation.acronym == "UNHCR"

    page.get_by_role("button", name="Mark as held").click()
    expect(page.get_by_text("The meeting is marked as held.")).to_be_visible()


def test_minutes_from_draft_to_approval(page, demo_world):
    from tests.factories import past_meeting

    meeting = past_meeting(title="Regular meeting — September")
    Attendance.objects.create(
        meeting=meeting,
        person=demo_world.person("ilo.focal@example.org"),
        name="Layla Mansour",
        organisation=demo_world.organisation("ILO"),
        capacity="focal_point",
    )
    sign_in(page, "iom.focal@example.org", demo_world.password)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Draft the minutes from the record").click()

    # The editor starts from the record; the secretariat adds a paragraph with the toolbar.
    editor = page.locator("[data-editor]")
    expect(editor).to_contain_text("Layla Mansour")
    expect(editor).to_contain_text("Member agencies absent")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Next steps agreed by all")
    page.get_by_role("button", name="Subheading").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Next steps agreed by all")).to_be_visible()

    page.get_by_role("button", name="Circulate", exact=True).click()
    expect(page.get_by_text("The minutes are circulated for comment.")).to_be_visible()
    page.get_by_label("Approval").select_option("no_objection")
    # Approving during the comment period is said, with who has commented, and confirmed.
    expect(page.get_by_text("Nobody has commented so far.")).to_be_visible()
    page.get_by_label("Approve before the comment period ends").check()
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("The minutes are approved and now read-only.")).to_be_visible()
    expect(page.get_by_text("by no-objection")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    minutes = meeting.minutes
    minutes.refresh_from_db()
    assert minutes.status == "approved"
    assert "<h4>Next steps agreed by all</h4>" in minutes.body
