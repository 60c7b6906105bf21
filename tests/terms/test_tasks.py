"""The yearly review reminder goes to the co-chairs once, until a review is recorded."""

from datetime import date

from django.urls import reverse

from terms import services
from terms.models import ReviewReminder
from terms.tasks import send_terms_review_reminder_task


def _run(day, capture):
    with capture(execute=True):
        return send_terms_review_reminder_task(day.isoformat())


def test_the_yearly_reminder_is_sent_once(
    people, first_version, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # Version 1 took effect on 1 September 2020: nothing before its anniversary.
    assert _run(date(2021, 8, 31), capture) == 0
    assert mailoutbox == []

    assert _run(date(2021, 9, 1), capture) == 1
    assert _run(date(2021, 9, 1), capture) == 0
    assert _run(date(2021, 9, 2), capture) == 0

    assert [m.to for m in mailoutbox] == [[people.chair.email]]
    assert "yearly review of the Terms of Reference" in mailoutbox[0].subject
    assert "1 September 2021" in mailoutbox[0].body
    assert reverse("terms:review") in mailoutbox[0].body
    assert ReviewReminder.objects.get().due_on == date(2021, 9, 1)


def test_the_email_task_delivered_twice_sends_one_email(
    people, first_version, mailoutbox, django_capture_on_commit_callbacks
):
    # The beat task enqueues the email after commit; its event key makes a second copy harmless.
    with django_capture_on_commit_callbacks() as callbacks:
        send_terms_review_reminder_task("2021-09-01")
    for callback in callbacks:
        callback()
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_no_reminder_once_the_review_is_recorded(
    people, first_version, mailoutbox, django_capture_on_commit_callbacks
):
    services.review_record(outcome="no_change", by=people.chair)
    due = sorted(first_version.reviews.values_list("due_on", flat=True))[-1]

    assert _run(due, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_the_reminder_is_in_each_co_chairs_language(
    people, first_version, mailoutbox, django_capture_on_commit_callbacks
):
    people.chair.preferred_language = "ar"
    people.chair.save()

    _run(date(2021, 9, 1), django_capture_on_commit_callbacks)

    assert "المراجعة السنوية" in mailoutbox[0].subject
