import hashlib
import io
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import ActionPoint, AgendaItem, Attendance, Document, Meeting, Minutes
from meetings.services import documents as document_services
from meetings.services import minutes as minutes_services
from meetings.services import participation
from meetings.views import PAGE_SIZE
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    MeetingFactory,
    UserFactory,
    invite,
    member_agency,
    past_meeting,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="briefing.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Guests ---------------------------------------------------------------------------------


def test_a_guest_sees_only_the_meetings_they_are_invited_to(client, people):
    invited = scheduled_meeting(by=people.chair, title="Meeting with the LMRA")
    other = scheduled_meeting(by=people.chair, title="Internal coordination")
    participation.participant_add_guest(meeting=invited, person=people.guest, by=people.chair)
    client.force_login(people.guest)
    listing = client.get(reverse("meetings:list"))
    assert listing.status_code == 200
    assert b"Meeting with the LMRA" in listing.content
    assert b"Internal coordination" not in listing.content
    AgendaItemFactory(meeting=invited, title="Internal proposal", status="proposed")
    page = client.get(reverse("meetings:detail", args=[invited.pk]))
    assert page.status_code == 200
    assert "Internal proposal" not in page.content.decode()
    assert reverse("meetings:actions") not in listing.content.decode()
    for name in ("detail", "ics", "agenda_print", "minutes"):
        assert client.get(reverse(f"meetings:{name}", args=[other.pk])).status_code == 404
    # Invited, but not an organiser: the management pages are refused.
    assert client.get(reverse("meetings:edit", args=[invited.pk])).status_code == 403
    assert client.get(reverse("meetings:actions")).status_code == 403


