"""Emails of the library, built now and delivered by Celery after the commit."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import absolute_url, email_subject, enqueue_email_message
from core.models import Network
from members.roles import Role
from members.selectors import people_holding_roles

# Who is asked for comments: those who speak for the member agencies, and the secretariat.
COMMENTERS = (Role.FOCAL_POINT, Role.ALTERNATE, Role.SECRETARIAT)


def send_for_comment(product_id):
    """Ask the member agencies for comments on a product put in review (once per review)."""
    from .models import KnowledgeProduct

    product = KnowledgeProduct.objects.filter(pk=product_id, status="in_review").first()
    if product is None:
        return
    network = Network.objects.get_current()
    url = absolute_url(product.get_absolute_url())
    event = f"library.for_comment:{product.pk}:{product.review_started_at:%Y%m%d%H%M%S}"
    for person in people_holding_roles(COMMENTERS):
        if not person.email:
            continue
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            body = render_to_string(
                "library/email/for_comment.txt",
                {"person": person, "network": network, "product": product, "url": url},
            )
            message = EmailMultiAlternatives(
                subject=email_subject(_("For comment: %(title)s") % {"title": product.title}),
                body=body,
                to=[person.email],
            )
        enqueue_email_message(message, event=event)
