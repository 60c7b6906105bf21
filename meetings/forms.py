from datetime import time

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.uploads import accept_attribute, check_upload, upload_help_text
from core.validators import YEAR, bounds
from members.models import Organisation

from . import rules, selectors
from .models import ActionPoint, AgendaItem, Attendance, Meeting, Minutes, Participant

User = get_user_model()

# An agenda item's description is a short summary, not a document: attach documents instead.
DESCRIPTION_MAX_LENGTH = 5000


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        acronym = obj.organisation.acronym if obj.organisation_id else ""
        return f"{obj.get_full_name()} ({acronym})" if acronym else obj.get_full_name()


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    online_link = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = ["title", "kind", "starts_at", "ends_at", "place", "online_link"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        help_texts = {"starts_at": _("In the network's time zone.")}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not cleaned.get("place") and not cleaned.get("online_link"):
            self.add_error("place", _("Give a place, an online link, or both."))
        return cleaned


class GenerateYearForm(BootstrapFormMixin, forms.Form):
    WEEKDAYS = [
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    ]
    WEEKS = [
        (1, _("First")),
        (2, _("Second")),
        (3, _("Third")),
        (4, _("Fourth")),
        (rules.LAST, _("Last")),
    ]
    MONTHS = [
        (1, _("January")),
        (2, _("February")),
        (3, _("March")),
        (4, _("April")),
        (5, _("May")),
        (6, _("June")),
        (7, _("July")),
        (8, _("August")),
        (9, _("September")),
        (10, _("October")),
        (11, _("November")),
        (12, _("December")),
    ]

    year = forms.IntegerField(label=_("Year"), validators=YEAR)
    first_month = forms.TypedChoiceField(label=_("First month"), choices=MONTHS, coerce=int)
    week = forms.TypedChoiceField(label=_("Week of the month"), choices=WEEKS, coerce=int)
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int, initial=1)
    start_time = forms.TimeField(
        label=_("Starts at"), initial=time(10, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        validators=bounds(15, 600, _("Between 15 and 600 minutes.")),
        initial=120,
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class CancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CallForItemsForm(BootstrapFormMixin, forms.Form):
    cutoff = forms.DateTimeField(label=_("Proposals open until"), widget=DateTimeInput())


class AgendaItemForm(BootstrapFormMixin, forms.ModelForm):
    presenter_person = PersonChoiceField(
        label=_("Presenter"), queryset=User.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "description",
            "presenter_person",
            "presenter_organisation",
            "guest_speaker",
            "minutes_allotted",
            "tor_objective",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter_person"].queryset = selectors.presenter_choices()
        self.fields["presenter_organisation"].queryset = Organisation.objects.order_by("acronym")


class DeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class GuestForm(BootstrapFormMixin, forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    role_note = forms.CharField(
        label=_("Role at the meeting"),
        max_length=200,
        required=False,
        help_text=_("For example: guest speaker on item 3."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.guest_choices(meeting)


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        choices=[choice for choice in Participant.Response.choices if choice[0]]
    )


class AttendanceForm(BootstrapFormMixin, forms.ModelForm):
    person = PersonChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Attendance
        fields = ["person", "name", "organisation", "capacity"]
        help_texts = {"name": _("Only for someone without an account.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.attendee_choices()
        self.fields["organisation"].queryset = Organisation.objects.order_by("acronym")
        self.fields["name"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not (cleaned.get("name") or "").strip():
            self.add_error("person", _("Choose a person or enter a name."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The service reports a duplicate in words; the form does not need the meeting for it.
        return None


class MinutesForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "form-control font-monospace"})
        }
        help_texts = {
            "body": _(
                "HTML: headings (h2, h3), paragraphs, lists, links and tables are kept; "
                "anything else is removed when you save."
            )
        }


class CirculateMinutesForm(BootstrapFormMixin, forms.Form):
    comment_deadline = forms.DateField(label=_("Comments until"), widget=DateInput())


class ApproveMinutesForm(BootstrapFormMixin, forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())
    method = forms.ChoiceField(label=_("Approval"), choices=Minutes.ApprovalMethod.choices)
    approved_at_meeting = forms.ModelChoiceField(
        label=_("At the meeting"), queryset=Meeting.objects.none(), required=False
    )
    before_comments_close = forms.BooleanField(
        label=_("Approve before the comment period ends"), required=False
    )

    def __init__(self, *args, meeting, comment_period_open=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not comment_period_open:
            del self.fields["before_comments_close"]
        self.fields["approved_at_meeting"].queryset = (
            Meeting.objects.filter(
                status__in=("scheduled", "held"),
                starts_at__gte=meeting.starts_at,
                starts_at__lte=timezone.now(),
            )
            .exclude(pk=meeting.pk)
            .order_by("starts_at")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == "meeting" and not cleaned.get("approved_at_meeting"):
            self.add_error("approved_at_meeting", _("Choose the meeting."))
        return cleaned


class CommentForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ActionPointForm(BootstrapFormMixin, forms.ModelForm):
    owner_person = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    class Meta:
        model = ActionPoint
        fields = ["description", "owner_organisation", "owner_person", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = selectors.action_owner_choices()
        self.fields["owner_organisation"].queryset = Organisation.objects.order_by("acronym")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner_organisation") and not cleaned.get("owner_person"):
            self.add_error("owner_organisation", _("Choose an owner organisation or person."))
        return cleaned

    def validate_constraints(self, exclude=None):
        return None


class ActionFilterForm(BootstrapFormMixin, forms.Form):
    STATUS = [("", _("Any status")), ("overdue", _("Overdue")), *ActionPoint.Status.choices]

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), required=False
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("acronym")


class DocumentForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.exclude(
            status="declined"
        ).order_by("position")
        # The list the server enforces (core.uploads), shown to the browser and to the person.
        self.fields["file"].widget.attrs["accept"] = accept_attribute()
        self.fields["file"].help_text = upload_help_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = check_upload(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class MeetingDayAttendanceForm(forms.Form):
    """Present or absent, and the capacity, for every invited person: one sheet, saved at once."""

    PRESENCE = [("1", _("Present")), ("0", _("Absent"))]

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = {}
        self.default_capacity = {}
        for row in sheet:
            for entry in row["people"]:
                participant = entry["participant"]
                self.participants[participant.pk] = participant
                # Not required: a person invited after the sheet was opened is left as they are.
                self.fields[f"present-{participant.pk}"] = forms.TypedChoiceField(
                    label=participant.person.get_full_name(),
                    choices=self.PRESENCE,
                    coerce=lambda value: value == "1",
                    empty_value=None,
                    required=False,
                    initial="1" if entry["present"] else "0",
                    widget=forms.RadioSelect,
                )
                self.fields[f"capacity-{participant.pk}"] = forms.ChoiceField(
                    label=_("Capacity of %(person)s") % {"person": participant.person},
                    choices=Attendance.Capacity.choices,
                    initial=entry["capacity"],
                    required=False,
                )
                self.default_capacity[participant.pk] = entry["capacity"]
                entry["present_field"] = self[f"present-{participant.pk}"]
                entry["capacity_field"] = self[f"capacity-{participant.pk}"]

    def entries(self):
        return [
            {
                "participant": participant,
                "present": self.cleaned_data[f"present-{pk}"],
                "capacity": self.cleaned_data[f"capacity-{pk}"] or self.default_capacity[pk],
            }
            for pk, participant in self.participants.items()
            if self.cleaned_data.get(f"present-{pk}") is not None
        ]


class AgendaNotesForm(forms.Form):
    """The notes taken on each agenda item during the meeting."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        max_length = AgendaItem._meta.get_field("notes").max_length
        for item in items:
            self.fields[f"notes-{item.pk}"] = forms.CharField(
                label=item.display_title,
                required=False,
                max_length=max_length,
                initial=item.notes,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )
            item.notes_field = self[f"notes-{item.pk}"]

    def notes(self):
        return {item.pk: self.cleaned_data[f"notes-{item.pk}"] for item in self.items}
