"""Pages of the meetings module: thin views over selectors and services (docs/ARCHITECTURE.md)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.errors import DomainError
from core.files import file_response, may_download
from core.pagination import keyset_page
from core.submissions import OncePerFormMixin
from members.roles import CapabilityRequiredMixin, has_capability

from . import forms, permissions, selectors
from .ics import FEED_END, feed_head, meeting_ics
from .models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    CalendarToken,
    Document,
    Meeting,
    Minutes,
    Participant,
)
from .notifications import portal_url
from .pdf import agenda_pdf, minutes_pdf
from .services import actions as action_services
from .services import agenda as agenda_services
from .services import documents as document_services
from .services import meetings as meeting_services
from .services import minutes as minutes_services
from .services import participation

PAGE_SIZE = 25


class MeetingMixin(CapabilityRequiredMixin):
    """The meeting is looked up inside `visible_to(user)`: a meeting you may not see is a 404."""

    meeting_kwarg = "pk"

    def load_objects(self):
        self.meeting = get_object_or_404(
            Meeting.objects.visible_to(self.request.user), pk=self.kwargs[self.meeting_kwarg]
        )

    def has_access(self):
        return True

    def get_success_url(self):
        return self.meeting.get_absolute_url()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("meeting", self.meeting)
        return super().get_context_data(**kwargs)


class ManageMeetingMixin(MeetingMixin):
    def has_access(self):
        return permissions.can_manage_meetings(self.request.user)


class AgendaItemMixin(ManageMeetingMixin):
    def load_objects(self):
        super().load_objects()
        # Refuse before looking the item up: a wrong role learns nothing about item ids.
        if not self.has_access():
            raise PermissionDenied
        self.item = get_object_or_404(self.meeting.agenda_items, pk=self.kwargs["item"])


class ServiceFormView(OncePerFormMixin, FormView):
    """POST → form → one service call; a DomainError becomes a form error."""

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class ActionView(OncePerFormMixin, View):
    """A POST-only state change: one service call, a message, back to the page."""

    http_method_names = ["post"]
    success_message = ""

    def perform(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            self.perform()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return redirect(self.get_success_url())


# --- Meetings ------------------------------------------------------------------------------


class MeetingListView(CapabilityRequiredMixin, TemplateView):
    template_name = "meetings/meeting_list.html"

    def has_access(self):
        return permissions.can_open_meetings(self.request.user)

    def get_context_data(self, **kwargs):
        when = self.request.GET.get("when", "upcoming")
        if when not in ("upcoming", "past", "all"):
            when = "upcoming"
        meetings = selectors.meeting_list(self.request.user, when=when)
        page = keyset_page(
            self.request,
            meetings,
            ordering=selectors.meeting_list_ordering(when),
            per_page=PAGE_SIZE,
            count=False,
        )
        return super().get_context_data(
            page_obj=page,
            meetings=page.object_list,
            when=when,
            can_manage=permissions.can_manage_meetings(self.request.user),
            can_see_actions=has_capability(self.request.user, permissions.VIEW_ALL),
            **kwargs,
        )


class MeetingCreateView(CapabilityRequiredMixin, ServiceFormView):
    template_name = "meetings/meeting_form.html"
    form_class = forms.MeetingForm

    def has_access(self):
        return permissions.can_manage_meetings(self.request.user)

    def perform(self, form):
        return meeting_services.meeting_create(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, _("The meeting is saved as a draft."))
        return self.result.get_absolute_url()


class MeetingGenerateView(CapabilityRequiredMixin, ServiceFormView):
    template_name = "meetings/meeting_generate.html"
    form_class = forms.GenerateYearForm
    success_message = ""

    def has_access(self):
        return permissions.can_manage_meetings(self.request.user)

    def perform(self, form):
        return meeting_services.meeting_generate_year(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        messages.success(
            self.request,
            _("%(count)d draft meetings created: adjust any date, then schedule them.")
            % {"count": len(self.result)},
        )
        return reverse("meetings:list")


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting = self.meeting
        items = list(selectors.agenda(meeting))
        participant = meeting.participants.filter(person=user).first()
        can_manage = permissions.can_manage_meetings(user)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        # Guests see the agenda, documents and their answer; the network's internal follow-up
        # (proposals, action points) is for members.
        is_network_member = has_capability(user, permissions.VIEW_ALL)
        context = {
            "is_network_member": is_network_member,
            # Carried-over items link to decisions, which guests cannot open.
            "show_source_links": is_network_member,
            "agenda_items": [i for i in items if i.status == AgendaItem.Status.ACCEPTED],
            "proposals": [i for i in items if i.status == AgendaItem.Status.PROPOSED],
            "declined": [i for i in items if i.status == AgendaItem.Status.DECLINED],
            "agenda_minutes": sum(
                i.minutes_allotted for i in items if i.status == AgendaItem.Status.ACCEPTED
            ),
            "participant": participant,
            "can_manage": can_manage,
            "can_propose": permissions.can_propose_agenda_item(user, meeting),
            "can_rsvp": permissions.can_rsvp(user, meeting, participant),
            "rsvp_form": forms.RsvpForm(),
            "documents": meeting.documents.select_related("agenda_item", "stored_file").order_by(
                "title"
            ),
            "action_points": meeting.action_points.select_related(
                "owner_organisation", "owner_person"
            ).order_by("pk"),
            "minutes": minutes if permissions.can_see_minutes(user, minutes) else None,
            "agenda_open": meeting.status in (Meeting.Status.DRAFT, Meeting.Status.SCHEDULED),
            "attendance_open": meeting.status != Meeting.Status.CANCELLED
            and meeting.starts_at <= timezone.now(),
        }
        if can_manage:
            context["rsvp"] = selectors.rsvp_table(meeting)
            context["guests"] = meeting.participants.filter(
                kind=Participant.Kind.GUEST
            ).select_related("person", "organisation")
            context["carryover_count"] = (
                agenda_services.carryover_pending_count(meeting) if context["agenda_open"] else 0
            )
        return super().get_context_data(**context, **kwargs)


class MeetingUpdateView(ManageMeetingMixin, ServiceFormView):
    template_name = "meetings/meeting_form.html"
    form_class = forms.MeetingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def perform(self, form):
        changes = {field: form.cleaned_data[field] for field in meeting_services.EDITABLE_FIELDS}
        # The form edits a copy; the service reloads and locks the row.
        self.meeting.refresh_from_db()
        return meeting_services.meeting_update(
            meeting=self.meeting, by=self.request.user, **changes
        )

    def get_success_url(self):
        messages.success(self.request, _("The meeting is updated."))
        return self.meeting.get_absolute_url()


class MeetingScheduleView(ManageMeetingMixin, ActionView):
    def perform(self):
        meeting_services.meeting_schedule(meeting=self.meeting, by=self.request.user)
        messages.success(
            self.request, _("The meeting is scheduled; member agencies have been invited.")
        )


class MeetingHeldView(ManageMeetingMixin, ActionView):
    success_message = ""

    def perform(self):
        recorded_afterwards = self.meeting.status == Meeting.Status.DRAFT
        meeting_services.meeting_mark_held(meeting=self.meeting, by=self.request.user)
        if recorded_afterwards:
            messages.success(
                self.request,
                _("The meeting is recorded as held; take the attendance and write the minutes."),
            )
        else:
            messages.success(self.request, _("The meeting is marked as held."))


class MeetingDeleteView(ManageMeetingMixin, ActionView):
    """A draft that will never take place (a wrong date, a past year) can be deleted."""

    deleted = False

    def perform(self):
        meeting_services.meeting_delete(meeting=self.meeting, by=self.request.user)
        self.deleted = True
        messages.success(self.request, _("The draft meeting is deleted."))

    def get_success_url(self):
        return reverse("meetings:list") if self.deleted else self.meeting.get_absolute_url()


class MeetingCancelView(ManageMeetingMixin, ServiceFormView):
    template_name = "meetings/meeting_confirm_cancel.html"
    form_class = forms.CancelForm

    def perform(self, form):
        return meeting_services.meeting_cancel(
            meeting=self.meeting, reason=form.cleaned_data["reason"], by=self.request.user
        )

    def get_success_url(self):
        messages.success(self.request, _("The meeting is cancelled; participants were told."))
        return self.meeting.get_absolute_url()


class MeetingIcsView(MeetingMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            meeting_ics(self.meeting, base_url=portal_url()), content_type="text/calendar"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{slugify(self.meeting.title) or 'meeting'}.ics"
        )
        return response


# --- Agenda --------------------------------------------------------------------------------


class CallForItemsView(ManageMeetingMixin, ServiceFormView):
    template_name = "meetings/call_for_items_form.html"
    form_class = forms.CallForItemsForm
    success_message = ""

    def perform(self, form):
        agenda_services.meeting_call_for_agenda_items(
            meeting=self.meeting, cutoff=form.cleaned_data["cutoff"], by=self.request.user
        )
        messages.success(self.request, _("The call for agenda items has been sent."))


class AgendaItemAddView(ManageMeetingMixin, ServiceFormView):
    template_name = "meetings/agendaitem_form.html"
    form_class = forms.AgendaItemForm

    def perform(self, form):
        agenda_services.agenda_item_add(
            meeting=self.meeting, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("The item is on the agenda."))


class AgendaItemProposeView(MeetingMixin, ServiceFormView):
    template_name = "meetings/agendaitem_form.html"
    form_class = forms.AgendaItemForm

    def has_access(self):
        return has_capability(self.request.user, permissions.PROPOSE)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            proposing=True,
            proposals_open=permissions.can_propose_agenda_item(self.request.user, self.meeting),
            **kwargs,
        )

    def perform(self, form):
        agenda_services.agenda_item_propose(
            meeting=self.meeting, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Your proposal is sent to the co-chairs."))


class AgendaItemEditView(AgendaItemMixin, ServiceFormView):
    template_name = "meetings/agendaitem_form.html"
    form_class = forms.AgendaItemForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item}

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)

    def perform(self, form):
        changes = {field: form.cleaned_data[field] for field in agenda_services.ITEM_FIELDS}
        self.item.refresh_from_db()
        agenda_services.agenda_item_update(item=self.item, by=self.request.user, **changes)
        messages.success(self.request, _("The agenda item is updated."))


class AgendaItemAcceptView(AgendaItemMixin, ActionView):
    success_message = ""

    def perform(self):
        agenda_services.agenda_item_accept(item=self.item, by=self.request.user)
        messages.success(self.request, _("The proposal is on the agenda."))


class AgendaItemDeclineView(AgendaItemMixin, ActionView):
    def perform(self):
        form = forms.DeclineForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        agenda_services.agenda_item_decline(item=self.item, reason=reason, by=self.request.user)
        messages.success(self.request, _("The proposal is declined."))


class AgendaItemDeleteView(AgendaItemMixin, ActionView):
    def perform(self):
        agenda_services.agenda_item_delete(item=self.item, by=self.request.user)
        messages.success(self.request, _("The item is removed from the agenda."))


class AgendaItemMoveView(AgendaItemMixin, View):
    """Up/down; an htmx request gets the agenda fragment back, others a redirect."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            agenda_services.agenda_item_move(
                item=self.item, direction=request.POST.get("direction", ""), by=request.user
            )
        except DomainError as error:
            if not request.htmx:
                messages.error(request, error.message)
        if request.htmx:
            items = [
                i for i in selectors.agenda(self.meeting) if i.status == AgendaItem.Status.ACCEPTED
            ]
            return TemplateResponse(
                request,
                "meetings/_agenda.html",
                {
                    "meeting": self.meeting,
                    "agenda_items": items,
                    "agenda_minutes": sum(i.minutes_allotted for i in items),
                    "can_manage": True,
                    "agenda_open": True,
                    "show_source_links": True,
                },
            )
        return redirect(self.meeting.get_absolute_url() + "#agenda")


