"""Who may do what to a knowledge product: one answer for views, templates and services."""

from django.utils import timezone

from members.roles import Role, has_capability, has_role, represented_organisation_ids

from . import rules

VIEW = "library.view_products"
MANAGE = "library.manage_products"
DRAFT = "library.draft_products"
COMMENT = "library.comment_on_products"
ENDORSE = "library.endorse_products"


def can_view_products(user):
    return has_capability(user, VIEW)


def can_open_library(user):
    """The library: members of the network, and guests (who see what is public)."""
    return can_view_products(user) or has_role(user, Role.GUEST)


def can_manage_products(user):
    return has_capability(user, MANAGE)


def drafting_agencies(user):
    """The agencies for which this person may draft products (their focal-point seats)."""
    if not has_capability(user, DRAFT):
        return frozenset()
    return represented_organisation_ids(user)


def can_create_product(user):
    return can_manage_products(user) or bool(drafting_agencies(user))


def speaks_for(user, product):
    return product.lead_agency_id in drafting_agencies(user)


def decision_pending(product):
    """A decision on endorsing the product is drafted or open: its text is what is decided."""
    if product.endorsement_decision_id is None:
        return False
    return rules.decision_pending(product.endorsement_decision.status)


def can_edit_product(user, product):
    """Managers, and the lead agency's focal point or alternate, while drafted or reviewed.

    Not while a decision on endorsing it is pending: the agencies decide on what they read.
    """
    if not rules.editable(product.status) or decision_pending(product):
        return False
    return can_manage_products(user) or speaks_for(user, product)


def can_upload_version(user, product):
    manager = can_manage_products(user)
    if not rules.accepts_new_version(product.status, manager=manager):
        return False
    if decision_pending(product):
        return False
    return manager or speaks_for(user, product)


def can_see_old_versions(user, product):
    """Earlier files are working material: for those who manage or write the product."""
    return can_manage_products(user) or speaks_for(user, product)


def can_start_review(user, product):
    return product.is_draft and can_manage_products(user)


def can_return_to_draft(user, product, *, decision_pending=False):
    return product.in_review and can_manage_products(user) and not decision_pending


def can_comment(user, product):
    return has_capability(user, COMMENT) and rules.comment_period_open(
        status=product.status,
        comment_deadline=product.comment_deadline,
        today=timezone.localdate(),
    )


def can_propose_endorsement(user, product, *, decision_pending=False):
    return product.in_review and has_capability(user, ENDORSE) and not decision_pending


def can_publish(user, product):
    return product.status == product.Status.ENDORSED and can_manage_products(user)


def can_record_submission(user, product):
    return (
        product.is_published
        and rules.may_record_submission(product.audience)
        and can_manage_products(user)
    )
