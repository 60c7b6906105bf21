"""Beat tasks of the referrals module: they take no arguments (no personal data travels)."""

from celery import shared_task

from . import services


@shared_task
def escalate_overdue_referrals_task():
    """Escalate referrals not acknowledged in time to the receiving agency's focal point."""
    return services.referrals_escalate_overdue()


@shared_task
def erase_expired_referrals_task():
    """Erase identifying data of referrals past retention (idempotent)."""
    return services.referrals_erase_expired()
