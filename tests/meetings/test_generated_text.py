"""Agenda items the portal writes itself read in the reader's language, whoever carried them."""

import pytest
from django.utils import translation

from core import registry
from meetings.models import AgendaItem
from meetings.services import agenda
from tests.factories import ActionPointFactory, MeetingFactory, open_decision, past_meeting

pytestmark = pytest.mark.django_db


def _carry_over_in_english(people):
    earlier = past_meeting(title="March coordination meeting")
    ActionPointFactory(
        meeting=earlier,
        owner_organisation=people.agency_a,
        description="Share the referral pathway map",
    )
    decision = open_decision(by=people.chair, title="Joint statement on returns")
    meeting = MeetingFactory(title="May meeting", status="scheduled")
    people.chair.preferred_language = "en"
    people.chair.save(update_fields=["preferred_language"])
    with translation.override("en"):
        agenda.agenda_carry_over(meeting=meeting, by=people.chair)
    return meeting, decision


def test_a_carried_over_item_by_an_english_co_chair_reads_in_arabic_for_an_arabic_reader(
    client, people
):
    meeting, decision = _carry_over_in_english(people)
    people.focal_a.preferred_language = "ar"
    people.focal_a.save(update_fields=["preferred_language"])
    client.force_login(people.focal_a)

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert 'dir="rtl"' in html
    assert "نقطة عمل: Share the referral pathway map" in html
    assert f"القرار {decision.reference}: Joint statement on returns" in html
    assert "مفتوح لتسجيل المواقف حتى" in html
    assert "Action point:" not in html
    assert "Open for positions" not in html


def test_the_same_item_reads_in_english_for_an_english_reader(client, people):
    meeting, decision = _carry_over_in_english(people)
    people.focal_b.preferred_language = "en"
    people.focal_b.save(update_fields=["preferred_language"])
    client.force_login(people.focal_b)

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert "Action point: Share the referral pathway map" in html
    assert f"Decision {decision.reference}: Joint statement on returns" in html
    assert "نقطة عمل" not in html


def test_a_carried_over_item_is_stored_as_a_kind_and_parameters(people):
    meeting, decision = _carry_over_in_english(people)

    action_item = meeting.agenda_items.get(source=AgendaItem.Source.ACTION_POINT)
    decision_item = meeting.agenda_items.get(source=AgendaItem.Source.DECISION)

    assert action_item.generated_kind == "meetings.action_point"
    assert action_item.generated_params["text"] == "Share the referral pathway map"
    assert action_item.generated_params["owner"] == "AGA"
    assert decision_item.generated_kind == "decisions.open"
    assert decision_item.generated_params["reference"] == decision.reference
    assert decision_item.generated_params["procedure"] == "written"
    # The stored title is the default language's wording (search, admin, an app removed).
    assert action_item.title == "Action point: Share the referral pathway map"
    with translation.override("ar"):
        assert str(action_item) == "نقطة عمل: Share the referral pathway map"
        assert decision_item.display_description.startswith("مفتوح لتسجيل المواقف حتى")


def test_an_item_a_person_wrote_is_shown_as_written(people):
    meeting = MeetingFactory()
    item = agenda.agenda_item_add(meeting=meeting, by=people.chair, title="Action point: ours")
    with translation.override("ar"):
        assert item.display_title == "Action point: ours"


def test_an_unknown_kind_falls_back_to_the_stored_text():
    assert registry.render_generated("gone.app.title", {"x": 1}, "Stored") == "Stored"
    assert registry.render_generated("meetings.action_point.title", {}, "Stored") == "Stored"


def test_the_agenda_email_goes_to_each_recipient_in_their_language(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, _decision = _carry_over_in_english(people)
    people.focal_a.preferred_language = "ar"
    people.focal_a.save(update_fields=["preferred_language"])
    people.focal_b.preferred_language = "en"
    people.focal_b.save(update_fields=["preferred_language"])
    from meetings.notifications import send_agenda

    items = list(meeting.agenda_items.order_by("position"))
    with django_capture_on_commit_callbacks(execute=True):
        send_agenda(meeting, [people.focal_a, people.focal_b], items)

    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert "نقطة عمل: Share the referral pathway map" in bodies[people.focal_a.email]
    assert "Action point: Share the referral pathway map" in bodies[people.focal_b.email]


def test_items_carried_over_before_are_converted_where_recognisable(people):
    """The data migrations turn items still titled as the portal wrote them into generated ones."""
    import importlib

    from django.apps import apps

    meeting, _decision = _carry_over_in_english(people)
    items = meeting.agenda_items.order_by("position")
    items.update(generated_kind="", generated_params={})
    retitled = meeting.agenda_items.get(source=AgendaItem.Source.DECISION)
    AgendaItem.objects.filter(pk=retitled.pk).update(title="Returns statement (our wording)")

    for module in (
        "meetings.migrations.0009_agenda_items_generated_from_titles",
        "decisions.migrations.0006_agenda_items_generated_from_titles",
    ):
        importlib.import_module(module).forwards(apps, None)

    action_item = meeting.agenda_items.get(source=AgendaItem.Source.ACTION_POINT)
    retitled.refresh_from_db()
    assert action_item.generated_kind == "meetings.action_point"
    with translation.override("ar"):
        assert action_item.display_title == "نقطة عمل: Share the referral pathway map"
        assert retitled.display_title == "Returns statement (our wording)"
    assert retitled.generated_kind == ""


def test_the_circulated_agenda_pdf_is_in_each_recipients_language(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    import io

    from pypdf import PdfReader

    from tests.factories import scheduled_meeting

    people.focal_a.preferred_language = "ar"
    people.focal_a.save(update_fields=["preferred_language"])
    people.focal_b.preferred_language = "en"
    people.focal_b.save(update_fields=["preferred_language"])
    meeting = scheduled_meeting(by=people.chair)
    agenda.agenda_item_add(meeting=meeting, by=people.chair, title="Workplan progress")
    mailoutbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_circulate(meeting=meeting, by=people.chair)

    def pdf_language(address):
        message = next(m for m in mailoutbox if m.to == [address])
        _name, content, _mimetype = message.attachments[0]
        return PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"]

    assert pdf_language(people.focal_a.email) == "ar"
    assert pdf_language(people.focal_b.email) == "en"


def test_a_regular_meeting_the_schedule_titled_reads_in_each_readers_language(client, people):
    from meetings.services import meetings as meeting_services
    from tests.meetings.test_dead_ends import SCHEDULE, _this_year

    year = _this_year() + 1
    with translation.override("en"):  # generated by an English-speaking co-chair
        march = meeting_services.meeting_generate_year(
            year=year, first_month=3, by=people.chair, **SCHEDULE
        )[0]

    assert march.title == f"Regular meeting — March {year}"
    with translation.override("ar"):
        assert march.display_title == f"اجتماع عادي — مارس {year}"
    people.chair.preferred_language = "ar"
    people.chair.save(update_fields=["preferred_language"])
    client.force_login(people.chair)
    assert f"اجتماع عادي — مارس {year}" in client.get(march.get_absolute_url()).text

    # Retitled by a person: shown as written, in every language.
    meeting_services.meeting_update(meeting=march, by=people.chair, title="Spring meeting")
    march.refresh_from_db()
    with translation.override("ar"):
        assert march.display_title == "Spring meeting"
