"""The meeting-day page: attendance, positions, action points and notes on one screen.

Each section is a plain form that works without JavaScript (POST, then back to the page); with
htmx the section posts itself and is swapped in place. Other apps add their sections through
`core.registry.meeting_hooks` (`meeting_day`): this module imports none of them.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.errors import DomainError
from core.registry import meeting_hooks

from . import forms, selectors
from .models import AgendaItem, Meeting
from .services import actions as action_services
from .services import meeting_day as day_services
from .views import ManageMeetingMixin

TEMPLATE = "meetings/meeting_day.html"


def hook_panels(meeting, user):
    """The sections other apps add to the meeting day (decisions: positions on behalf)."""
    panels = []
    for hook in meeting_hooks.entries():
        if hook.meeting_day is None:
            continue
        panel = hook.meeting_day(meeting, user)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)


def _items(meeting):
    return list(
        meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED)
        .select_related("presenter_person", "presenter_organisation")
        .order_by("position")
    )


class MeetingDayMixin(ManageMeetingMixin):
    """Co-chairs and the secretariat; everyone else is refused (or gets a 404 as usual)."""

    def day_context(self, *, attendance_form=None, notes_form=None, action_form=None, **extra):
        meeting = self.meeting
        sheet = selectors.meeting_day_attendance(meeting)
        attendance_form = attendance_form or forms.MeetingDayAttendanceForm(sheet=sheet)
        if attendance_form.is_bound:
            # Re-rendered after an error: the rows carry the submitted choices.
            sheet = selectors.meeting_day_attendance(meeting)
            for row in sheet:
                for entry in row["people"]:
                    pk = entry["participant"].pk
                    if f"present-{pk}" in attendance_form.fields:
                        entry["present_field"] = attendance_form[f"present-{pk}"]
                        entry["capacity_field"] = attendance_form[f"capacity-{pk}"]
        items = _items(meeting)
        notes_form = notes_form or forms.AgendaNotesForm(items=items)
        return {
            "meeting": meeting,
            "sheet": sheet,
            "attendance_form": attendance_form,
            "notes_form": notes_form,
            "agenda_items": notes_form.items,
            "action_form": action_form or forms.ActionPointForm(prefix="action"),
            "action_points": meeting.action_points.select_related(
                "owner_organisation", "owner_person"
            ).order_by("pk"),
            "panels": hook_panels(meeting, self.request.user),
            "has_started": meeting.starts_at <= timezone.now(),
            "is_open": meeting.status in (Meeting.Status.SCHEDULED, Meeting.Status.HELD),
            "can_mark_held": meeting.status == Meeting.Status.SCHEDULED
            and meeting.starts_at <= timezone.now(),
            **extra,
        }

    def day_url(self, anchor=""):
        url = reverse("meetings:day", args=[self.meeting.pk])
        return f"{url}#{anchor}" if anchor else url

    def respond(self, section, context, *, ok_message=""):
        """htmx: the section alone, with its message; otherwise back to the page."""
        if self.request.htmx:
            context.update(section_message=ok_message, feedback_section=section)
            return TemplateResponse(self.request, f"{TEMPLATE}#{section}", context)
        if ok_message:
            messages.success(self.request, ok_message)
        return redirect(self.day_url(section))

    def refuse(self, section, context, error):
        context.update(section_error=error, feedback_section=section)
        if self.request.htmx:
            return TemplateResponse(self.request, f"{TEMPLATE}#{section}", context)
        return TemplateResponse(self.request, TEMPLATE, context, status=200)


class MeetingDayView(MeetingDayMixin, View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, TEMPLATE, self.day_context())


class MeetingDayAttendanceView(MeetingDayMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        sheet = selectors.meeting_day_attendance(self.meeting)
        form = forms.MeetingDayAttendanceForm(request.POST, sheet=sheet)
        if not form.is_valid():
            context = self.day_context(attendance_form=form)
            return self.refuse("attendance", context, _("Check the capacities chosen."))
        try:
            day_services.attendance_save(
                meeting=self.meeting, entries=form.entries(), by=request.user
            )
        except DomainError as error:
            return self.refuse("attendance", self.day_context(attendance_form=form), error.message)
        response = self.respond(
            "attendance", self.day_context(), ok_message=_("The attendance is saved.")
        )
        if request.htmx:
            # Who is present decides who may state a position: the other sections follow
            # (swapped out of band, hx-swap-oob).
            response.template_name = "meetings/_day_attendance_response.html"
        return response


class MeetingDayNotesView(MeetingDayMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = forms.AgendaNotesForm(request.POST, items=_items(self.meeting))
        if not form.is_valid():
            context = self.day_context(notes_form=form)
            return self.refuse("notes", context, _("The notes could not be saved."))
        try:
            day_services.agenda_notes_save(
                meeting=self.meeting, notes=form.notes(), by=request.user
            )
        except DomainError as error:
            return self.refuse("notes", self.day_context(notes_form=form), error.message)
        return self.respond("notes", self.day_context(), ok_message=_("The notes are saved."))


class MeetingDayActionView(MeetingDayMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = forms.ActionPointForm(request.POST, prefix="action")
        if not form.is_valid():
            context = self.day_context(action_form=form)
            return self.refuse("actions", context, _("Check the action point."))
        try:
            action_services.action_point_create(
                meeting=self.meeting, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            return self.refuse("actions", self.day_context(action_form=form), error.message)
        return self.respond(
            "actions", self.day_context(), ok_message=_("The action point is recorded.")
        )