class CarryOverView(ManageMeetingMixin, ActionView):
    def perform(self):
        added = agenda_services.agenda_carry_over(meeting=self.meeting, by=self.request.user)
        messages.success(
            self.request,
            _("%(count)d open items carried into the agenda.") % {"count": len(added)},
        )


class CirculateAgendaView(ManageMeetingMixin, ActionView):
    def perform(self):
        agenda_services.agenda_circulate(meeting=self.meeting, by=self.request.user)
        messages.success(
            self.request,
            _("The agenda is being sent to the participants, with its PDF, in the background."),
        )


class AgendaPrintView(MeetingMixin, TemplateView):
    template_name = "meetings/agenda_print.html"

    def get_context_data(self, **kwargs):
        items = [
            i for i in selectors.agenda(self.meeting) if i.status == AgendaItem.Status.ACCEPTED
        ]
        return super().get_context_data(items=items, **kwargs)


class AgendaPdfView(MeetingMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(agenda_pdf(self.meeting), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, f"agenda-{slugify(self.meeting.title) or self.meeting.pk}.pdf"
        )
        return response


# --- Participants and answers --------------------------------------------------------------


class GuestAddView(ManageMeetingMixin, ServiceFormView):
    template_name = "meetings/guest_form.html"
    form_class = forms.GuestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def perform(self, form):
        participation.participant_add_guest(
            meeting=self.meeting,
            person=form.cleaned_data["person"],
            role_note=form.cleaned_data["role_note"],
            by=self.request.user,
        )
        messages.success(self.request, _("The guest is invited."))


class GuestRemoveView(ManageMeetingMixin, ActionView):
    def perform(self):
        participant = get_object_or_404(
            self.meeting.participants, pk=self.kwargs["participant"], kind=Participant.Kind.GUEST
        )
        participation.participant_remove_guest(participant=participant, by=self.request.user)
        messages.success(self.request, _("The guest is no longer invited."))


class RsvpView(MeetingMixin, View):
    """A participant answers; htmx gets the answer box back."""

    http_method_names = ["post"]

    def has_access(self):
        self.participant = self.meeting.participants.filter(person=self.request.user).first()
        return self.participant is not None

    def post(self, request, *args, **kwargs):
        form = forms.RsvpForm(request.POST)
        error = None
        if form.is_valid():
            try:
                self.participant = participation.rsvp_set(
                    meeting=self.meeting,
                    person=request.user,
                    response=form.cleaned_data["response"],
                    by=request.user,
                )
            except DomainError as exc:
                error = exc.message
        else:
            error = _("Choose attending, not attending or alternate attends.")
        if request.htmx:
            return TemplateResponse(
                request,
                "meetings/_my_rsvp.html",
                {
                    "meeting": self.meeting,
                    "participant": self.participant,
                    "can_rsvp": permissions.can_rsvp(request.user, self.meeting, self.participant),
                    "rsvp_error": error,
                    "rsvp_saved": error is None,
                },
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Your answer is saved."))
        return redirect(self.meeting.get_absolute_url())


class RsvpTableView(ManageMeetingMixin, TemplateView):
    """The live table of answers per agency (htmx polls it)."""

    template_name = "meetings/_rsvp_table.html"

    def get(self, request, *args, **kwargs):
        # The fragment is for htmx; a person opening the address gets the meeting page instead.
        if not request.htmx:
            return redirect(self.meeting.get_absolute_url() + "#rsvp-table")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(rsvp=selectors.rsvp_table(self.meeting), **kwargs)


# --- Attendance ----------------------------------------------------------------------------


class AttendanceView(ManageMeetingMixin, ServiceFormView):
    template_name = "meetings/attendance.html"
    form_class = forms.AttendanceForm

    def get_initial(self):
        return {"capacity": Attendance.Capacity.FOCAL_POINT}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **selectors.attendance_by_agency(self.meeting),
            attendance_open=self.meeting.status != Meeting.Status.CANCELLED
            and self.meeting.starts_at <= timezone.now(),
            **kwargs,
        )

    def perform(self, form):
        data = form.cleaned_data
        attendance = participation.attendance_record(
            meeting=self.meeting,
            person=data.get("person"),
            name=data.get("name", ""),
            organisation=data.get("organisation"),
            capacity=data["capacity"],
            by=self.request.user,
        )
        messages.success(self.request, _("%(name)s is recorded as present.") % {"name": attendance})

    def get_success_url(self):
        return reverse("meetings:attendance", args=[self.meeting.pk])


class AttendanceRemoveView(ManageMeetingMixin, ActionView):
    def perform(self):
        attendance = get_object_or_404(self.meeting.attendance, pk=self.kwargs["attendance"])
        participation.attendance_remove(attendance=attendance, by=self.request.user)

    def get_success_url(self):
        return reverse("meetings:attendance", args=[self.meeting.pk])


# --- Minutes -------------------------------------------------------------------------------


class MinutesMixin(MeetingMixin):
    def load_objects(self):
        super().load_objects()
        self.minutes = Minutes.objects.filter(meeting=self.meeting).first()

    def get_success_url(self):
        return reverse("meetings:minutes", args=[self.meeting.pk])


class ManageMinutesMixin(MinutesMixin):
    def has_access(self):
        return permissions.can_manage_meetings(self.request.user)

    def load_objects(self):
        super().load_objects()
        if self.minutes is None and not self.creates_minutes:
            raise Http404

    creates_minutes = False


class MinutesView(MinutesMixin, TemplateView):
    template_name = "meetings/minutes_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        minutes = self.minutes if permissions.can_see_minutes(user, self.minutes) else None
        context = {
            "minutes": minutes,
            "can_manage": permissions.can_manage_meetings(user),
            "can_edit": minutes is not None and permissions.can_edit_minutes(user, minutes),
            "can_comment": permissions.can_comment_on_minutes(user, minutes),
            "comments": minutes.comments.select_related("author") if minutes else [],
            "comment_form": forms.CommentForm(),
        }
        if context["can_manage"] and minutes and not minutes.is_approved:
            context["circulate_form"] = forms.CirculateMinutesForm(
                initial={"comment_deadline": timezone.localdate() + timedelta(days=10)}
            )
            early = minutes_services.comment_period_open(minutes)
            context["approve_form"] = forms.ApproveMinutesForm(
                meeting=self.meeting,
                comment_period_open=early,
                initial={"approved_on": timezone.localdate()},
            )
            context["comment_period_open"] = early
            context["commenters"] = minutes_services.commenters(minutes) if early else []
        return super().get_context_data(**context, **kwargs)


class MinutesDraftView(ManageMinutesMixin, ActionView):
    creates_minutes = True

    def perform(self):
        minutes_services.minutes_draft(meeting=self.meeting, by=self.request.user)
        messages.success(self.request, _("The minutes are drafted from the meeting record."))

    def get_success_url(self):
        if Minutes.objects.filter(meeting=self.meeting).exists():
            return reverse("meetings:minutes_edit", args=[self.meeting.pk])
        return self.meeting.get_absolute_url()


class MinutesEditView(ManageMinutesMixin, ServiceFormView):
    template_name = "meetings/minutes_form.html"
    form_class = forms.MinutesForm

    def has_access(self):
        return super().has_access() and not self.minutes.is_approved

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.minutes}

    def perform(self, form):
        minutes_services.minutes_update(
            minutes=self.minutes, body=form.cleaned_data["body"], by=self.request.user
        )
        messages.success(self.request, _("The minutes are saved."))


