"""Who must use two-factor authentication (docs/PRODUCT.md §2: referral officers, administrators).

`settings.MFA_REQUIRED_FOR_ROLES` lists role values (members.roles.Role); empty turns the rule off.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from members.roles import Role, has_role


def roles_requiring_mfa():
    """The roles of MFA_REQUIRED_FOR_ROLES; an unknown value is a configuration error."""
    return tuple(Role(value) for value in settings.MFA_REQUIRED_FOR_ROLES)


def mfa_required(user):
    """Whether this person must sign in with an authenticator app."""
    roles = roles_requiring_mfa()
    return bool(roles) and user.is_authenticated and has_role(user, *roles)


def has_totp(user):
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def must_set_up_mfa(user):
    """Whether this signed-in person must set up an authenticator before using the portal."""
    return mfa_required(user) and not has_totp(user)
