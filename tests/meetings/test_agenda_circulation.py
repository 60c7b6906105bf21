"""Circulating the agenda: the PDF is rendered by a job after commit, never under the row lock."""

import pytest
import weasyprint
from django.db import OperationalError, connections

from core.models import Job, StoredFile
from meetings.services import agenda
from tests.factories import scheduled_meeting


def _meeting_row_is_free(pk):
    """Whether another connection could lock the meeting row right now (NOWAIT: no waiting)."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM meetings_meeting WHERE id = %s FOR UPDATE NOWAIT", [pk])
        return True
    except OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_no_pdf_is_rendered_while_the_meeting_row_is_locked(people, mailoutbox, monkeypatch):
    meeting = scheduled_meeting(by=people.chair)
    agenda.agenda_item_add(meeting=meeting, by=people.chair, title="Workplan progress")
    mailoutbox.clear()
    renders = []
    write_pdf = weasyprint.HTML.write_pdf

    def observed_write_pdf(self, *args, **kwargs):
        # Watch WeasyPrint (not our code): is the meeting row free while a PDF is rendered?
        renders.append(_meeting_row_is_free(meeting.pk))
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", observed_write_pdf)

    agenda.agenda_circulate(meeting=meeting, by=people.chair)

    assert renders == [True], "the agenda PDF was rendered while the meeting row was locked"
    job = Job.objects.get(kind="meetings.agenda_circulation")
    assert job.status == Job.Status.SUCCEEDED
    assert job.result.kind == "meetings.agenda"
    assert len(mailoutbox) == 4
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert (name, mimetype) == ("agenda.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


@pytest.mark.django_db
def test_circulating_enqueues_the_job_only_when_the_transaction_commits(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    agenda.agenda_item_add(meeting=meeting, by=people.chair, title="Workplan progress")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        agenda.agenda_circulate(meeting=meeting, by=people.chair)
    job = Job.objects.get(kind="meetings.agenda_circulation")
    assert job.status == Job.Status.QUEUED
    assert job.params["items"] == list(
        meeting.agenda_items.filter(status="accepted").values_list("pk", flat=True)
    )
    assert not StoredFile.objects.filter(kind="meetings.agenda").exists()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert len(mailoutbox) == 4
    # The job ran once: a second delivery sends nothing more.
    from core.tasks import run_job_task

    with django_capture_on_commit_callbacks(execute=True):
        run_job_task(job.pk)
    assert len(mailoutbox) == 4