class MinutesCirculateView(ManageMinutesMixin, ActionView):
    def perform(self):
        form = forms.CirculateMinutesForm(self.request.POST)
        if not form.is_valid():
            raise DomainError(_("Give a valid deadline for comments."))
        minutes_services.minutes_circulate(
            minutes=self.minutes,
            comment_deadline=form.cleaned_data["comment_deadline"],
            by=self.request.user,
        )
        messages.success(self.request, _("The minutes are circulated for comment."))


class MinutesApproveView(ManageMinutesMixin, ActionView):
    def perform(self):
        form = forms.ApproveMinutesForm(
            self.request.POST,
            meeting=self.meeting,
            comment_period_open=minutes_services.comment_period_open(self.minutes),
        )
        if not form.is_valid():
            raise DomainError(
                " ".join(str(e) for errors in form.errors.values() for e in errors)
                or _("Check the approval details.")
            )
        data = form.cleaned_data
        minutes_services.minutes_approve(
            minutes=self.minutes,
            approved_on=data["approved_on"],
            method=data["method"],
            approved_at_meeting=data.get("approved_at_meeting"),
            before_comments_close=data.get("before_comments_close", False),
            by=self.request.user,
        )
        messages.success(self.request, _("The minutes are approved and now read-only."))


class MinutesCommentView(MinutesMixin, ActionView):
    def has_access(self):
        return permissions.can_comment_on_minutes(self.request.user, self.minutes)

    def perform(self):
        form = forms.CommentForm(self.request.POST)
        if not form.is_valid():
            raise DomainError(_("Write a comment of at most 5000 characters."))
        minutes_services.minutes_comment_add(
            minutes=self.minutes, body=form.cleaned_data["body"], by=self.request.user
        )
        messages.success(self.request, _("Your comment is recorded."))


