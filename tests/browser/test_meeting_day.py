"""A full meeting day in one screen, on a tablet: attendance from the answers, positions on
behalf, action points and notes; the minutes draft shows them all."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Position
from decisions.services import decision_open
from meetings.models import ActionPoint, Attendance, Meeting, Minutes
from meetings.services.agenda import agenda_item_add
from meetings.services.meetings import meeting_schedule
from meetings.services.participation import rsvp_set
from tests.factories import DecisionFactory, MeetingFactory

from .conftest import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_co_chair_runs_a_meeting_day_from_one_screen(page, demo_world):
    world = demo_world
    iom, ilo = world.person("iom.focal@example.org"), world.person("ilo.focal@example.org")
    unhcr, unicef = (
        world.person("unhcr.focal@example.org"),
        world.person("unicef.focal@example.org"),
    )
    # Two decisions open before the meeting is scheduled: they are carried into its agenda.
    first = decision_open(decision=DecisionFactory(title="Joint statement on heat stress"), by=iom)
    second = decision_open(decision=DecisionFactory(title="Workplan 2027 priorities"), by=iom)
    meeting = meeting_schedule(meeting=MeetingFactory(title="Regular meeting — day"), by=iom)
    agenda_item_add(meeting=meeting, title="Labour mobility mapping", by=iom)
    rsvp_set(meeting=meeting, person=unhcr, response="attending", by=unhcr)
    rsvp_set(meeting=meeting, person=ilo, response="attending", by=ilo)
    rsvp_set(meeting=meeting, person=unicef, response="alternate", by=unicef)
    # The meeting takes place.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )

    page.set_viewport_size(TABLET)
    sign_in(page, "ilo.focal@example.org", world.password)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Meeting day").click()
    expect(page.get_by_role("heading", name="Attendance")).to_be_visible()

    # Attendance comes pre-filled from the answers: UNHCR and ILO attend, UNICEF's alternate.
    expect(page.get_by_role("radio", name="Present Daniel Okafor")).to_be_checked()
    expect(page.get_by_role("radio", name="Present Hana Sato")).to_be_checked()
    expect(page.get_by_role("radio", name="Absent Sara Al-Amin")).to_be_checked()
    # One click marks the IOM focal point present; the sheet is saved at once (htmx).
    page.locator("label", has_text="Present Omar Farouk").click()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#attendance")).to_contain_text("The attendance is saved.")
    present = set(
        Attendance.objects.filter(meeting=meeting).values_list("organisation__acronym", flat=True)
    )
    assert present == {"IOM", "ILO", "UNHCR", "UNICEF"}
    assert _no_sideways_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / "meeting_day_768.png"), full_page=True)

    # Three positions stated at the meeting, recorded on the agencies' behalf in one go.
    positions = page.locator("#positions")
    expect(positions.get_by_role("button", name="Record positions")).to_be_enabled()
    organisation = {
        acronym: world.organisation(acronym).pk for acronym in ("IOM", "UNHCR", "UNICEF")
    }
    positions.locator(f'select[name="stance-{first.pk}-{organisation["UNHCR"]}"]').select_option(
        "concur"
    )
    positions.locator(f'select[name="stance-{first.pk}-{organisation["UNICEF"]}"]').select_option(
        "stand_aside"
    )
    positions.locator(f'select[name="stance-{second.pk}-{organisation["IOM"]}"]').select_option(
        "object"
    )
    positions.locator(f'input[name="reason-{second.pk}-{organisation["IOM"]}"]').fill(
        "The budget is not agreed yet."
    )
    positions.get_by_role("button", name="Record positions").click()
    expect(page.locator("#positions")).to_contain_text("3 positions recorded at this meeting.")
    expect(page.locator("#positions").get_by_text("recorded at this meeting")).to_have_count(4)
    assert Position.objects.filter(meeting=meeting, on_behalf=True).count() == 3

    # Two action points, inline.
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    for description, owner in (
        ("Circulate the heat-stress statement", "UNHCR"),
        ("Draft the 2027 workplan budget", "IOM"),
    ):
        actions = page.locator("#actions")
        actions.get_by_label("Description").fill(description)
        actions.get_by_label("Owner organisation").select_option(label=owner)
        actions.get_by_label("Due").fill(due)
        actions.get_by_role("button", name="Add action point").click()
        expect(page.locator("#actions")).to_contain_text(description)
    assert ActionPoint.objects.filter(meeting=meeting).count() == 2

    # Notes on an agenda item.
    page.locator("#notes").get_by_label("Labour mobility mapping").fill(
        "ILO presented the mapping; UNHCR to add data."
    )
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#notes")).to_contain_text("The notes are saved.")

    # The meeting is held; the minutes draft shows everything recorded today.
    page.reload()
    page.get_by_role("button", name="Mark as held").click()
    page.goto(f"/meetings/{meeting.pk}/day/")
    page.get_by_role("button", name="Draft the minutes").click()
    expect(page.get_by_text("The minutes are drafted from the meeting record.")).to_be_visible()
    body = Minutes.objects.get(meeting=meeting).body
    for text in (
        "Daniel Okafor",
        "Omar Farouk",
        "Layla Mansour",
        "Hana Sato",
        first.reference,
        second.reference,
        "The budget is not agreed yet.",
        "Circulate the heat-stress statement",
        "Draft the 2027 workplan budget",
        "ILO presented the mapping; UNHCR to add data.",
    ):
        assert text in body, text
    assert body.count("stated at the meeting") == 3
    assert "Sara Al-Amin" not in body.split("Agenda and discussion")[0]


def test_the_meeting_day_works_without_javascript(browser, live_server, demo_world):
    world = demo_world
    iom, unhcr = world.person("iom.focal@example.org"), world.person("unhcr.focal@example.org")
    meeting = meeting_schedule(meeting=MeetingFactory(title="Regular meeting — no JS"), by=iom)
    rsvp_set(meeting=meeting, person=unhcr, response="attending", by=unhcr)
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False, viewport=TABLET
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, "iom.focal@example.org", world.password)
        page.goto(f"/meetings/{meeting.pk}/day/")
        page.locator("label", has_text="Present Omar Farouk").click()
        page.get_by_role("button", name="Save attendance").click()
        expect(page.get_by_text("The attendance is saved.")).to_be_visible()
        assert page.url.endswith(f"/meetings/{meeting.pk}/day/#attendance")
        assert set(
            Attendance.objects.filter(meeting=meeting).values_list("person__email", flat=True)
        ) == {"iom.focal@example.org", "unhcr.focal@example.org"}

        actions = page.locator("#actions")
        actions.get_by_label("Description").fill("Send the mapping to the co-chairs")
        actions.get_by_label("Owner organisation").select_option(label="UNHCR")
        actions.get_by_role("button", name="Add action point").click()
        expect(page.get_by_text("The action point is recorded.")).to_be_visible()
        assert ActionPoint.objects.filter(meeting=meeting).count() == 1
    finally:
        context.close()
