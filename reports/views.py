import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.errors import DomainError
from core.jobs import job_context
from core.models import Job
from members.roles import CapabilityRequiredMixin

from . import jobs, permissions, selectors, services
from .forms import ArchiveFilterForm, NarrativeForm, ReportCreateForm, ShareForm, SubmitForm
from .models import Report

MANAGE = "reports.manage_reports"
FINALIZE = "reports.finalize_reports"


class ReportMixin(CapabilityRequiredMixin):
    """Looks the report up among those the person may open: anything else is a 404."""

    def load_objects(self):
        self.report = get_object_or_404(
            Report.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )


class ArchiveView(CapabilityRequiredMixin, View):
    """The archive: reports by kind and period, with search."""

    def has_access(self):
        return permissions.can_open_reports(self.request.user)

    def get(self, request):
        form = ArchiveFilterForm(request.GET or None, years=selectors.archive_years())
        filters = form.cleaned_data if form.is_valid() else {}
        reports = selectors.archive(
            request.user,
            kind=filters.get("kind") or "",
            year=filters.get("year"),
            q=filters.get("q") or "",
        )
        page = Paginator(reports, selectors.ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "reports/report_list.html",
            {
                "form": form,
                "page_obj": page,
                "reports": page.object_list,
                "filtered": any(filters.values()) if filters else False,
                "can_create": permissions.can_manage_reports(request.user),
            },
        )