class MinutesPdfView(MinutesMixin, View):
    def has_access(self):
        return permissions.can_see_minutes(self.request.user, self.minutes)

    def get(self, request, *args, **kwargs):
        response = HttpResponse(minutes_pdf(self.minutes), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, f"minutes-{slugify(self.meeting.title) or self.meeting.pk}.pdf"
        )
        return response


# --- Documents -----------------------------------------------------------------------------


class DocumentUploadView(ManageMeetingMixin, ServiceFormView):
    # Its body may be MAX_UPLOAD_SIZE larger (core.middleware.RequestBodyLimitMiddleware).
    accepts_uploads = True
    template_name = "meetings/document_form.html"
    form_class = forms.DocumentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(max_upload_size=settings.MAX_UPLOAD_SIZE, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        document_services.document_upload(
            meeting=self.meeting,
            upload=data["file"],
            title=data["title"],
            agenda_item=data.get("agenda_item"),
            by=self.request.user,
        )
        messages.success(self.request, _("The document is uploaded."))


class DocumentDownloadView(CapabilityRequiredMixin, View):
    """Only people who may see the meeting may download: the lookup is in visible_to(user)."""

    def load_objects(self):
        self.document = get_object_or_404(
            Document.objects.visible_to(self.request.user).select_related("stored_file"),
            pk=self.kwargs["pk"],
        )

    def has_access(self):
        return True

    def get(self, request, *args, **kwargs):
        # The same way out as core:file_download, with the same check meetings registered there.
        stored = self.document.stored_file
        if not may_download(request.user, stored):
            raise Http404
        return file_response(stored)


class DocumentDeleteView(ManageMeetingMixin, ActionView):
    def perform(self):
        document = get_object_or_404(self.meeting.documents, pk=self.kwargs["document"])
        document_services.document_delete(document=document, by=self.request.user)
        messages.success(self.request, _("The document is deleted."))


# --- Action points -------------------------------------------------------------------------


class ActionPointAddView(ManageMeetingMixin, ServiceFormView):
    template_name = "meetings/actionpoint_form.html"
    form_class = forms.ActionPointForm

    def perform(self, form):
        action_services.action_point_create(
            meeting=self.meeting, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("The action point is recorded."))


class ActionPointListView(CapabilityRequiredMixin, TemplateView):
    template_name = "meetings/actionpoint_list.html"

    def has_access(self):
        return has_capability(self.request.user, permissions.VIEW_ALL)

    def get_context_data(self, **kwargs):
        form = forms.ActionFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        actions = selectors.action_point_list(
            self.request.user,
            status=filters.get("status", ""),
            organisation=filters.get("organisation"),
            mine=filters.get("mine", False),
            q=filters.get("q", ""),
        )
        page = keyset_page(
            self.request,
            actions,
            ordering=selectors.ACTION_POINT_ORDER,
            per_page=PAGE_SIZE,
            count=False,
        )
        for action in page.object_list:
            action.can_update = permissions.can_update_action_point(self.request.user, action)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=form,
            page_obj=page,
            actions=page.object_list,
            query=query.urlencode(),
            today=timezone.localdate(),
            **kwargs,
        )


