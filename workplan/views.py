import uuid

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from core.charts import Series, bar_chart, stacked_bar_chart
from core.errors import DomainError
from core.jobs import job_context, job_enqueue
from core.models import Job, ToRObjective
from core.pagination import keyset_page
from core.submissions import OncePerFormMixin
from members.models import Organisation
from members.roles import CapabilityRequiredMixin, represented_organisation_ids

from . import selectors, services
from .forms import (
    DeliverableFilterForm,
    DeliverableForm,
    EndorseForm,
    FundingForm,
    ProgressUpdateForm,
    ShareForm,
    WorkplanCreateForm,
    WorkplanForm,
)
from .jobs import WORKPLAN_PDF, WORKPLAN_XLSX
from .models import (
    Deliverable,
    Funding,
    GCMGuidingPrinciple,
    GCMObjective,
    SDGTarget,
    ThematicArea,
    Workplan,
)
from .permissions import (
    MANAGE,
    VIEW,
    can_edit_deliverable,
    can_manage_funding,
    can_manage_workplan,
    can_update_progress,
)

PAGE_SIZE = 25


class WorkplanView(CapabilityRequiredMixin, OncePerFormMixin, TemplateView):
    """A page of the workplan module: readers need the view capability; deny by default."""

    capability = VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_manage_workplan(self.request.user)
        return context


class YearMixin:
    """Pages of one year's workplan: the year is looked up among the visible workplans."""

    tab = ""

    def get_workplan(self):
        if not hasattr(self, "_workplan"):
            self._workplan = get_object_or_404(
                # The header links the endorsing decision: joined here, not a query of its own.
                Workplan.objects.visible_to(self.request.user).select_related(
                    "endorsed_by_decision"
                ),
                year=self.kwargs["year"],
            )
        return self._workplan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workplan = self.get_workplan()
        context.update(
            workplan=workplan,
            tab=self.tab,
            my_agency_ids=sorted(represented_organisation_ids(self.request.user)),
        )
        return context


class DeliverableMixin:
    def get_deliverable(self):
        if not hasattr(self, "_deliverable"):
            try:
                self._deliverable = selectors.deliverable_detail(
                    self.request.user, self.kwargs["pk"]
                )
            except Deliverable.DoesNotExist as error:
                raise Http404 from error
        return self._deliverable


class FormPageMixin:
    """GET shows the form; POST validates it and calls `perform(form)` (a service)."""

    form_class = None

    def get_form_kwargs(self):
        return {}

    def get_form(self, data=None):
        return self.form_class(data, **self.get_form_kwargs())

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                return self.perform(form)
            except DomainError as error:
                form.add_error(None, error.message)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- Workplans ----------------------------------------------------------------------------------


class IndexView(WorkplanView):
    template_name = "workplan/workplan_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            workplans=selectors.workplans_for(self.request.user), **kwargs
        )


class WorkplanCreateView(FormPageMixin, WorkplanView):
    capability = MANAGE
    template_name = "workplan/workplan_form.html"
    form_class = WorkplanCreateForm

    def perform(self, form):
        data = form.cleaned_data
        workplan = services.workplan_create(
            year=data["year"],
            title=data["title"],
            introduction=data["introduction"],
            copy_forward=data["copy_forward"],
            by=self.request.user,
        )
        messages.success(
            self.request, _("The workplan for %(year)s was created.") % {"year": workplan.year}
        )
        return redirect(workplan)


class WorkplanDetailView(YearMixin, WorkplanView):
    """The year's deliverables, filtered and paginated."""

    template_name = "workplan/workplan_detail.html"
    tab = "list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workplan = context["workplan"]
        form = DeliverableFilterForm(self.request.GET or None, workplan=workplan)
        queryset = selectors.filter_deliverables(
            selectors.page_deliverables(workplan), **form.filters()
        )
        page = keyset_page(self.request, queryset, ordering=["number"], per_page=PAGE_SIZE)
        context.update(
            filter_form=form,
            page_obj=page,
            deliverables=selectors.with_links(page.object_list),
            filtered=bool(form.filters()),
            previous_exists=selectors.has_deliverables_to_carry_over(workplan),
        )
        return context


