"""The library card of the dashboard: products open for comment, and what awaits the co-chairs."""

from django.utils import timezone

from core.registry import Panel

from . import permissions
from .models import KnowledgeProduct


def panels(user):
    if not permissions.can_view_products(user):
        return []
    visible = KnowledgeProduct.objects.visible_to(user).select_related("lead_agency")
    for_comment = list(
        visible.filter(status="in_review", comment_deadline__gte=timezone.localdate()).order_by(
            "comment_deadline", "pk"
        )[:5]
    )
    drafts = []
    if permissions.can_manage_products(user):
        drafts = list(visible.filter(status="draft").order_by("-updated_at")[:5])
    if not (for_comment or drafts):
        return []
    return [
        Panel(
            template_name="library/_dashboard_panel.html",
            context={"for_comment": for_comment, "drafts": drafts},
            order=55,
        )
    ]