class ActionPointMixin(CapabilityRequiredMixin):
    def load_objects(self):
        self.action = get_object_or_404(
            ActionPoint.objects.visible_to(self.request.user).select_related("meeting"),
            pk=self.kwargs["pk"],
        )

    def has_access(self):
        return permissions.can_update_action_point(self.request.user, self.action)

    def get_success_url(self):
        return (self.request.POST.get("next_list") and reverse("meetings:actions")) or (
            self.action.meeting.get_absolute_url() + "#actions"
        )


class ActionPointEditView(ActionPointMixin, ServiceFormView):
    template_name = "meetings/actionpoint_form.html"
    form_class = forms.ActionPointForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.action}

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, meeting=self.action.meeting, **kwargs)

    def perform(self, form):
        changes = {field: form.cleaned_data[field] for field in action_services.FIELDS}
        self.action.refresh_from_db()
        action_services.action_point_update(
            action_point=self.action, by=self.request.user, **changes
        )
        messages.success(self.request, _("The action point is updated."))


class ActionPointStatusView(ActionPointMixin, ActionView):
    def perform(self):
        action_services.action_point_set_status(
            action_point=self.action,
            status=self.request.POST.get("status", ""),
            by=self.request.user,
        )
        messages.success(self.request, _("The action point is updated."))