def test_a_guest_downloads_documents_of_their_meeting_only(client, people):
    invited = scheduled_meeting(by=people.chair)
    other = scheduled_meeting(by=people.chair)
    participation.participant_add_guest(meeting=invited, person=people.guest, by=people.chair)
    mine = document_services.document_upload(
        meeting=invited, upload=_pdf(), title="Briefing", by=people.chair
    )
    theirs = document_services.document_upload(
        meeting=other, upload=_pdf(), title="Internal", by=people.chair
    )
    client.force_login(people.guest)
    response = client.get(reverse("meetings:document_download", args=[mine.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("meetings:document_download", args=[theirs.pk])).status_code == 404
    client.force_login(people.other_guest)
    assert client.get(reverse("meetings:document_download", args=[mine.pk])).status_code == 404


def test_anonymous_cannot_download(client, people):
    meeting = scheduled_meeting(by=people.chair)
    document = document_services.document_upload(
        meeting=meeting, upload=_pdf(), title="Briefing", by=people.chair
    )
    response = client.get(reverse("meetings:document_download", args=[document.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Uploads ---------------------------------------------------------------------------------


def test_an_upload_of_the_wrong_type_is_a_form_error(client, people):
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(people.chair)
    url = reverse("meetings:document_upload", args=[meeting.pk])
    response = client.post(
        url, {"title": "x", "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/x")}
    )
    assert response.status_code == 200
    assert "This type of file is not accepted" in response.content.decode()
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(url, {"title": "x", "file": fake})
    assert response.status_code == 200
    assert "does not match its type" in response.content.decode()
    assert not Document.objects.exists()


def test_an_upload_over_the_size_limit_is_a_form_error(client, people, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(people.chair)
    big = _pdf(content=PDF_BYTES + b"0" * 2048)
    response = client.post(
        reverse("meetings:document_upload", args=[meeting.pk]), {"title": "Big", "file": big}
    )
    assert response.status_code == 200
    assert "The file is too big" in response.content.decode()
    assert not Document.objects.exists()


def test_an_upload_within_limits_is_stored_through_the_storage_api(client, people, settings):
    meeting = scheduled_meeting(by=people.chair)
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(people.chair)
    response = client.post(
        reverse("meetings:document_upload", args=[meeting.pk]),
        {"title": "Concept note", "file": _pdf(), "agenda_item": item.pk},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.agenda_item == item
    assert document.size == len(PDF_BYTES)
    stored = document.stored_file
    assert stored.kind == "meetings.document"
    assert stored.owner == document
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert stored.file.storage.exists(stored.file.name)
    # Kept in private storage, never under MEDIA_ROOT.
    assert Path(stored.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not Path(stored.file.path).is_relative_to(settings.MEDIA_ROOT)


# --- Pages, htmx, PDFs -----------------------------------------------------------------------


def test_a_co_chair_schedules_from_the_meeting_page(client, people, mailoutbox):
    meeting = MeetingFactory()
    client.force_login(people.chair)
    response = client.post(reverse("meetings:schedule", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_the_create_form_rejects_an_end_before_the_start(client, people):
    client.force_login(people.chair)
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "Extraordinary meeting",
            "kind": "extraordinary",
            "starts_at": "2030-03-03T10:00",
            "ends_at": "2030-03-03T09:00",
            "place": "UN House",
        },
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_create_form_reads_times_in_the_network_time_zone(client, people):
    client.force_login(people.chair)
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "Extraordinary meeting",
            "kind": "extraordinary",
            "starts_at": "2030-03-03T10:00",
            "ends_at": "2030-03-03T12:00",
            "online_link": "https://meet.example.org/x",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at.astimezone(UTC).hour == 7  # 10:00 in Bahrain (UTC+3)


def test_moving_an_item_with_htmx_returns_the_agenda_fragment(client, people):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, title="First", position=1)
    AgendaItemFactory(meeting=meeting, title="Second", position=2)
    client.force_login(people.chair)
    response = client.post(
        reverse("meetings:agenda_move", args=[meeting.pk, first.pk]),
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.index("Second") < html.index("First")
    first.refresh_from_db()
    assert first.position == 2


def test_rsvp_with_htmx_returns_the_answer_box(client, people):
    meeting = scheduled_meeting(by=people.chair)
    client.force_login(people.focal_b)
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]),
        {"response": "not_attending"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Not attending" in response.content.decode()
    assert meeting.participants.get(person=people.focal_b).response == "not_attending"


def test_rsvp_after_the_start_is_refused_with_a_message(client, people):
    meeting = scheduled_meeting(by=people.chair)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(people.focal_b)
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]),
        {"response": "attending"},
        headers={"HX-Request": "true"},
    )
    assert "Answers are closed" in response.content.decode()
    assert meeting.participants.get(person=people.focal_b).response == ""


def test_the_agenda_pdf_lists_the_items(client, people):
    meeting = scheduled_meeting(by=people.chair, title="Regular meeting — May")
    AgendaItemFactory(meeting=meeting, title="Heat stress campaign", position=1)
    AgendaItemFactory(meeting=meeting, title="Declined idea", position=2, status="declined")
    client.force_login(people.focal_a)
    response = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Heat stress campaign" in text
    assert "Declined idea" not in text
    assert "Regular meeting" in text


def test_the_approved_minutes_pdf_and_page_are_read_only(client, people):
    meeting = past_meeting()
    Attendance.objects.create(
        meeting=meeting, name="Layla", organisation=people.agency_a, capacity="focal_point"
    )
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)
    minutes_services.minutes_approve(
        minutes=minutes, approved_on=timezone.localdate(), method="no_objection", by=people.chair
    )
    client.force_login(people.chair)
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "by no-objection" in page
    assert reverse("meetings:minutes_edit", args=[meeting.pk]) not in page
    assert client.get(reverse("meetings:minutes_edit", args=[meeting.pk])).status_code == 403
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Layla" in text
    assert "by no-objection" in text
    assert "DRAFT" not in text


def test_editing_minutes_through_the_form_sanitizes(client, people):
    meeting = past_meeting()
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)
    client.force_login(people.secretariat)
    response = client.post(
        reverse("meetings:minutes_edit", args=[meeting.pk]),
        {"body": "<h3>Notes</h3><script>document.cookie</script><p>Agreed.</p>"},
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.body == "<h3>Notes</h3><p>Agreed.</p>"


def test_draft_minutes_are_hidden_from_members_until_circulated(client, people):
    meeting = past_meeting()
    minutes = minutes_services.minutes_draft(meeting=meeting, by=people.secretariat)
    client.force_login(people.focal_a)
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "not available yet" in page
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).status_code == 403
    Minutes.objects.filter(pk=minutes.pk).update(status="circulated")
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "Attendance" in page


def test_attendance_page_shows_absent_agencies(client, people):
    meeting = past_meeting()
    participation.attendance_record(
        meeting=meeting, person=people.focal_a, capacity="focal_point", by=people.secretariat
    )
    client.force_login(people.secretariat)
    response = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    absent = response.context["absent_agencies"]
    assert people.agency_b in absent
    assert people.agency_a not in absent
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"name": "Dr. Amal", "organisation": people.stakeholder.pk, "capacity": "guest_speaker"},
    )
    assert response.status_code == 302
    assert meeting.attendance.count() == 2


def test_action_list_filters_mine_and_overdue(client, people):
    meeting = past_meeting(days_ago=30)
    yesterday = timezone.localdate() - timedelta(days=1)
    overdue = ActionPointFactory(
        meeting=meeting,
        owner_organisation=people.agency_a,
        due_date=yesterday,
        description="Late one",
    )
    ActionPointFactory(meeting=meeting, owner_organisation=people.agency_b, description="Other")
    client.force_login(people.focal_a)
    page = client.get(reverse("meetings:actions"), {"mine": "on"}).content.decode()
    assert "Late one" in page and "Other" not in page
    assert "table-danger" in page
    page = client.get(reverse("meetings:actions"), {"status": "overdue"}).content.decode()
    assert "Late one" in page and "Other" not in page
    assert overdue.is_overdue


# --- Query bounds ----------------------------------------------------------------------------


