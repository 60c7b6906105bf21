import csv
import tempfile

from django.contrib import messages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core.errors import DomainError
from core.models import Network
from core.pagination import keyset_page
from core.submissions import OncePerFormMixin
from meetings.models import Meeting
from members.roles import CapabilityRequiredMixin, represented_organisation_ids

from . import meeting_hooks, permissions, selectors, services
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


EXPORT_HEADERS = [
    gettext_lazy("Reference"),
    gettext_lazy("Title"),
    gettext_lazy("Status"),
    gettext_lazy("Procedure"),
    gettext_lazy("Proposed by"),
    gettext_lazy("Meeting"),
    gettext_lazy("Opened"),
    gettext_lazy("Deadline"),
    gettext_lazy("Closed"),
    gettext_lazy("Electorate"),
    gettext_lazy("Concur"),
    gettext_lazy("Stand aside"),
    gettext_lazy("Object"),
    gettext_lazy("Objections"),
    gettext_lazy("No position"),
    gettext_lazy("Counted as concurring (silence)"),
    gettext_lazy("Text"),
]


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _export_rows(request):
    _form, filters = _register_filters(request)
    # In chunks from a server-side cursor: the export never holds the register in memory.
    decisions = selectors.decision_register(request.user, **filters).prefetch_related(
        *selectors.open_decision_inputs()
    )
    for decision in decisions.iterator(chunk_size=500):
        # The same outcome as the page: stored at closing; for an open decision, the rule applied
        # to the positions so far (who has not responded, whatever the procedure).
        outcome = decision.outcome or {}
        if decision.status == Decision.Status.OPEN:
            projected = selectors.projected_outcome(decision)
            outcome = {
                **projected.as_dict(),
                "not_responded": [*projected.not_responded, *projected.silent],
                "silent": [],
            }
        objections = "; ".join(
            f"{item['agency']}: {item['reason']}" for item in outcome.get("objecting", [])
        )
        yield [
            decision.reference,
            decision.title,
            decision.get_status_display(),
            decision.get_procedure_display(),
            str(decision.proposing_organisation or ""),
            str(decision.meeting or ""),
            _local(decision.opened_at),
            _local(decision.deadline),
            _local(decision.closed_at),
            decision.electorate_count,
            decision.concur_count,
            decision.stand_aside_count,
            decision.object_count,
            objections,
            ", ".join(outcome.get("not_responded", [])),
            ", ".join(outcome.get("silent", [])),
            decision.text,
        ]


def _csv_safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


class _Line:
    """A file-like object whose write returns the line: csv.writer then yields lines to stream."""

    def write(self, value):
        return value


class RegisterCsvView(CapabilityRequiredMixin, View):
    """The register as CSV, streamed row by row: a decade of decisions in flat memory."""

    capability = VIEW

    def get(self, request):
        writer = csv.writer(_Line())

        def lines():
            yield "\ufeff"  # Excel reads UTF-8 only with the byte-order mark
            yield writer.writerow([str(header) for header in EXPORT_HEADERS])
            for row in _export_rows(request):
                yield writer.writerow([_csv_safe(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="decision-register.csv"'
        return response


class RegisterExcelView(CapabilityRequiredMixin, View):
    capability = VIEW

    def get(self, request):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        # Write-only: rows go to a temporary file as they come from the server-side cursor, so
        # the whole register (tens of thousands of decisions) is never held in memory.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Decisions")[:31])
        sheet.freeze_panes = "A2"
        for column, width in zip("ABCDEFGHIJKLMNOPQ", (18, 50, 14, 20, 14, 30), strict=False):
            sheet.column_dimensions[column].width = width
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")

        def cell(value, **style):
            written = WriteOnlyCell(sheet, value=value)
            for name, setting in style.items():
                setattr(written, name, setting)
            return written

        sheet.append([cell(str(header), font=bold) for header in EXPORT_HEADERS])
        for row in _export_rows(request):
            values = [_csv_safe(value) for value in row]
            values[1] = cell(values[1], alignment=wrap)
            sheet.append(values)
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        workbook.save(spool)
        spool.seek(0)
        response = FileResponse(
            spool,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="decision-register.xlsx"'
        return response


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