# --- Calendar feed -------------------------------------------------------------------------


FEED_URL_SESSION_KEY = "_unnm_new_feed_url"


class CalendarFeedSettingsView(CapabilityRequiredMixin, TemplateView):
    template_name = "meetings/calendar_feed.html"

    def has_access(self):
        return permissions.can_open_meetings(self.request.user)

    def get_context_data(self, **kwargs):
        token = CalendarToken.objects.filter(
            person=self.request.user, revoked_at__isnull=True
        ).first()
        # Only the digest is stored: the address is shown once, right after it is created.
        feed_url = self.request.session.pop(FEED_URL_SESSION_KEY, "") if token else ""
        return super().get_context_data(token=token, feed_url=feed_url, **kwargs)


class CalendarFeedRotateView(CapabilityRequiredMixin, ActionView):
    def has_access(self):
        return permissions.can_open_meetings(self.request.user)

    def perform(self):
        token = participation.calendar_token_rotate(person=self.request.user, by=self.request.user)
        self.request.session[FEED_URL_SESSION_KEY] = portal_url(
            reverse("meetings:feed", args=[token.token])
        )
        messages.success(
            self.request, _("Your calendar feed has a new address; the old one no longer works.")
        )

    def get_success_url(self):
        return reverse("meetings:calendar")


