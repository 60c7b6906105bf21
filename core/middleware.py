import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage as default_message_storage
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
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
    """Signs a person out after SESSION_IDLE_TIMEOUT idle or SESSION_ABSOLUTE_TIMEOUT in all.

    The clock starts at sign-in (the request that signs in sets both timestamps). A page request
    after a timeout signs out and sends to sign in with a message; an htmx request gets an
    HX-Redirect to the sign-in page instead of a sign-in form swapped into the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        if request.user.is_authenticated:
            session = request.session
            started = session.get(SESSION_STARTED_KEY, now)
            last_seen = session.get(SESSION_LAST_SEEN_KEY, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                return self._sign_out(request)
            if SESSION_STARTED_KEY not in session:
                session[SESSION_STARTED_KEY] = started
            if now - last_seen >= LAST_SEEN_RESOLUTION or SESSION_LAST_SEEN_KEY not in session:
                session[SESSION_LAST_SEEN_KEY] = now
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and SESSION_STARTED_KEY not in request.session
        ):
            # Signed in by this request: the absolute timeout counts from now.
            request.session[SESSION_STARTED_KEY] = now
            request.session[SESSION_LAST_SEEN_KEY] = now
        return response

    def _sign_out(self, request):
        logout(request)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        # The message middleware runs after this one, so its storage is set up here.
        storage = default_message_storage(request)
        storage.add(messages.INFO, _("Your session has expired. Please sign in again."))
        next_path = request.get_full_path() if request.method == "GET" else None
        response = redirect_to_login(next_path, login_url) if next_path else redirect(login_url)
        storage.update(response)
        return response


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
