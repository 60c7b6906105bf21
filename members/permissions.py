"""Who may do what in the members module, on top of the roles of `members.roles`."""

from .models import Invitation
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


def can_invite_as(user, role):
    """Whether the person may issue (create, resend, revoke) an invitation in this role.

    PRODUCT.md §2: appointing someone to a member agency (focal point, alternate, agency staff,
    referral officer) and handing out the RCO or secretariat roles is the RCO's (or a platform
    admin's) decision; co-chairs invite guest stakeholders only. The invitation services check this
    at every step, including when the invitation is accepted (the inviter's rights at that moment).
    """
    if has_role(user, Role.RCO_ADMIN, Role.PLATFORM_ADMIN):
        return True
    return Invitation.Role(role) == Invitation.Role.GUEST and can_invite(user)


def invitable_roles(user):
    """The invitation roles this person may hand out, in the order of `Invitation.Role`."""
    return [role for role in Invitation.Role if can_invite_as(user, role)]


def can_replace_on_invitation(user):
    """Ending someone's appointment through an invitation is an appointment decision."""
    return can_manage_appointments(user)