class WorkplanEditView(YearMixin, FormPageMixin, WorkplanView):
    capability = MANAGE
    template_name = "workplan/workplan_form.html"
    form_class = WorkplanForm

    def get_form(self, data=None):
        return WorkplanForm(data, instance=self.get_workplan())

    def perform(self, form):
        services.workplan_update(
            workplan=self.get_workplan(),
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
            by=self.request.user,
        )
        messages.success(self.request, _("The workplan was saved."))
        return redirect(self.get_workplan())


def _endorsing_decisions():
    """Adopted decisions, when the decisions module provides the link; else None."""
    try:
        field = Workplan._meta.get_field("endorsed_by_decision")
    except FieldDoesNotExist:
        return None
    Decision = field.related_model
    return Decision.objects.filter(status="adopted").order_by("-pk")


class _StepMixin:
    """Endorsing and sharing are steps of a workplan's life: offered only when they apply."""

    from_status = ""
    refused_message = ""

    def get(self, request, *args, **kwargs):
        workplan = self.get_workplan()
        if workplan.status != self.from_status:
            messages.info(request, self.refused_message)
            return redirect(workplan)
        return super().get(request, *args, **kwargs)


class WorkplanEndorseView(_StepMixin, YearMixin, FormPageMixin, WorkplanView):
    capability = MANAGE
    template_name = "workplan/workplan_confirm_endorse.html"
    form_class = EndorseForm
    from_status = Workplan.Status.DRAFT
    refused_message = gettext_lazy("Only a draft workplan can be endorsed.")

    def get_form_kwargs(self):
        return {"decisions": _endorsing_decisions()}

    def perform(self, form):
        workplan = services.workplan_endorse(
            workplan=self.get_workplan(),
            endorsed_on=form.cleaned_data["endorsed_on"],
            decision=form.cleaned_data.get("decision"),
            by=self.request.user,
        )
        messages.success(self.request, _("The workplan is endorsed."))
        return redirect(workplan)


class WorkplanShareView(_StepMixin, YearMixin, FormPageMixin, WorkplanView):
    capability = MANAGE
    template_name = "workplan/workplan_confirm_share.html"
    form_class = ShareForm
    from_status = Workplan.Status.ENDORSED
    refused_message = gettext_lazy("Only an endorsed workplan can be shared with the UNCT.")

    def perform(self, form):
        workplan = services.workplan_share_with_unct(
            workplan=self.get_workplan(),
            shared_on=form.cleaned_data["shared_on"],
            by=self.request.user,
        )
        messages.success(self.request, _("The workplan is recorded as shared with the UNCT."))
        return redirect(workplan)


class WorkplanCopyForwardView(YearMixin, WorkplanView):
    capability = MANAGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        workplan = self.get_workplan()
        try:
            copies = services.workplan_copy_forward(workplan=workplan, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s unfinished deliverable was carried over from %(year)s.",
                    "%(count)s unfinished deliverables were carried over from %(year)s.",
                    len(copies),
                )
                % {"count": len(copies), "year": workplan.year - 1},
            )
        return redirect(workplan)


# --- Views of the year --------------------------------------------------------------------------


class AgenciesView(YearMixin, WorkplanView):
    template_name = "workplan/agency_list.html"
    tab = "agencies"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agencies"] = selectors.agencies_overview(context["workplan"])
        return context


class AgencyView(YearMixin, WorkplanView):
    """What one agency leads and supports in the year."""

    template_name = "workplan/agency_detail.html"
    tab = "agencies"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = get_object_or_404(Organisation, pk=self.kwargs["organisation"])
        context["organisation"] = organisation
        context.update(selectors.agency_deliverables(context["workplan"], organisation))
        context["list_limit"] = selectors.AGENCY_LIST_LIMIT
        return context


class TimelineView(YearMixin, WorkplanView):
    template_name = "workplan/workplan_timeline.html"
    tab = "timeline"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workplan = context["workplan"]
        # A page of a hundred deliverables at a time: a busy year's timeline was megabytes.
        page = keyset_page(
            self.request,
            selectors.timeline_deliverables(workplan),
            ordering=selectors.TIMELINE_ORDER,
            per_page=selectors.TIMELINE_PAGE_SIZE,
            count=False,
        )
        context.update(selectors.timeline(workplan, page.object_list), page_obj=page)
        return context


