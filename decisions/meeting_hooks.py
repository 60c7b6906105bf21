"""What decisions offer the meetings app (registered in core.registry.meeting_hooks).

Dependencies point decisions → meetings: meetings never imports this module by name.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.registry import Panel
from members.roles import has_capability

from . import generated, selectors
from .models import Stance


def agenda_carryover(meeting):
    """Open decisions, and drafts prepared for this meeting, to carry into its agenda.

    Each entry is a kind and its parameters (decisions.generated), worded when shown in the
    reader's language, with the decision's address.
    """
    return [
        {
            "kind": generated.OPEN if decision.status == "open" else generated.DRAFT,
            "params": generated.carryover_params(decision),
            "url": decision.get_absolute_url(),
        }
        for decision in selectors.pending_for_meeting(meeting)
    ]


def minutes_section(meeting):
    """The decisions taken at this meeting with each agency's position, as escaped HTML."""
    rows = []
    for decision in selectors.taken_at_meeting(meeting):
        positions = {p.organisation_id: p for p in decision.positions.all()}
        rows.append(
            {
                "decision": decision,
                "positions": [
                    (member.organisation, positions.get(member.organisation_id))
                    for member in decision.electorate.all()
                ],
            }
        )
    # Positions stated at this meeting on decisions still open (or taken elsewhere).
    stated = selectors.stated_at_meeting(meeting).exclude(
        decision__in=[r["decision"] for r in rows]
    )
    stated = list(stated)
    # No decisions, no section: the minutes stay free of an empty heading.
    html = (
        render_to_string("decisions/_minutes_section.html", {"rows": rows, "stated": stated})
        if rows or stated
        else ""
    )
    title = _("Decisions taken") if rows else _("Positions stated on decisions")
    return {"title": title, "html": html}


def meeting_day(meeting, user, **extra):
    """The meeting day's table of positions: every agency of each open decision on the agenda.

    Co-chairs record the positions stated by the agencies present; others see the table.
    """
    if not has_capability(user, "decisions.view_decisions"):
        return None
    return Panel(
        template_name="decisions/_meeting_day_positions.html",
        context={
            "meeting": meeting,
            "can_record": has_capability(user, "decisions.record_position_on_behalf"),
            "stances": Stance.choices,
            **selectors.meeting_day_positions(meeting),
            **extra,
        },
        order=20,
    )
