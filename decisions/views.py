import json
import uuid

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core.errors import DomainError
from core.jobs import job_context
from core.models import Job, Network
from core.pagination import keyset_page
from core.submissions import OncePerFormMixin
from meetings.models import Meeting
from members.roles import CapabilityRequiredMixin, represented_organisation_ids

from . import exports, meeting_hooks, permissions, selectors, services
from .forms import (
    DecisionForm,
    ExtendForm,
    OpenForm,
    PositionForm,
    RegisterFilterForm,
    RevisionForm,
    WithdrawForm,
)
from .models import Decision, Stance

VIEW = "decisions.view_decisions"
DRAFT = "decisions.draft_decisions"
MANAGE = "decisions.manage_decisions"
RECORD = "decisions.record_positions"
ON_BEHALF = "decisions.record_position_on_behalf"

REGISTER_PAGE_SIZE = 25


class DecisionMixin(CapabilityRequiredMixin):
    """Looks the decision up among those the person may see: anything else is a 404."""

    def get_decision(self, **kwargs):
        return get_object_or_404(
            Decision.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_decision_for_page(self):
        """The decision with everything its page shows (selectors.decision_for_page), or 404."""
        try:
            return selectors.decision_for_page(
                Decision.objects.visible_to(self.request.user), self.kwargs["pk"]
            )
        except Decision.DoesNotExist as error:
            raise Http404 from error


def _register_filters(request):
    form = RegisterFilterForm(
        request.GET or None, years=selectors.register_years(), user=request.user
    )
    return form, form.filters() if request.GET else {}


class DecisionListView(CapabilityRequiredMixin, View):
    """The decision register: every decision, filtered and searched, a page at a time."""

    capability = VIEW

    def get(self, request):
        from .querysets import SEARCH_CANDIDATES
        from .views_register import meeting_choices

        form, filters = _register_filters(request)
        decisions = selectors.decision_register(request.user, **filters)
        page = keyset_page(
            request,
            decisions,
            ordering=selectors.register_ordering(filters.get("query", "")),
            per_page=REGISTER_PAGE_SIZE,
        )
        return render(
            request,
            "decisions/decision_list.html",
            {
                "form": form,
                "page_obj": page,
                "decisions": page.object_list,
                # A name typed that matched no meeting filters too (on an empty list).
                "filtered": any(value != "" for value in filters.values()),
                # Without a script, a name typed in the meeting field lists what it matched.
                "matched": meeting_choices(request.GET, form.meeting_text, form.matched_meetings)
                if form.matched_meetings is not None
                else None,
                "search_limit": SEARCH_CANDIDATES if filters.get("query") else None,
                "can_draft": permissions.can_draft_decision(request.user)
                or permissions.can_manage_decision(request.user),
            },
        )


class RegisterCsvView(CapabilityRequiredMixin, View):
    """The register as CSV, streamed: one query, a few hundred rows a piece, flat memory."""

    capability = VIEW

    def get(self, request):
        _form, filters = _register_filters(request)
        response = StreamingHttpResponse(
            exports.register_csv(request.user, filters), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="decision-register.csv"'
        return response


class RegisterExcelView(CapabilityRequiredMixin, View):
    """GET: the page that asks for the register as Excel; POST: a background job writes it.

    The filters travel in the query string, as on the register; the job keeps them (ids and
    choices only) and applies what the requester may see when it runs (core.jobs).
    """

    capability = VIEW

    def get(self, request):
        form, filters = _register_filters(request)
        latest = (
            Job.objects.filter(kind=exports.REGISTER_XLSX, requested_by=request.user)
            .select_related("result")
            .order_by("-created_at", "-pk")
            .first()
        )
        # The person's latest file is shown when it was asked for with these filters.
        if latest is not None and (latest.params or {}).get("filters") != _json_safe(filters):
            latest = None
        return render(
            request,
            "decisions/register_excel.html",
            {
                **(job_context(latest) if latest else {}),
                "chosen_filters": _chosen_filters(form),
                "query_string": request.GET.urlencode(),
                # One token per rendered form: a double click enqueues one job.
                "form_token": uuid.uuid4().hex,
            },
        )

    def post(self, request):
        _form, filters = _register_filters(request)
        token = request.POST.get("form_token", "")
        if not (token.isalnum() and len(token) == 32):
            token = uuid.uuid4().hex
        job = exports.register_xlsx_request(
            filters=_json_safe(filters), token=token, by=request.user
        )
        if request.htmx:
            return render(request, "core/_job_status.html", job_context(job))
        return redirect(job.get_absolute_url())


def _json_safe(filters):
    """The filters as a job keeps them (JSON): the same values, compared after a round trip."""
    return json.loads(json.dumps(filters, cls=DjangoJSONEncoder))


def _chosen_filters(form):
    """(label, value) of each filter the register applies, to say what the file will hold."""
    if not form.is_bound:
        return []
    form.is_valid()  # a bad value drops that filter only, as on the register
    data = getattr(form, "cleaned_data", {})
    chosen = []
    for name, field in form.fields.items():
        value = data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices") and not hasattr(field, "queryset"):
            value = dict(field.choices).get(value, dict(field.choices).get(str(value), value))
        chosen.append((field.label, str(value)))
    return chosen


def _page_context(request, decision):
    user = request.user
    tally = selectors.tally_of(decision)
    electorate_ids = [row.organisation.pk for row in tally.rows]
    mine_ids = set(permissions.my_electorate_agencies(user, decision, electorate_ids))
    my_rows = [row for row in tally.rows if row.organisation.pk in mine_ids]
    context = {
        "decision": decision,
        "tally": tally,
        "time_left": selectors.time_left(decision),
        "my_rows": my_rows,
        "can_manage": permissions.can_manage_decision(user),
        "can_edit": permissions.can_edit_decision(
            user, decision, has_positions=bool(decision.positions.all())
        ),
        "can_on_behalf": decision.is_open
        and permissions.can_record_position_on_behalf(user, decision),
        "can_revise": decision.is_closed
        and (permissions.can_draft_decision(user) or permissions.can_manage_decision(user)),
        "deadline_passed": decision.deadline is not None and decision.deadline <= timezone.now(),
    }
    if decision.is_open and my_rows and not context["deadline_passed"]:
        current = my_rows[0].position
        initial = (
            {"stance": current.stance, "reason": current.reason, "comment": current.comment}
            if current
            else {}
        )
        context["position_form"] = PositionForm(
            initial=initial, organisations=[row.organisation for row in my_rows]
        )
    if context["can_on_behalf"]:
        context["on_behalf_form"] = PositionForm(
            organisations=[row.organisation for row in tally.rows], prefix="behalf"
        )
    return context


class DecisionDetailView(DecisionMixin, View):
    capability = VIEW

    def get(self, request, pk):
        decision = self.get_decision_for_page()
        return render(request, "decisions/decision_detail.html", _page_context(request, decision))


class TallyView(DecisionMixin, View):
    """The live tally fragment the decision page polls."""

    capability = VIEW

    def get(self, request, pk):
        decision = self.get_decision_for_page()
        response = render(request, "decisions/_tally.html", _page_context(request, decision))
        if request.htmx and decision.is_closed:
            # The page was polling an open decision: reload it to show the outcome.
            response["HX-Refresh"] = "true"
        return response


class RecordView(DecisionMixin, View):
    """The printable record of a decision with every agency's position and the history."""

    capability = VIEW

    def get(self, request, pk):
        decision = self.get_decision_for_page()
        return render(request, "decisions/decision_record.html", _page_context(request, decision))


class DecisionCreateView(CapabilityRequiredMixin, OncePerFormMixin, View):
    capabilities = (DRAFT, MANAGE)

    def get(self, request):
        return self._render(DecisionForm(user=request.user))

    def post(self, request):
        form = DecisionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                decision = services.decision_create(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft decision is saved."))
                return redirect(decision)
        return self._render(form, status=400)

    def _render(self, form, status=200):
        return render(
            self.request,
            "decisions/decision_form.html",
            {"form": form, "heading": _("Draft a decision")},
            status=status,
        )


class DecisionEditView(DecisionMixin, View):
    """Edit a draft, or an open decision's text until the first position locks it."""

    capabilities = (DRAFT, MANAGE)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_access():
            decision = self.get_decision()
            if not permissions.can_edit_decision(
                request.user, decision, has_positions=decision.positions.exists()
            ):
                messages.error(
                    request, _("This decision can no longer be edited: its text is locked.")
                )
                return redirect(decision)
            self.decision = decision
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        locked = () if self.decision.status == "draft" else ("procedure", "deadline", "meeting")
        return DecisionForm(
            data,
            instance=Decision.objects.get(pk=self.decision.pk),
            user=self.request.user,
            locked_fields=locked,
        )

    def get(self, request, pk):
        return self._render(self._form())

    def post(self, request, pk):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            services.decision_update(decision=self.decision, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The decision is updated."))
        return redirect(self.decision)

    def _render(self, form, status=200):
        return render(
            self.request,
            "decisions/decision_form.html",
            {"form": form, "decision": self.decision, "heading": _("Edit the decision")},
            status=status,
        )


class ActionView(DecisionMixin, OncePerFormMixin, View):
    """A state change of one decision: GET shows the form, POST calls one service."""

    form_class = None
    template_name = "decisions/decision_action.html"
    heading = ""
    explanation = ""
    submit_label = ""
    button_class = "btn-primary"
    success_message = ""

    def get_form(self, decision, data=None):
        return self.form_class(data)

    def perform(self, decision, form):
        raise NotImplementedError

    def get(self, request, pk):
        decision = self.get_decision()
        return self._render(decision, self.get_form(decision))

    def post(self, request, pk):
        decision = self.get_decision()
        form = self.get_form(decision, request.POST)
        if not form.is_valid():
            return self._render(decision, form, status=400)
        try:
            result = self.perform(decision, form)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(decision)
        messages.success(request, self.success_message)
        return redirect(result if isinstance(result, Decision) else decision)

    def extra_context(self, decision):
        return {}

    def _render(self, decision, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "decision": decision,
                "form": form,
                "heading": self.heading,
                "explanation": self.explanation,
                "submit_label": self.submit_label,
                "button_class": self.button_class,
                **self.extra_context(decision),
            },
            status=status,
        )


class OpenView(ActionView):
    capability = MANAGE
    form_class = OpenForm
    heading = gettext_lazy("Open the decision")
    explanation = gettext_lazy(
        "Opening gives the decision its reference number, fixes the electorate (the member "
        "agencies with voting rights now) and emails every focal point and alternate."
    )
    submit_label = gettext_lazy("Open for positions")
    success_message = gettext_lazy("The decision is open.")

    def get(self, request, pk):
        decision = self.get_decision()
        if decision.status != Decision.Status.DRAFT:
            messages.info(request, _("Only a draft can be opened."))
            return redirect(decision)
        return super().get(request, pk)

    def get_form(self, decision, data=None):
        initial = {"deadline": timezone.localtime(decision.deadline)} if decision.deadline else {}
        return OpenForm(data, initial=initial)

    def extra_context(self, decision):
        # The network's minimum notice, said before the co-chair picks a deadline.
        network = Network.objects.get_current()
        if decision.procedure == Decision.Procedure.SILENCE:
            count = network.silence_notice_working_days
            notice = ngettext(
                "A silence procedure gives agencies at least %(count)s working day.",
                "A silence procedure gives agencies at least %(count)s working days.",
                count,
            )
        elif decision.procedure == Decision.Procedure.WRITTEN:
            count = network.decision_notice_days
            notice = ngettext(
                "A written procedure gives agencies at least %(count)s day.",
                "A written procedure gives agencies at least %(count)s days.",
                count,
            )
        else:
            return {}
        return {"notice": notice % {"count": count}}

    def perform(self, decision, form):
        return services.decision_open(
            decision=decision, by=self.request.user, deadline=form.cleaned_data["deadline"]
        )


class _EmptyForm(OpenForm):
    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields.clear()


class CloseView(ActionView):
    capability = MANAGE
    form_class = _EmptyForm
    heading = gettext_lazy("Close the decision")
    explanation = gettext_lazy(
        "Closing applies the full-consensus rule and announces the outcome; nothing can change "
        "afterwards."
    )
    submit_label = gettext_lazy("Close and record the outcome")

    def extra_context(self, decision):
        # The outcome closing would record, from the rule itself (decisions/rules.py).
        return {"projected": selectors.projected_outcome(decision)}

    success_message = gettext_lazy("The decision is closed.")

    def get(self, request, pk):
        # Before the deadline a co-chair may close only once every agency has a position.
        decision = self.get_decision()
        if not decision.is_open:
            messages.info(request, _("This decision is already closed."))
            return redirect(decision)
        missing = selectors.unanswered_agency_ids(decision)
        if missing and not (decision.deadline and decision.deadline <= timezone.now()):
            messages.info(
                request,
                _("Not every agency has a position yet: the decision closes at its deadline."),
            )
            return redirect(decision)
        return super().get(request, pk)

    def perform(self, decision, form):
        return services.decision_close(decision=decision, by=self.request.user)


class WithdrawView(ActionView):
    capability = MANAGE
    form_class = WithdrawForm
    heading = gettext_lazy("Withdraw the decision")
    explanation = gettext_lazy(
        "Nothing is decided. To change the text of a decision on which positions were taken, "
        "withdraw it and draft a revision."
    )
    submit_label = gettext_lazy("Withdraw")
    button_class = "btn-danger"
    success_message = gettext_lazy("The decision is withdrawn.")

    def perform(self, decision, form):
        return services.decision_withdraw(
            decision=decision, reason=form.cleaned_data["reason"], by=self.request.user
        )


class ExtendView(ActionView):
    capability = MANAGE
    form_class = ExtendForm
    heading = gettext_lazy("Extend the deadline")
    explanation = gettext_lazy("The new deadline and the reason are shown to everyone.")
    submit_label = gettext_lazy("Extend")
    success_message = gettext_lazy("The deadline is extended.")

    def get_form(self, decision, data=None):
        return ExtendForm(data, decision=decision)

    def perform(self, decision, form):
        return services.decision_extend_deadline(
            decision=decision,
            new_deadline=form.cleaned_data["new_deadline"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )


class ReviseView(ActionView):
    capabilities = (DRAFT, MANAGE)
    form_class = RevisionForm
    template_name = "decisions/decision_form.html"
    heading = gettext_lazy("Draft a revised decision")
    success_message = gettext_lazy(
        "The revised draft is saved; it links to the decision it replaces."
    )

    def get_form(self, decision, data=None):
        initial = {
            "title": decision.title,
            "text": decision.text,
            "rationale": decision.rationale,
            "proposing_organisation": decision.proposing_organisation_id,
            "procedure": decision.procedure,
        }
        return RevisionForm(data, initial=initial)

    def perform(self, decision, form):
        return services.decision_revise(
            decision=decision, by=self.request.user, **form.cleaned_data
        )


class RemindView(DecisionMixin, OncePerFormMixin, View):
    """A co-chair reminds the agencies without a position (POST only; rate-limited)."""

    capability = MANAGE
    http_method_names = ["post"]

    def post(self, request, pk):
        decision = self.get_decision()
        try:
            reminded = services.decision_remind_unanswered(decision=decision, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "A reminder is on its way to %(count)s agency: %(agencies)s.",
                    "A reminder is on its way to %(count)s agencies: %(agencies)s.",
                    len(reminded),
                )
                % {"count": len(reminded), "agencies": ", ".join(reminded)},
            )
        return redirect(decision)


class PositionView(DecisionMixin, OncePerFormMixin, View):
    """My agency's position (POST only; the form is on the decision page)."""

    capability = RECORD
    on_behalf = False

    def post(self, request, pk):
        decision = self.get_decision()
        electorate = list(decision.electorate.select_related("organisation"))
        if self.on_behalf:
            if not permissions.can_record_position_on_behalf(request.user, decision):
                messages.error(
                    request, _("Positions on an agency's behalf are recorded at a meeting only.")
                )
                return redirect(decision)
            organisations = [member.organisation for member in electorate]
            prefix = "behalf"
        else:
            mine = represented_organisation_ids(request.user)
            organisations = [m.organisation for m in electorate if m.organisation_id in mine]
            prefix = None
        if not organisations:
            messages.error(request, _("Your agency is not in the electorate of this decision."))
            return redirect(decision)
        form = PositionForm(request.POST, organisations=organisations, prefix=prefix)
        if not form.is_valid():
            return self._render_invalid(form)
        data = form.cleaned_data
        try:
            services.position_record(
                decision=decision,
                organisation=data["organisation"],
                stance=data["stance"],
                reason=data["reason"],
                comment=data["comment"],
                on_behalf=self.on_behalf,
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The position is recorded."))
        return redirect(decision)

    def _render_invalid(self, form):
        """The decision page again, the form keeping what was typed and showing its errors."""
        decision = self.get_decision_for_page()
        context = _page_context(self.request, decision)
        key = "on_behalf_form" if self.on_behalf else "position_form"
        if key not in context:
            # The deadline passed or the decision closed meanwhile: nothing to correct.
            for errors in form.errors.values():
                for error in errors:
                    messages.error(self.request, error)
            return redirect(decision)
        context[key] = form
        for field in form.hidden_fields():
            for error in field.errors:
                messages.error(self.request, error)
        return render(self.request, "decisions/decision_detail.html", context, status=400)


class PositionOnBehalfView(PositionView):
    capability = ON_BEHALF
    on_behalf = True


class MeetingPositionsView(OncePerFormMixin, CapabilityRequiredMixin, View):
    """The meeting day's positions table: a co-chair records what the agencies present stated.

    Embedded in the meeting-day page (through the decisions meeting hook); posts here, records
    every position in one transaction, and goes back to that page (htmx: the table alone).
    """

    capability = ON_BEHALF
    http_method_names = ["post"]

    def load_objects(self):
        self.meeting = get_object_or_404(
            Meeting.objects.visible_to(self.request.user), pk=self.kwargs["meeting"]
        )

    def entries(self):
        data = self.request.POST
        valid = {value for value, _label in Stance.choices}
        tables = selectors.meeting_day_positions(self.meeting)["tables"]
        entries = []
        for table in tables:
            decision = table["decision"]
            for row in table["rows"]:
                key = f"{decision.pk}-{row['organisation'].pk}"
                stance = data.get(f"stance-{key}", "")
                if not stance:
                    continue
                if stance not in valid:
                    raise DomainError(_("Choose concur, stand aside or object."))
                reason = data.get(f"reason-{key}", "")
                position = row["position"]
                if position and (position.stance, position.reason) == (stance, reason.strip()):
                    continue
                entries.append(
                    {
                        "decision": decision,
                        "organisation": row["organisation"].pk,
                        "label": row["organisation"].acronym,
                        "stance": stance,
                        "reason": reason,
                    }
                )
        return entries

    def post(self, request, *args, **kwargs):
        error, message = "", ""
        try:
            recorded = services.positions_record_at_meeting(
                meeting=self.meeting, entries=self.entries(), by=request.user
            )
        except DomainError as exc:
            error = exc.message
        else:
            message = ngettext(
                "%(count)d position recorded at this meeting.",
                "%(count)d positions recorded at this meeting.",
                len(recorded),
            ) % {"count": len(recorded)}
        # A double click records once: positions already equal to the ones sent are skipped
        # (entries()), and the form's token covers two POSTs racing each other (issue 12 §3).
        self.submission_done = not error
        self.submission_target = reverse("meetings:day", args=[self.meeting.pk]) + "#positions"
        if request.htmx:
            panel = meeting_hooks.meeting_day(
                self.meeting, request.user, section_error=error, section_message=message
            )
            return render(request, panel.template_name, {"panel": panel})
        if error:
            messages.error(request, error)
        else:
            messages.success(request, message)
        return redirect(reverse("meetings:day", args=[self.meeting.pk]) + "#positions")
