"""Who may do what to the Terms of Reference: one answer for views, templates and services."""

from members.roles import has_capability


def can_view_terms(user):
    return has_capability(user, "terms.view_terms")


def can_draft_amendment(user):
    return has_capability(user, "terms.draft_amendments")


def can_manage_terms(user):
    """Co-chairs propose amendments to the network, record reviews and the UNCT's endorsement."""
    return has_capability(user, "terms.manage_terms")


def can_edit_amendment(user, amendment):
    return can_draft_amendment(user) and amendment.is_draft
