"""The agenda and minutes PDFs come from the portal's PDF service, in the reader's language."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import Attendance
from meetings.pdf import agenda_pdf, minutes_pdf
from meetings.services import minutes as minutes_services
from tests.factories import AgendaItemFactory, past_meeting, scheduled_meeting

pytestmark = pytest.mark.django_db


def _pages(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def named_network(network):
    network.name = "UN Network on Migration in Bahrain"
    network.save()
    return network


def test_the_agenda_pdf_has_the_running_header_and_page_numbers(named_network, people):
    meeting = scheduled_meeting(by=people.chair, title="Regular meeting — June")
    AgendaItemFactory(meeting=meeting, title="Heat stress campaign", position=1)
    with timezone.override("Asia/Bahrain"):
        pages = _pages(agenda_pdf(meeting, language="en"))
    assert "UN NETWORK ON MIGRATION IN BAHRAIN" in pages[0].upper()
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "Heat stress campaign" in pages[0]
    assert "Agenda: Regular meeting" in pages[0]
    assert "DRAFT" not in "".join(pages)


def test_the_agenda_pdf_prints_right_to_left_in_arabic(named_network, people):
    meeting = scheduled_meeting(by=people.chair, title="الاجتماع الدوري UNNM-BH/2026/004")
    AgendaItemFactory(meeting=meeting, title="حملة الإجهاد الحراري", position=1)
    data = agenda_pdf(meeting, language="ar")
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "جدول الأعمال" in text  # "Agenda", translated
    assert "حملة الإجهاد الحراري" in text
    assert "UNNM-BH/2026/004" in text
    assert reader.trailer["/Root"]["/Lang"] == "ar"


def test_the_agenda_pdf_follows_the_readers_language(client, named_network, people):
    meeting = scheduled_meeting(by=people.chair)
    AgendaItemFactory(meeting=meeting, title="Heat stress campaign", position=1)
    people.focal_a.preferred_language = "ar"
    people.focal_a.save()
    client.force_login(people.focal_a)
    response = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    text = "".join(_pages(response.content))
    assert "جدول الأعمال" in text
    assert "Heat stress campaign" in text


def test_draft_minutes_are_marked_draft_on_every_page(named_network, people):
    meeting = past_meeting(title="Regular meeting — May")
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)
    minutes.body += "<p>" + "Discussion of the referral pathway. " * 400 + "</p>"
    minutes.save()
    pages = _pages(minutes_pdf(minutes, language="en"))
    assert len(pages) > 1
    assert all("DRAFT" in page and "BAHRAIN" in page.upper() for page in pages)
    assert "Minutes: Regular meeting" in pages[0]


def test_approved_minutes_carry_no_draft_mark(named_network, people):
    meeting = past_meeting()
    Attendance.objects.create(
        meeting=meeting, name="Layla", organisation=people.agency_a, capacity="focal_point"
    )
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)
    minutes_services.minutes_approve(
        minutes=minutes, approved_on=timezone.localdate(), method="no_objection", by=people.chair
    )
    minutes.refresh_from_db()
    text = "".join(_pages(minutes_pdf(minutes, language="en")))
    assert "Layla" in text
    assert "BAHRAIN" in text.upper()
    assert "DRAFT" not in text


def test_a_remote_image_in_the_minutes_is_not_fetched(named_network, people, caplog):
    meeting = past_meeting()
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)
    minutes.body = '<p>Notes</p><img src="http://127.0.0.1:9/probe.png" alt="probe">'
    minutes.save()
    data = minutes_pdf(minutes, language="en")
    assert "Notes" in "".join(_pages(data))
    assert "PDF fetch refused: http://127.0.0.1:9/probe.png" in caplog.text


def test_an_arabic_agenda_pdf_is_right_to_left_and_words_carried_items_in_arabic(
    named_network, people
):
    from django.utils import translation

    from meetings.services import agenda
    from tests.factories import ActionPointFactory, MeetingFactory
    from tests.pdf_checks import assert_arabic_pdf

    ActionPointFactory(
        meeting=past_meeting(), owner_organisation=people.agency_a, description="مسح سوق العمل"
    )
    meeting = MeetingFactory(title="الاجتماع الدوري", status="scheduled")
    with translation.override("en"):  # carried over by an English-speaking co-chair
        agenda.agenda_carry_over(meeting=meeting, by=people.chair)

    assert_arabic_pdf(
        agenda_pdf(meeting, language="ar"),
        heading="جدول الأعمال",
        phrases=["الاجتماع الدوري", "نقطة عمل: مسح سوق العمل"],
    )


def test_arabic_minutes_pdf_is_right_to_left(named_network, people):
    from tests.pdf_checks import assert_arabic_pdf

    meeting = past_meeting(title="اجتماع التنسيق")
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)
    minutes.body += "<p>ناقشت الوكالات مسار الإحالة الوطني.</p>"
    minutes.save()

    text = assert_arabic_pdf(
        minutes_pdf(minutes, language="ar"),
        heading="محضر الاجتماع",
        phrases=["اجتماع التنسيق", "ناقشت الوكالات مسار الإحالة الوطني"],
    )
    assert "DRAFT" not in text
    # The date and the time are separated by an Arabic comma, not a Latin one.
    assert "،" in text
