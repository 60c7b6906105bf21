"""Who may read and change the workplan (on top of the capabilities in members/roles.py)."""

from members.roles import has_capability, represented_organisation_ids

VIEW = "workplan.view_workplan"
MANAGE = "workplan.manage_workplan"
UPDATE_OWN = "workplan.update_own_deliverables"


def can_view_workplan(user):
    return has_capability(user, VIEW)


def can_manage_workplan(user):
    """Co-chairs and the secretariat build the workplan and edit any deliverable."""
    return has_capability(user, MANAGE)


def can_edit_deliverable(user, deliverable):
    return can_manage_workplan(user)


def can_update_progress(user, deliverable):
    """Co-chairs and the secretariat, or the focal point/alternate of the lead agency."""
    if can_manage_workplan(user):
        return True
    return has_capability(
        user, UPDATE_OWN
    ) and deliverable.lead_agency_id in represented_organisation_ids(user)


def can_manage_funding(user, deliverable):
    return can_manage_workplan(user)
