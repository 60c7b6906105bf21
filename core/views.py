import logging

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import check_for_language
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django.views.i18n import set_language

from .middleware import network_exempt
from .registry import panels_for

logger = logging.getLogger(__name__)


class DashboardView(LoginRequiredMixin, TemplateView):
    """The signed-in person's start page: each module contributes its cards."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(panels=panels_for(self.request.user), **kwargs)


@network_exempt
@never_cache
def healthz(request):
    """200 when the database (and Redis, if configured) answer; 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        logger.exception("Health check: the database does not answer")
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "ok", timeout=5)
            checks["redis"] = "ok" if cache.get("healthz") == "ok" else "error"
        except Exception:
            logger.exception("Health check: Redis does not answer")
            checks["redis"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


class SetLanguageView(View):
    """Switches the language; a signed-in person keeps it as their preferred language."""

    http_method_names = ["post"]

    def post(self, request):
        language = request.POST.get("language", "")
        if (
            request.user.is_authenticated
            and check_for_language(language)
            and language in dict(settings.LANGUAGES)
        ):
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
        # Django's view sets the cookie and only follows a `next` that stays on this site.
        return set_language(request)