class CalendarFeedRevokeView(CapabilityRequiredMixin, ActionView):
    def has_access(self):
        return permissions.can_open_meetings(self.request.user)

    def perform(self):
        participation.calendar_token_revoke(person=self.request.user, by=self.request.user)
        messages.success(self.request, _("Your calendar feed is switched off."))

    def get_success_url(self):
        return reverse("meetings:calendar")


def calendar_feed(request, token):
    """The private feed calendars subscribe to: the token is the only credential.

    Calendars poll it every few minutes: the ETag and Last-Modified come from one aggregate
    query, an unchanged feed is a 304, and the events are rendered once per change and shared
    by everyone who sees the same meetings (selectors.calendar_feed).
    """
    # Looked up on every request, cached or not: a revoked token stops working at once.
    found = participation.calendar_token_lookup(token)
    if found is None or not found.person.is_active:
        raise Http404
    person = found.person
    feed = selectors.calendar_feed(person, tzinfo=request.network.tzinfo, base_url=portal_url())
    last_modified = selectors.calendar_feed_first_seen(feed)
    response = get_conditional_response(request, etag=feed.etag, last_modified=last_modified)
    if response is None:
        with translation.override(feed.language):
            name = _("Meetings — %(name)s") % {"name": person}
        body = feed_head(name=name) + selectors.calendar_feed_events(feed) + FEED_END
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = feed.etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, max-age=900"
    return response
