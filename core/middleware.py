import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .models import Network

SESSION_STARTED_KEY = "_unnm_session_started"
SESSION_LAST_SEEN_KEY = "_unnm_session_last_seen"
# Writing the session on every request would cost a database write per page; a minute of slack
# on the idle timeout costs nothing.
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT idle or SESSION_ABSOLUTE_TIMEOUT in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            last_seen = session.get(SESSION_LAST_SEEN_KEY, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has expired. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= LAST_SEEN_RESOLUTION or SESSION_LAST_SEEN_KEY not in session:
                session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)


class UserPreferencesMiddleware:
    """Shows pages in the signed-in person's language and in the network's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        request.network = SimpleLazyObject(Network.objects.get_current)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The health check must answer (503) when the database is down, so it reads nothing.
        if not getattr(view_func, "network_exempt", False):
            timezone.activate(request.network.tzinfo)


def network_exempt(view_func):
    """Marks a view that must not read the Network record (the health check)."""
    view_func.network_exempt = True
    return view_func
