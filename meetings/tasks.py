"""Periodic tasks of the meetings module (CELERY_BEAT_SCHEDULE); safe to run twice."""

from celery import shared_task

from .services import reminders


@shared_task
def send_meeting_reminders_task():
    return reminders.send_meeting_reminders()


@shared_task
def send_rsvp_chasers_task():
    return reminders.send_rsvp_chasers()


@shared_task
def send_overdue_action_digest_task():
    return reminders.send_overdue_action_digest()
