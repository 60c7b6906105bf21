"""What decisions offer other apps: meeting hooks, the dashboard panel, the demo seeding."""

import pytest

from core import registry
from core.seeding import DemoContext
from decisions import demo, services
from decisions.meeting_hooks import agenda_carryover, minutes_section
from decisions.models import Decision, PositionChange
from tests.factories import DecisionFactory, MeetingFactory, open_decision

pytestmark = pytest.mark.django_db


def test_meeting_hooks_are_found_through_the_registry():
    hooks = {hook.key: hook for hook in registry.meeting_hooks.entries()}
    assert hooks["decisions"].agenda_carryover is agenda_carryover
    assert hooks["decisions"].minutes_section is minutes_section


def test_agenda_carries_open_decisions_and_drafts_for_this_meeting(electorate):
    meeting = MeetingFactory()
    opened = open_decision(by=electorate.chair, title="Open one")
    DecisionFactory(title="Draft for this meeting", meeting=meeting)
    DecisionFactory(title="Draft for another meeting", meeting=MeetingFactory())

    items = agenda_carryover(meeting)

    titles = [registry.render_generated(f"{i['kind']}.title", i["params"]) for i in items]
    assert f"Decision {opened.reference}: Open one" in titles
    assert "Draft decision: Draft for this meeting" in titles
    assert not any("another meeting" in title for title in titles)
    assert all(set(item) == {"kind", "params", "url"} for item in items)
    assert items[titles.index(f"Decision {opened.reference}: Open one")]["url"] == (
        opened.get_absolute_url()
    )


def test_minutes_section_lists_decisions_taken_with_escaped_positions(electorate):
    meeting = MeetingFactory(status="held")
    decision = open_decision(
        by=electorate.chair,
        procedure="meeting",
        deadline=None,
        meeting=meeting,
        title="<b>Bold</b>",
    )
    services.position_record(
        decision=decision,
        organisation=electorate.agency_b,
        stance="object",
        reason="<script>alert(1)</script>",
        by=electorate.chair,
        on_behalf=True,
    )
    for person in (electorate.chair, electorate.fp_a):
        services.position_record(
            decision=decision, organisation=person.organisation, stance="concur", by=person
        )
    services.decision_close(decision=decision, by=electorate.chair)

    section = minutes_section(meeting)

    assert section["title"] == "Decisions taken"
    html = section["html"]
    assert decision.reference in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "Not adopted" in html
    assert "stated at the meeting" in html
    change = PositionChange.objects.get(organisation=electorate.agency_b)
    assert change.on_behalf and change.meeting == meeting


def test_minutes_section_of_a_meeting_without_decisions_is_empty(electorate):
    assert minutes_section(MeetingFactory())["html"] == ""


def test_demo_seeds_every_kind_of_decision_and_is_idempotent(demo_world):
    context = DemoContext()
    context.people = demo_world.people
    context.organisations = demo_world.organisations

    demo.seed(context)
    first = sorted(Decision.objects.values_list("title", "status"))
    demo.seed(context)

    assert sorted(Decision.objects.values_list("title", "status")) == first
    statuses = [status for _title, status in first]
    assert statuses.count("adopted") == 1
    assert statuses.count("not_adopted") == 1
    assert statuses.count("open") == 2
    assert Decision.objects.filter(status="open", procedure="silence").exists()
    not_adopted = Decision.objects.get(status="not_adopted")
    assert [item["agency"] for item in not_adopted.outcome["objecting"]] == ["UNHCR"]
