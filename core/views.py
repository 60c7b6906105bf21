import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import check_for_language, pgettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django.views.i18n import set_language

from .errors import DomainError
from .files import file_response, may_download
from .jobs import can_see_job, job_context, job_retry
from .middleware import network_exempt
from .models import Job, StoredFile
from .registry import panels_for, search_providers
from .search import highlight, parse_query

logger = logging.getLogger(__name__)


class DashboardView(LoginRequiredMixin, TemplateView):
    """The signed-in person's start page: each module contributes its cards."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(panels=panels_for(self.request.user), **kwargs)


class SearchView(LoginRequiredMixin, TemplateView):
    """One search across the portal: each installed app's provider finds what the person may open.

    Without `kind`: the first results of every kind. With `kind`: that kind alone, a page at a
    time, up to MAX_RESULTS (a search is not a list to page through to its end: a person
    refines the words instead), so no page counts the whole table or skips far into it.
    """

    template_name = "core/search.html"
    GROUP_SIZE = 5
    PAGE_SIZE = 20
    MAX_RESULTS = 200

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "")[:200].strip()
        query = parse_query(text)
        providers = search_providers.entries()
        by_key = {provider.key: provider for provider in providers}
        kind = by_key.get(self.request.GET.get("kind", ""))
        context = {
            "q": text,
            "too_short": bool(text) and not query,
            "kind": kind,
            "providers": providers,
            "searched": pgettext("list separator", ", ").join(str(p.label) for p in providers),
        }
        if not query:
            return super().get_context_data(**context, **kwargs)
        user = self.request.user
        if kind is None:
            groups = []
            for provider in providers:
                results = provider.results(user, text, limit=self.GROUP_SIZE + 1)
                if results:
                    groups.append(self._group(provider, results, query, self.GROUP_SIZE))
            context["groups"] = groups
        else:
            last_page = self.MAX_RESULTS // self.PAGE_SIZE
            page = min(max(_int(self.request.GET.get("page"), 1), 1), last_page)
            results = kind.results(
                user, text, limit=self.PAGE_SIZE + 1, offset=(page - 1) * self.PAGE_SIZE
            )
            group = self._group(kind, results, query, self.PAGE_SIZE)
            context.update(
                groups=[group] if group["results"] else [],
                page=page,
                previous_page=page - 1 if page > 1 else None,
                next_page=page + 1 if group["more"] and page < last_page else None,
            )
        return super().get_context_data(**context, **kwargs)

    @staticmethod
    def _group(provider, results, query, size):
        shown = results[:size]
        for result in shown:
            result.title_html = highlight(result.title, query)
        return {"provider": provider, "results": shown, "more": len(results) > size}


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


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


@method_decorator(never_cache, name="dispatch")
class FileDownloadView(View):
    """The one way out of private storage: the owning app decides; everyone else gets 404."""

    http_method_names = ["get", "head"]

    def get(self, request, uuid):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        stored = StoredFile.objects.filter(uuid=uuid).first()
        if stored is None or not may_download(request.user, stored):
            raise Http404
        return file_response(stored)


def _visible_job(request, uuid):
    job = Job.objects.select_related("result").filter(uuid=uuid).first()
    if job is None or not can_see_job(request.user, job):
        raise Http404
    return job


def _render_job(request, job):
    context = job_context(job)
    template = "core/_job_status.html" if request.htmx else "core/job_detail.html"
    return render(request, template, context)


@method_decorator(never_cache, name="dispatch")
class JobStatusView(LoginRequiredMixin, View):
    """A job's progress; the htmx fragment polls itself while the job is queued or running."""

    def get(self, request, uuid):
        return _render_job(request, _visible_job(request, uuid))


class JobRetryView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, uuid):
        job = _visible_job(request, uuid)
        try:
            job = job_retry(job=job, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        if request.htmx:
            job.refresh_from_db()
            return _render_job(request, job)
        return redirect(job.get_absolute_url())