# Built at import: lazy, so each request shows them in its own language.
FUNDING_SERIES = [
    Series(gettext_lazy("Confirmed"), "#2e8b57", "confirmed"),
    Series(gettext_lazy("Pledged"), "#8fc7a3", "pledged"),
    Series(gettext_lazy("Gap"), "#e4a0a0", "gap"),
]
COUNT_COLOUR = "#005a9c"


def _funding_chart(title, tallies, **options):
    rows = []
    for tally in tallies:
        pledged_within = min(tally.pledged, tally.gap)
        rows.append((tally.label, [tally.confirmed, pledged_within, tally.gap - pledged_within]))
    return stacked_bar_chart(
        title,
        rows,
        series=FUNDING_SERIES,
        description=_(
            "Confirmed funds, pledges and the remaining gap of each row's budget, in US dollars."
        ),
        value_format="money",
        unit="USD",
        **options,
    )


class SummaryView(YearMixin, WorkplanView):
    template_name = "workplan/workplan_summary.html"
    tab = "summary"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = selectors.summary(context["workplan"])
        context["summary"] = summary
        context["status_chart"] = bar_chart(
            _("Deliverables by status"),
            [(tally.label, tally.count) for tally in summary["by_status"]],
            value_label=_("Deliverables"),
            colour=COUNT_COLOUR,
            description=_("The number of deliverables in each status."),
            value_format="integer",
            label_width=100,
            plot_width=280,
            id="chart-status",
        )
        context["tor_chart"] = _funding_chart(
            _("Funding by ToR objective"), summary["by_tor"], id="chart-tor"
        )
        context["status_funding_chart"] = _funding_chart(
            _("Funding by status"),
            [tally for tally in summary["by_status"] if tally.count],
            label_width=100,
            plot_width=380,
            id="chart-status-funding",
        )
        return context


class GCMCoverageView(YearMixin, WorkplanView):
    template_name = "workplan/workplan_gcm.html"
    tab = "gcm"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coverage = selectors.gcm_coverage(context["workplan"])
        context["coverage"] = coverage
        context["chart"] = bar_chart(
            _("Deliverables per GCM objective"),
            [(row.label, row.count) for row in coverage["rows"]],
            value_label=_("Deliverables"),
            colour=COUNT_COLOUR,
            description=_("The number of deliverables contributing to each GCM objective."),
            value_format="integer",
            label_width=190,
            plot_width=260,
            bar_height=14,
            spacing=6,
            id="chart-gcm",
        )
        return context


class _ExportJobView(YearMixin, WorkplanView):
    """GET: the "Generate" page of an export; POST: a background job builds it (core.jobs)."""

    job_kind = ""

    def get_context_data(self, **kwargs):
        workplan = self.get_workplan()
        latest = (
            Job.objects.filter(
                kind=self.job_kind,
                requested_by=self.request.user,
                content_type=ContentType.objects.get_for_model(Workplan),
                object_id=str(workplan.pk),
            )
            .select_related("result")
            .order_by("-created_at", "-pk")
            .first()
        )
        return super().get_context_data(
            **(job_context(latest) if latest else {}),
            # One token per rendered form: a double click enqueues one job (issue 12 §3).
            form_token=uuid.uuid4().hex,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        workplan = self.get_workplan()
        token = request.POST.get("form_token", "")
        if not (token.isalnum() and len(token) == 32):
            token = uuid.uuid4().hex
        job = job_enqueue(
            kind=self.job_kind,
            by=request.user,
            obj=workplan,
            idempotency_key=f"{self.job_kind}:{request.user.pk}:{token}",
        )
        if request.htmx:
            return render(request, "core/_job_status.html", job_context(job))
        return redirect(job.get_absolute_url())


class ExcelExportView(_ExportJobView):
    template_name = "workplan/workplan_xlsx_generate.html"
    job_kind = WORKPLAN_XLSX


class PDFExportView(_ExportJobView):
    template_name = "workplan/workplan_pdf_generate.html"
    job_kind = WORKPLAN_PDF


class ReferenceView(WorkplanView):
    """The objectives and targets deliverables are tied to (edited in the admin only)."""

    template_name = "workplan/reference.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tor_objectives=ToRObjective.objects.all(),
            gcm_objectives=GCMObjective.objects.all(),
            principles=GCMGuidingPrinciple.objects.all(),
            sdg_targets=SDGTarget.objects.all(),
            areas=ThematicArea.objects.all(),
            **kwargs,
        )


