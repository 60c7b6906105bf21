"""Minutes: drafted from the meeting record, edited, circulated for comment, approved."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.registry import meeting_hooks

from .. import notifications, rules
from ..models import Meeting, Minutes, MinutesComment
from ..sanitize import sanitize_html
from ..selectors import meeting_record


def hook_sections(meeting):
    """Sections other apps add to the minutes (decisions taken, with positions)."""
    sections = []
    for hook in meeting_hooks.entries():
        if hook.minutes_section is None:
            continue
        section = hook.minutes_section(meeting)
        if section and section.get("html"):
            sections.append({"title": section.get("title", ""), "html": section["html"]})
    return sections


def minutes_draft(*, meeting, by):
    """Start the minutes from the record: attendance by agency, agenda, decisions, actions."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != Meeting.Status.HELD:
            raise DomainError(_("Minutes are drafted once the meeting is marked as held."))
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is not None and minutes.status != Minutes.Status.DRAFT:
            raise DomainError(_("These minutes have been circulated; edit them instead."))
        body = render_to_string(
            "meetings/minutes/_draft_body.html",
            {**meeting_record(meeting), "sections": hook_sections(meeting)},
        )
        if minutes is None:
            minutes = Minutes(meeting=meeting)
        minutes.body = sanitize_html(body)
        minutes.updated_by = by
        minutes.save()
        audit.record("meetings.minutes.drafted", actor=by, obj=minutes)
    return minutes


def minutes_update(*, minutes, body, by):
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.is_approved:
            raise DomainError(_("Approved minutes are read-only."))
        minutes.body = sanitize_html(body)
        minutes.updated_by = by
        minutes.save(update_fields=["body", "updated_by", "updated_at"])
        audit.record("meetings.minutes.changed", actor=by, obj=minutes)
    return minutes


def minutes_circulate(*, minutes, comment_deadline, by):
    """Send the draft to the participants for comment until a deadline."""
    from .meetings import people_to_notify

    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if minutes.is_approved:
            raise DomainError(_("Approved minutes cannot be circulated again."))
        if comment_deadline < timezone.localdate():
            raise DomainError(_("The deadline for comments cannot be in the past."))
        if not minutes.body.strip():
            raise DomainError(_("The minutes are empty."))
        minutes.status = Minutes.Status.CIRCULATED
        minutes.comment_deadline = comment_deadline
        minutes.circulated_at = timezone.now()
        minutes.save(update_fields=["status", "comment_deadline", "circulated_at", "updated_at"])
        audit.record(
            "meetings.minutes.circulated", actor=by, obj=minutes, deadline=comment_deadline
        )
        notifications.send_minutes_for_comment(minutes, people_to_notify(minutes.meeting))
    return minutes


def minutes_comment_add(*, minutes, body, by):
    from ..permissions import can_comment_on_minutes

    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a comment."))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if not can_comment_on_minutes(by, minutes):
            raise DomainError(_("Comments on these minutes are closed."))
        comment = MinutesComment.objects.create(minutes=minutes, author=by, body=body)
        audit.record("meetings.minutes.commented", actor=by, obj=minutes)
    return comment


def commenters(minutes):
    """The people who have commented on the minutes, in the order of their first comment."""
    seen, people = set(), []
    for comment in minutes.comments.select_related("author").order_by("created_at", "pk"):
        if comment.author_id not in seen:
            seen.add(comment.author_id)
            people.append(comment.author)
    return people


def comment_period_open(minutes):
    return rules.comment_period_open(
        status=minutes.status,
        comment_deadline=minutes.comment_deadline,
        today=timezone.localdate(),
    )


def minutes_approve(
    *, minutes, approved_on, method, by, approved_at_meeting=None, before_comments_close=False
):
    """Record the approval (date; at a meeting or by no-objection); the minutes become final.

    While the comment period runs, approval cuts it short: it needs `before_comments_close`,
    the organiser's confirmation after being told who has commented so far.
    """
    if method not in Minutes.ApprovalMethod.values:
        raise DomainError(_("Choose how the minutes were approved."))
    if method == Minutes.ApprovalMethod.MEETING and approved_at_meeting is None:
        raise DomainError(_("Choose the meeting at which the minutes were approved."))
    if approved_on > timezone.localdate():
        raise DomainError(_("The approval date cannot be in the future."))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if minutes.is_approved:
            raise DomainError(_("These minutes are already approved."))
        early = comment_period_open(minutes)
        if early and not before_comments_close:
            names = ", ".join(str(person) for person in commenters(minutes))
            raise DomainError(
                _(
                    "Comments on these minutes are open until %(date)s. Commented so far: "
                    "%(names)s. Confirm that you approve them before the comment period ends."
                )
                % {
                    "date": date_format(minutes.comment_deadline, "j F Y"),
                    "names": names or _("nobody"),
                }
            )
        if approved_on < timezone.localtime(minutes.meeting.starts_at).date():
            raise DomainError(_("Minutes cannot be approved before the meeting took place."))
        if method == Minutes.ApprovalMethod.MEETING:
            if approved_at_meeting.pk == minutes.meeting_id:
                raise DomainError(_("Minutes are approved at a later meeting, not at their own."))
            if timezone.localtime(approved_at_meeting.starts_at).date() > approved_on:
                raise DomainError(
                    _("The meeting that approved the minutes must have taken place by that date.")
                )
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_on = approved_on
        minutes.approval_method = method
        minutes.approved_at_meeting = (
            approved_at_meeting if method == Minutes.ApprovalMethod.MEETING else None
        )
        minutes.approved_by = by
        minutes.save()
        audit.record(
            "meetings.minutes.approved",
            actor=by,
            obj=minutes,
            method=method,
            before_comments_closed=early,
        )
    return minutes
