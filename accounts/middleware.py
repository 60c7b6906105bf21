from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .mfa import must_set_up_mfa

# What a person who must set up two-factor authentication may still open: the two-factor pages
# themselves (allauth's `mfa_*`), confirming their password for them, signing out, the language.
ALLOWED_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "account_change_password",
        "set_language",
        "healthz",
    }
)


def _allowed(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 stays a 404
    name = match.url_name or ""
    return name.startswith("mfa_") or name in ALLOWED_URL_NAMES


class MFARequiredMiddleware:
    """Sends a signed-in person whose role requires two-factor authentication to set it up.

    Roles come from settings.MFA_REQUIRED_FOR_ROLES (see accounts.mfa); the person can use the
    portal again as soon as an authenticator app is active.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not _allowed(request)
            and must_set_up_mfa(request.user)
        ):
            url = reverse("mfa_activate_totp")
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(url)
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication. Set up an authenticator app "
                    "to continue."
                ),
            )
            return redirect(url)
        return self.get_response(request)
