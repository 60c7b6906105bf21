"""The library card of the dashboard: products open for comment, and what awaits the co-chairs."""

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from core.db import first_rows_per_group
from core.registry import Panel

from . import permissions
from .models import KnowledgeProduct

LIMIT = 5
FOR_COMMENT, DRAFTS = 0, 1


def panels(user):
    if not permissions.can_view_products(user):
        return []
    for_comment = Q(status="in_review", comment_deadline__gte=timezone.localdate())
    wanted = for_comment
    if permissions.can_manage_products(user):
        wanted |= Q(status="draft")
    # Both lists in one query: open for comment by closest deadline, drafts by latest change.
    groups = first_rows_per_group(
        KnowledgeProduct.objects.visible_to(user).filter(wanted).select_related("lead_agency"),
        group=Case(
            When(status="draft", then=Value(DRAFTS)),
            default=Value(FOR_COMMENT),
            output_field=IntegerField(),
        ),
        order_by=[
            # Drafts by their latest change (NULL, so a tie, for the others), then by deadline.
            Case(When(status="draft", then=F("updated_at"))).desc(),
            F("comment_deadline").asc(),
            F("pk").asc(),
        ],
        limit=LIMIT,
    )
    for_comment = groups.get(FOR_COMMENT, ([], 0))[0]
    drafts = groups.get(DRAFTS, ([], 0))[0]
    if not (for_comment or drafts):
        return []
    return [
        Panel(
            template_name="library/_dashboard_panel.html",
            context={"for_comment": for_comment, "drafts": drafts},
            order=55,
        )
    ]
