import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage as default_message_storage
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .models import Network

SESSION_STARTED_KEY = "_unnm_session_started"
SESSION_LAST_SEEN_KEY = "_unnm_session_last_seen"
# Writing the session on every request would cost a database write per page; a minute of slack
# on the idle timeout costs nothing.
LAST_SEEN_RESOLUTION = 60


class RequestBodyLimitMiddleware:
    """Refuses (413) a request body larger than allowed before anything reads it.

    Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only for form fields and streams files of any size
    to a temporary file before a form can look at them; gunicorn has no body limit at all. So the
    declared Content-Length is checked here, first in the chain: REQUEST_BODY_MAX_SIZE for every
    URL, MAX_UPLOAD_SIZE more for views (classes or functions) with `accepts_uploads = True`.
    A body without Content-Length (chunked) is never read by Django's WSGI handler.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_SIZE and length > self.limit_for(request):
            return self.refuse()
        return self.get_response(request)

    @staticmethod
    def limit_for(request):
        try:
            func = resolve(request.path_info).func
        except Resolver404:
            return settings.REQUEST_BODY_MAX_SIZE
        if getattr(func, "accepts_uploads", False) or getattr(
            getattr(func, "view_class", None), "accepts_uploads", False
        ):
            return settings.MAX_UPLOAD_SIZE + settings.REQUEST_BODY_MAX_SIZE
        return settings.REQUEST_BODY_MAX_SIZE

    @staticmethod
    def refuse():
        # Rendered without a request: nothing of the session or the database is needed.
        page = render_to_string("413.html", {"max_upload_size": settings.MAX_UPLOAD_SIZE})
        response = HttpResponse(page, status=413)
        # The unread body stays on the connection: close it rather than parse it as a request.
        response["Connection"] = "close"
        return response


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
