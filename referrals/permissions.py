"""Who may do what in the referrals module.

Why the module checks its own appointments instead of a role provider in `members.roles`:
`roles_of()` runs on every request of every person (navigation, capabilities) and is locked by
exact query-count tests; asking a referrals hook there would add a query to every page of the
portal for a right only a handful of people hold. So the network-level role stays the
`referral_officer` Group (it shows the navigation link and makes two-factor sign-in mandatory
through MFA_REQUIRED_FOR_ROLES), and the right to an organisation's referrals is the dated
`ReferralOfficerAppointment`, checked here and in `Referral.objects.visible_to()`. The Group alone
opens nothing; an appointment is what gives access, and its end takes it away.
"""

from django.conf import settings

from accounts.mfa import has_totp
from members.models import Appointment
from members.roles import Role, has_role, is_member, represented_organisation_ids

from . import rules
from .models import FIELD_CATEGORIES, PERSONAL_FIELDS, DataCategory
from .querysets import officer_organisation_ids

STATISTICS_ROLES = (Role.CO_CHAIR, Role.RCO_ADMIN)


def is_referral_officer(user):
    """Whether the person handles some organisation's referrals today."""
    return bool(officer_organisation_ids(user))


def needs_second_factor(user):
    """An appointed officer without an authenticator app may not open referrals (not in DEBUG)."""
    return settings.REFERRALS_REQUIRE_MFA and is_referral_officer(user) and not has_totp(user)


def may_open_module(user):
    """The navigation link: officers, and those who read the anonymous statistics.

    Uses the cached roles first so pages of the portal cost no extra query for everyone else.
    """
    if has_role(user, *STATISTICS_ROLES):
        return True
    return has_role(user, Role.REFERRAL_OFFICER) and is_referral_officer(user)


def can_view_statistics(user):
    return has_role(user, *STATISTICS_ROLES)


def can_view_services(user):
    return is_member(user)


def service_organisation_ids(user):
    """Organisations whose service entries this person may edit (None: all of them)."""
    if has_role(user, Role.CO_CHAIR):
        return None
    return frozenset(represented_organisation_ids(user)) | officer_organisation_ids(user)


def can_edit_services(user, organisation=None):
    allowed = service_organisation_ids(user)
    if allowed is None:
        return True
    if organisation is None:
        return bool(allowed)
    return organisation.pk in allowed


def can_appoint_officers(user, organisation=None):
    """The RCO appoints for every agency; an agency's focal point for its own."""
    if has_role(user, Role.RCO_ADMIN):
        return True
    focal = Appointment.objects.active().filter(person=user, kind=Appointment.Kind.FOCAL_POINT)
    if organisation is not None:
        focal = focal.filter(organisation=organisation)
    return focal.exists()


def side_of(user, referral):
    """`sender`, `receiver` or None: on which side of the referral this person is officer."""
    organisations = officer_organisation_ids(user)
    if referral.from_organisation_id in organisations:
        return rules.SENDER
    if referral.to_organisation_id in organisations and referral.status != "draft":
        return rules.RECEIVER
    return None


def can_transition(user, referral, action):
    return rules.may_transition(action, side=side_of(user, referral), status=referral.status)


def visible_fields(user, referral):
    """The personal fields this person may read on this referral.

    The sender holds the data it collected. The receiving side reads only the categories the
    person consented to, and nothing once consent is withdrawn or expired or the sender withdraws
    the referral. Nobody reads erased data.
    """
    side = side_of(user, referral)
    if side is None or referral.is_erased:
        return ()
    if side == rules.SENDER:
        return PERSONAL_FIELDS
    consent = _receiver_consent(referral)
    if consent is None:
        return ()
    return tuple(name for name in PERSONAL_FIELDS if FIELD_CATEGORIES[name] in consent.categories)


def _receiver_consent(referral):
    """The consent under which the receiving side reads this referral, or None when it may not:
    no valid consent, or a referral the sender has withdrawn."""
    consent = getattr(referral, "consent", None)
    if consent is None or not consent.is_valid():
        return None
    if not rules.receiver_may_read_person(referral.status):
        return None
    return consent


def can_read_thread(user, referral):
    """Messages may speak of the person: the receiving side reads them only under valid consent."""
    side = side_of(user, referral)
    if side == rules.SENDER:
        return True
    return side == rules.RECEIVER and _receiver_consent(referral) is not None


def can_edit_person(user, referral):
    """Either side may correct or erase what it can read (the person's rights, PDPL)."""
    return bool(visible_fields(user, referral))


def can_read_files(user, referral):
    """Attachments are personal data of the "documents" category: the sender holds them; the
    receiving side reads them only while valid consent covers documents. Nobody after erasure."""
    side = side_of(user, referral)
    if side is None or referral.is_erased:
        return False
    if side == rules.SENDER:
        return True
    consent = _receiver_consent(referral)
    return consent is not None and DataCategory.DOCUMENTS in consent.categories