class ReportCreateView(CapabilityRequiredMixin, View):
    capability = MANAGE

    def get(self, request):
        # The dashboard's "start it" links preselect the kind and period.
        initial = {
            key: request.GET[key] for key in ("kind", "year", "period") if key in request.GET
        }
        return render(
            request, "reports/report_form.html", {"form": ReportCreateForm(initial=initial)}
        )

    def post(self, request):
        form = ReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_create(
                    kind=form.cleaned_data["kind"],
                    period=form.cleaned_data["period_value"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The report is started: write its narrative."))
                return redirect(report)
        return render(request, "reports/report_form.html", {"form": form}, status=400)


class ReportDetailView(ReportMixin, View):
    """A report: its status, narrative, versions and the preview of its compiled sections."""

    def has_access(self):
        return True  # load_objects found it among the reports this person may open

    def get(self, request, pk):
        report = self.report
        user = request.user
        language = request.GET.get("language")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        manages = permissions.can_manage_reports(user) or permissions.can_finalize_reports(user)
        return render(
            request,
            "reports/report_detail.html",
            {
                "report": report,
                "language": language,
                "languages": settings.LANGUAGES,
                "narrative": selectors.narrative_of(report, language),
                "sections": selectors.compile_sections(report, language),
                "versions": selectors.versions_for(user, report),
                "final_version": selectors.final_version(report),
                "shares": selectors.shares_of(report) if manages else [],
                "manages": manages,
                "can_edit": permissions.can_edit_report(user, report),
                "can_finalize": report.is_draft and permissions.can_finalize_reports(user),
                "can_submit": report.status == Report.Status.FINAL
                and permissions.can_finalize_reports(user),
                "can_share": permissions.can_share_report(user, report),
                "can_generate": manages,
                # One token per rendered form: a double click asks for one PDF (issue 12 §3).
                "form_token": uuid.uuid4().hex,
                **self._latest_job(user, report),
            },
        )

    def _latest_job(self, user, report):
        """The progress of the person's latest generation of this report, if any."""
        job = (
            Job.objects.filter(
                kind=jobs.JOB_KIND,
                requested_by=user,
                content_type__app_label="reports",
                object_id=str(report.pk),
            )
            .select_related("result")
            .order_by("-created_at", "-pk")
            .first()
        )
        return job_context(job) if job else {}


class GenerateView(ReportMixin, View):
    """Ask for the PDF (and Excel annex) of a report in one language: a background job."""

    http_method_names = ["post"]

    def has_access(self):
        user = self.request.user
        return permissions.can_manage_reports(user) or permissions.can_finalize_reports(user)

    def post(self, request, pk):
        language = request.POST.get("language") or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        token = request.POST.get("form_token", "")
        if not (token.isalnum() and len(token) == 32):
            token = uuid.uuid4().hex
        try:
            job = jobs.report_generate(
                report=self.report,
                language=language,
                by=request.user,
                idempotency_key=f"{jobs.JOB_KIND}:{self.report.pk}:{language}:{token}",
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.report)
        if request.htmx:
            return render(request, "core/_job_status.html", job_context(job))
        return redirect(self.report)


class NarrativeEditView(ReportMixin, View):
    """The narrative in one language: each save of a changed part is kept as a revision."""

    capability = MANAGE

    def load_objects(self):
        super().load_objects()
        self.language = self.kwargs["language"]
        if self.language not in dict(settings.LANGUAGES):
            raise Http404

    def has_access(self):
        return permissions.can_edit_report(self.request.user, self.report)

    def _render(self, form, status=200):
        return render(
            self.request,
            "reports/narrative_form.html",
            {
                "report": self.report,
                "form": form,
                "language": self.language,
                "language_name": dict(settings.LANGUAGES)[self.language],
            },
            status=status,
        )

    def get(self, request, pk, language):
        initial = {
            part: text
            for part, _label, text in selectors.narrative_of(self.report, language, fallback=False)
        }
        return self._render(NarrativeForm(initial=initial, language=language))

    def post(self, request, pk, language):
        form = NarrativeForm(request.POST, language=language)
        if form.is_valid():
            try:
                changed = services.narrative_save(
                    report=self.report, language=language, texts=form.cleaned_data, by=request.user
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if changed:
                    messages.success(request, _("The narrative is saved."))
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect(f"{self.report.get_absolute_url()}?language={language}")
        return self._render(form, status=400)


class NarrativeHistoryView(ReportMixin, View):
    capabilities = (MANAGE, FINALIZE)

    def get(self, request, pk):
        return render(
            request,
            "reports/narrative_history.html",
            {"report": self.report, "revisions": selectors.narrative_history(self.report)},
        )


class ActionView(ReportMixin, View):
    """A confirmation page and the POST that calls one service."""

    template_name = "reports/report_action.html"
    form_class = None
    heading = ""
    explanation = ""
    submit_label = ""
    success_message = ""

    def get_form(self, data=None):
        return self.form_class(data) if self.form_class else None

    def context(self, form):
        return {
            "report": self.report,
            "form": form,
            "heading": self.heading,
            "explanation": self.explanation,
            "submit_label": self.submit_label,
        }

    def get(self, request, pk):
        return render(request, self.template_name, self.context(self.get_form()))

    def post(self, request, pk):
        form = self.get_form(request.POST)
        if form is None or form.is_valid():
            try:
                self.perform(form.cleaned_data if form else {})
            except DomainError as error:
                if form is None:
                    messages.error(request, error.message)
                    return redirect(self.report)
                form.add_error(None, error.message)
            else:
                messages.success(request, self.success_message)
                return redirect(self.report)
        return render(request, self.template_name, self.context(form), status=400)


class FinalizeView(ActionView):
    capability = FINALIZE
    heading = _("Make the report final")
    explanation = _(
        "The compiled sections are frozen as they stand today and the report becomes read-only. "
        "Generate the final PDF afterwards: it is the one the archive hands out."
    )
    submit_label = _("Make final")
    success_message = _("The report is final.")

    def perform(self, data):
        services.report_finalize(report=self.report, by=self.request.user)


class SubmitView(ActionView):
    capability = FINALIZE
    form_class = SubmitForm
    heading = _("Record the submission")
    explanation = _("Record when and to whom the final report was sent.")
    submit_label = _("Record submission")
    success_message = _("The submission is recorded.")

    def perform(self, data):
        services.report_submit(
            report=self.report,
            submitted_on=data["submitted_on"],
            submitted_to=data["submitted_to"],
            by=self.request.user,
        )


class ShareView(ActionView):
    capability = MANAGE
    form_class = ShareForm
    heading = _("Share with a government guest")
    explanation = _(
        "The guest can open and download this final update from the archive, and nothing else."
    )
    submit_label = _("Share")
    success_message = _("The update is shared.")

    def perform(self, data):
        services.report_share_with_guest(
            report=self.report, person=data["person"], by=self.request.user
        )


class UnshareView(ReportMixin, View):
    capability = MANAGE
    http_method_names = ["post"]

    def post(self, request, pk, person_pk):
        share = get_object_or_404(self.report.shares.select_related("person"), person_id=person_pk)
        try:
            services.report_unshare(report=self.report, person=share.person, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The update is no longer shared with this guest."))
        return redirect(self.report)
