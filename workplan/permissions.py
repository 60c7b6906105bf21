"""Who may read and change the workplan (on top of the capabilities in members/roles.py)."""

from members.roles import Role, has_capability, represented_organisation_ids, roles_of

VIEW = "workplan.view_workplan"
MANAGE = "workplan.manage_workplan"
UPDATE_OWN = "workplan.update_own_deliverables"


def can_view_workplan(user):
    return has_capability(user, VIEW)


def can_manage_workplan(user):
    """Co-chairs and the secretariat build the workplan and edit any deliverable."""
    return has_capability(user, MANAGE)


def oversees_workplan(user):
    """Co-chairs, the secretariat and the RCO follow every deliverable at risk, not just theirs."""
    return can_manage_workplan(user) or (
        can_view_workplan(user) and Role.RCO_ADMIN in roles_of(user)
    )


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