def _many_meetings(people, count=40):
    meetings = []
    for index in range(count):
        starts = timezone.now() + timedelta(days=index + 1)
        meeting = MeetingFactory(
            starts_at=starts, ends_at=starts + timedelta(hours=1), status="scheduled"
        )
        AgendaItemFactory(meeting=meeting, position=1)
        meetings.append(meeting)
    return meetings


def test_meeting_list_query_count_is_bounded(client, people, django_assert_num_queries):
    _many_meetings(people)
    client.force_login(people.focal_a)
    client.get(reverse("meetings:list"))  # process-wide caches warm up once
    # User, roles, the page with its counts (the session and the network come from the cache).
    with django_assert_num_queries(3):
        response = client.get(reverse("meetings:list"))
    assert len(response.context["meetings"]) == 25
    after = {"after": response.context["page_obj"].next_cursor}
    with django_assert_num_queries(3):
        client.get(reverse("meetings:list"), after)


def test_past_meetings_page_by_cursor_through_every_meeting_once(client, people):
    from tests.keyset import walk_pages

    held = []
    for index in range(30):
        starts = timezone.now() - timedelta(days=index + 1)
        held.append(
            MeetingFactory(starts_at=starts, ends_at=starts + timedelta(hours=1), status="held")
        )
    client.force_login(people.focal_a)

    pages = walk_pages(client, reverse("meetings:list"), {"when": "past"}, rows="meetings")

    assert [len(page) for page in pages] == [PAGE_SIZE, 30 - PAGE_SIZE]
    assert [m.pk for page in pages for m in page] == [m.pk for m in held]


def test_meeting_page_query_count_is_bounded(client, people, django_assert_num_queries):
    meeting = scheduled_meeting(by=people.chair)
    for index in range(30):
        agency = member_agency()
        person = UserFactory(organisation=agency)
        invite(meeting, person, agency, response="attending" if index % 2 else "")
        item = AgendaItemFactory(meeting=meeting, position=index + 10)
        document_services.document_upload(
            meeting=meeting, upload=_pdf(), title=f"Doc {index}", agenda_item=item, by=people.chair
        )
        ActionPointFactory(meeting=meeting, owner_organisation=agency)
        AgendaItemFactory(meeting=meeting, position=index + 100, status="proposed")
    client.force_login(people.chair)
    client.get(reverse("meetings:detail", args=[meeting.pk]))  # caches warm up once
    with django_assert_num_queries(16):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert len(response.context["rsvp"]["rows"]) >= 30
    assert AgendaItem.objects.filter(meeting=meeting).count() == 60


def test_action_list_query_count_is_bounded(client, people, django_assert_num_queries):
    meeting = past_meeting()
    for _index in range(60):
        ActionPointFactory(meeting=meeting, owner_organisation=member_agency())
    client.force_login(people.focal_a)
    client.get(reverse("meetings:actions"))  # process-wide caches warm up once
    with django_assert_num_queries(4):
        response = client.get(reverse("meetings:actions"))
    assert len(response.context["actions"]) == 25


def test_action_list_pages_read_the_order_index_instead_of_sorting(people):
    """The list's order (open first, soonest due) is an index: no sort of every action point."""
    from django.db import connection

    from meetings import selectors

    meeting = past_meeting()
    today = timezone.localdate()
    ActionPoint.objects.bulk_create(
        ActionPoint(
            meeting=meeting,
            description=f"Action {index}",
            owner_organisation=people.agency_a,
            status="done" if index % 3 else "open",
            due_date=today + timedelta(days=index % 90),
        )
        for index in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_actionpoint")
    plan = selectors.action_point_list(people.focal_a)[: PAGE_SIZE + 1].explain()
    assert "actionpoint_list_order" in plan
    assert "Sort" not in plan


def test_action_points_page_by_cursor_open_and_soonest_due_first(client, people):
    from tests.keyset import walk_pages

    meeting = past_meeting()
    today = timezone.localdate()
    for index in range(40):
        ActionPointFactory(
            meeting=meeting,
            owner_organisation=people.agency_a,
            status="done" if index % 4 == 0 else "open",
            due_date=None if index % 5 == 0 else today + timedelta(days=index % 7),
        )
    client.force_login(people.focal_a)

    pages = walk_pages(client, reverse("meetings:actions"), rows="actions")

    listed = [action.pk for page in pages for action in page]
    expected = sorted(
        ActionPoint.objects.all(),
        key=lambda a: (a.status != "open", a.due_date is None, a.due_date or today, a.pk),
    )
    assert listed == [action.pk for action in expected]


def test_dashboard_panel_shows_next_meeting_answer_and_my_actions(
    client, people, django_assert_max_num_queries
):
    meeting = scheduled_meeting(by=people.chair, title="Next regular meeting")
    participation.rsvp_set(
        meeting=meeting, person=people.focal_a, response="attending", by=people.focal_a
    )
    for _index in range(20):
        ActionPointFactory(meeting=past_meeting(), owner_organisation=people.agency_a)
    client.force_login(people.focal_a)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("core:dashboard")).content.decode()
    assert "Next regular meeting" in page
    assert "Attending" in page
    assert "20 open action points" in page
