"""Who may do what to a meeting: capabilities from members.roles, plus the meeting's state."""

from django.utils import timezone

from members.roles import Role, has_capability, has_role, is_member, represented_organisation_ids

from . import rules

MANAGE = "meetings.manage_meetings"
VIEW_ALL = "meetings.view_all_meetings"
PROPOSE = "meetings.propose_agenda_items"


def can_open_meetings(user):
    """Members see the network's meetings; guests see the list of those they are invited to."""
    return has_capability(user, VIEW_ALL) or has_role(user, Role.GUEST)


def can_manage_meetings(user):
    return has_capability(user, MANAGE)


def can_propose_agenda_item(user, meeting):
    return has_capability(user, PROPOSE) and rules.proposals_are_open(
        cutoff=meeting.agenda_cutoff,
        starts_at=meeting.starts_at,
        now=timezone.now(),
        status=meeting.status,
    )


def can_rsvp(user, meeting, participant):
    return participant is not None and rules.rsvp_is_open(
        starts_at=meeting.starts_at, now=timezone.now(), status=meeting.status
    )


def can_edit_minutes(user, minutes):
    return can_manage_meetings(user) and (minutes is None or not minutes.is_approved)


def can_comment_on_minutes(user, minutes):
    if minutes is None or minutes.status != minutes.Status.CIRCULATED:
        return False
    if minutes.comment_deadline and timezone.localdate() > minutes.comment_deadline:
        return False
    return is_member(user)


def can_see_minutes(user, minutes):
    """Drafts are the secretariat's; circulated and approved minutes are for everyone invited."""
    if minutes is None:
        return False
    return minutes.status != minutes.Status.DRAFT or can_manage_meetings(user)


def can_update_action_point(user, action_point):
    if can_manage_meetings(user):
        return True
    if action_point.owner_person_id == user.pk:
        return True
    return action_point.owner_organisation_id in represented_organisation_ids(user)
