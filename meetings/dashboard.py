"""The meetings card of the dashboard: my next meeting, my answer, my open action points."""

from django.db.models import Case, IntegerField, Value, When

from core.db import with_total
from core.registry import Panel
from members.roles import Role, has_capability, has_role

from .models import ActionPoint
from .permissions import VIEW_ALL
from .selectors import next_meeting_for

MAX_ACTIONS = 5


def panels(user):
    member = has_capability(user, VIEW_ALL)
    if not member and not has_role(user, Role.GUEST):
        return []
    meeting, participant = next_meeting_for(user)
    context = {"meeting": meeting, "participant": participant, "show_actions": member}
    if member:
        mine = ActionPoint.objects.visible_to(user).owned_by(user).open()
        actions = list(
            with_total(mine)
            .annotate(
                undated=Case(
                    When(due_date__isnull=True, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("undated", "due_date", "pk")[:MAX_ACTIONS]
        )
        context["action_count"] = actions[0].total if actions else 0
        context["actions"] = actions
    return [Panel("meetings/_dashboard_panel.html", context, order=20)]
