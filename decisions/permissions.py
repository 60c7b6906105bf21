"""Who may do what to a decision: one answer for views, templates and services."""

from members.roles import has_capability, represented_organisation_ids

from . import selectors


def can_view_decisions(user):
    return has_capability(user, "decisions.view_decisions")


def can_draft_decision(user):
    return has_capability(user, "decisions.draft_decisions")


def can_manage_decision(user):
    return has_capability(user, "decisions.manage_decisions")


def can_edit_decision(user, decision, *, has_positions):
    """Drafters edit a draft, or an open decision whose text no position has locked yet."""
    if not (can_draft_decision(user) or can_manage_decision(user)):
        return False
    return decision.status == "draft" or (decision.status == "open" and not has_positions)


def can_record_position(user, organisation_id):
    """Only the agency's active focal point or alternate speaks for it."""
    return has_capability(user, "decisions.record_positions") and (
        organisation_id in represented_organisation_ids(user)
    )


def can_record_position_on_behalf(user, decision, meeting=None):
    """A co-chair records spoken positions only at a meeting.

    Either the decision is taken at a meeting, or `meeting` (where the position is stated) has
    the decision on its agenda.
    """
    if not has_capability(user, "decisions.record_position_on_behalf"):
        return False
    if meeting is not None:
        return selectors.is_on_agenda_of(decision, meeting)
    return decision.procedure == "meeting" or decision.meeting_id is not None


def my_electorate_agencies(user, decision, electorate_ids):
    """The agencies of the electorate this person may record a position for."""
    if not has_capability(user, "decisions.record_positions"):
        return []
    return sorted(set(electorate_ids) & set(represented_organisation_ids(user)))