# --- Deliverables -------------------------------------------------------------------------------


class DeliverableCreateView(YearMixin, FormPageMixin, WorkplanView):
    capability = MANAGE
    template_name = "workplan/deliverable_form.html"
    form_class = DeliverableForm

    def perform(self, form):
        deliverable = services.deliverable_create(
            workplan=self.get_workplan(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("The deliverable was added."))
        return redirect(deliverable)


class DeliverableDetailView(DeliverableMixin, WorkplanView):
    template_name = "workplan/deliverable_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliverable = self.get_deliverable()
        user = self.request.user
        context.update(
            deliverable=deliverable,
            workplan=deliverable.workplan,
            can_edit=can_edit_deliverable(user, deliverable),
            can_update=can_update_progress(user, deliverable),
            can_fund=can_manage_funding(user, deliverable),
            progress_form=kwargs.get("progress_form")
            or ProgressUpdateForm(initial={"status_after": deliverable.status}),
            funding_form=kwargs.get("funding_form") or FundingForm(),
        )
        return context


class DeliverableEditView(DeliverableMixin, FormPageMixin, WorkplanView):
    template_name = "workplan/deliverable_form.html"

    def has_access(self):
        return super().has_access() and can_manage_workplan(self.request.user)

    def get_form(self, data=None):
        return DeliverableForm(data, instance=self.get_deliverable())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliverable"] = self.get_deliverable()
        context["workplan"] = self.get_deliverable().workplan
        return context

    def perform(self, form):
        deliverable = services.deliverable_update(
            deliverable=self.get_deliverable(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("The deliverable was saved."))
        return redirect(deliverable)


class ProgressUpdateView(DeliverableMixin, FormPageMixin, WorkplanView):
    """The lead agency's focal point or alternate, or a co-chair, posts progress."""

    template_name = "workplan/progress_form.html"

    def has_access(self):
        # The deliverable is looked up (404 if not visible) only for readers of the module.
        return super().has_access() and can_update_progress(
            self.request.user, self.get_deliverable()
        )

    def get_form(self, data=None):
        return ProgressUpdateForm(data, initial={"status_after": self.get_deliverable().status})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliverable"] = self.get_deliverable()
        return context

    def perform(self, form):
        deliverable = self.get_deliverable()
        services.deliverable_post_update(
            deliverable=deliverable,
            note=form.cleaned_data["note"],
            status=form.cleaned_data["status_after"],
            on=form.cleaned_data["date"],
            by=self.request.user,
        )
        messages.success(self.request, _("The progress update was posted."))
        return redirect(deliverable)


class FundingAddView(DeliverableMixin, FormPageMixin, WorkplanView):
    template_name = "workplan/funding_form.html"
    form_class = FundingForm

    def has_access(self):
        return super().has_access() and can_manage_workplan(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliverable"] = self.get_deliverable()
        return context

    def perform(self, form):
        deliverable = self.get_deliverable()
        services.funding_add(deliverable=deliverable, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("The funding was recorded."))
        return redirect(reverse("workplan:deliverable", args=[deliverable.pk]) + "#funding")


class FundingRemoveView(WorkplanView):
    capability = MANAGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        funding = get_object_or_404(
            Funding.objects.select_related("deliverable").filter(
                deliverable__in=Deliverable.objects.visible_to(request.user)
            ),
            pk=kwargs["pk"],
        )
        deliverable = services.funding_remove(funding=funding, by=request.user)
        messages.success(request, _("The funding line was removed."))
        return redirect(reverse("workplan:deliverable", args=[deliverable.pk]) + "#funding")
