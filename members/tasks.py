from celery import shared_task

from . import services


@shared_task
def expire_invitations_task():
    """Mark invitations past their date as expired; running it twice changes nothing more."""
    return services.invitations_expire()
