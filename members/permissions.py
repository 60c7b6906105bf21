"""Who may do what in the members module, on top of the roles of `members.roles`."""

from .roles import Role, has_capability, has_role, represented_organisation_ids


def can_view_directory(user):
    """Members see the directory with contact details; guests see names and organisations."""
    return has_capability(user, "members.view_directory") or has_role(user, Role.GUEST)


def can_view_contact_details(user):
    return has_capability(user, "members.view_contact_details")


def can_view_history(user):
    """Appointment and membership history is the network's internal record: members only."""
    return has_capability(user, "members.view_contact_details")


def can_manage_organisations(user):
    return has_capability(user, "members.manage_organisations")


def can_edit_organisation(user, organisation):
    """The RCO edits any organisation; a focal point or alternate their own agency's details."""
    return can_manage_organisations(user) or organisation.pk in represented_organisation_ids(user)


def can_manage_appointments(user):
    return has_capability(user, "members.manage_appointments")


def can_invite(user):
    return has_capability(user, "members.invite_people")


def can_invite_admin_roles(user):
    """Only the RCO hands out the RCO administrator and secretariat roles."""
    return can_manage_organisations(user)


def can_replace_on_invitation(user):
    """Ending someone's appointment through an invitation is an appointment decision."""
    return can_manage_appointments(user)
