"""What decisions offer the meetings app (registered in core.registry.meeting_hooks).

Dependencies point decisions → meetings: meetings never imports this module by name.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Network
from core.registry import Panel
from members.roles import has_capability

from . import selectors
from .models import Stance


def agenda_carryover(meeting):
    """Open decisions, and drafts prepared for this meeting, to carry into its agenda."""
    tzinfo = Network.objects.get_current().tzinfo
    items = []
    for decision in selectors.pending_for_meeting(meeting):
        if decision.status == "open":
            if decision.deadline:
                description = _("Open for positions until %(deadline)s (%(procedure)s).") % {
                    "deadline": timezone.localtime(decision.deadline, tzinfo).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "procedure": decision.get_procedure_display(),
                }
            else:
                description = _("Open for positions: to be taken at the meeting.")
            title = _("Decision %(reference)s: %(title)s") % {
                "reference": decision.reference,
                "title": decision.title,
            }
        else:
            description = _("Draft decision prepared for this meeting.")
            title = _("Draft decision: %(title)s") % {"title": decision.title}
        items.append(
            {"title": title, "description": description, "url": decision.get_absolute_url()}
        )
    return items


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
