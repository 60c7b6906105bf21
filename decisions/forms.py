from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.models import Organisation

from .models import Decision, Stance

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# Reasons and comments are read by everyone on the decision page: a few paragraphs at most.
REASON_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 50_000


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _check_draft_deadline(form, cleaned):
    """A written or silence procedure needs a deadline, and any deadline lies in the future."""
    if form.fields["deadline"].disabled:
        return
    procedure = cleaned.get("procedure")
    deadline = cleaned.get("deadline")
    if procedure in Decision.DEADLINE_PROCEDURES and deadline is None:
        form.add_error("deadline", _("A written or silence procedure needs a deadline."))
    if deadline is not None and deadline <= timezone.now():
        form.add_error("deadline", _("The deadline must be in the future."))


def _limit_text_lengths(form):
    for name, limit in (("text", TEXT_MAX_LENGTH), ("rationale", REASON_MAX_LENGTH * 5)):
        if name in form.fields:
            form.fields[name].max_length = limit
            form.fields[name].validators.append(MaxLengthValidator(limit))
            form.fields[name].widget.attrs["maxlength"] = str(limit)


class DecisionForm(forms.ModelForm):
    """The draft of a decision: what it says, who proposes it, how it is taken."""

    class Meta:
        model = Decision
        fields = [
            "title",
            "text",
            "rationale",
            "proposing_organisation",
            "procedure",
            "deadline",
            "meeting",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "deadline": DateTimeLocalInput(),
        }
        help_texts = {
            "procedure": _(
                "At a meeting: agencies state their positions at the meeting. Written procedure: "
                "every agency records a position by the deadline. Silence procedure: an agency "
                "without a position at the deadline counts as concurring."
            ),
        }

    def __init__(self, *args, user=None, locked_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].input_formats = [DATETIME_FORMAT]
        self.fields["proposing_organisation"].queryset = Organisation.objects.order_by("acronym")
        self.fields["meeting"].queryset = (
            Meeting.objects.visible_to(user).exclude(status="cancelled").order_by("-starts_at")
        )
        for name in locked_fields:
            self.fields[name].disabled = True
        _limit_text_lengths(self)

    def clean(self):
        cleaned = super().clean()
        _check_draft_deadline(self, cleaned)
        return cleaned


class RevisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title", "text", "rationale", "proposing_organisation", "procedure", "deadline"]
        widgets = DecisionForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].input_formats = [DATETIME_FORMAT]
        _limit_text_lengths(self)

    def clean(self):
        cleaned = super().clean()
        _check_draft_deadline(self, cleaned)
        return cleaned


class OpenForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Positions can be recorded until this moment; the decision then closes."),
    )

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline


class PositionForm(forms.Form):
    """My agency's position: concur, stand aside, or object with a reason."""

    organisation = forms.TypedChoiceField(label=_("Agency"), coerce=int, choices=())
    stance = forms.ChoiceField(
        label=_("Position"), choices=Stance.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when your agency objects."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.fields["organisation"].choices = [("", "—")] + [
            (o.pk, o.acronym) for o in self.organisations
        ]
        if len(self.organisations) <= 1:
            # Speaking for one agency: no choice to make.
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self):
        value = self.cleaned_data.get("organisation")
        if value in (None, ""):
            if len(self.organisations) == 1:
                return self.organisations[0].pk
            raise forms.ValidationError(_("Choose the agency."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stance") == Stance.OBJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("An objection needs a reason."))
        return cleaned


class ExtendForm(forms.Form):
    new_deadline = forms.DateTimeField(
        label=_("New deadline"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to everyone on the decision page."),
    )

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean_new_deadline(self):
        new_deadline = self.cleaned_data["new_deadline"]
        current = getattr(self.decision, "deadline", None)
        if current is not None and new_deadline <= current:
            raise forms.ValidationError(
                _("The new deadline must be later than the current one (%(current)s).")
                % {"current": date_format(timezone.localtime(current), "j M Y, H:i")}
            )
        if new_deadline <= timezone.now():
            raise forms.ValidationError(_("The new deadline must be in the future."))
        return new_deadline


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegisterFilterForm(forms.Form):
    """The register's filters. The meeting is a name typed (matched among the meetings with
    decisions, at most `selectors.MEETING_MATCHES` of them) or one meeting chosen by id (a
    suggestion, or the link from a meeting's page): never a list of every meeting, which a
    regional instance counts in tens of thousands."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Decision.Status.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, choices=())
    procedure = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        choices=[("", _("Any procedure")), *Decision.Procedure.choices],
    )
    meeting = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    meeting_q = forms.CharField(label=_("Meeting"), required=False, max_length=200)

    def __init__(self, *args, years=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["year"].choices = [("", _("Any year"))] + [(y, y) for y in years]
        # What the meeting filter resolved to: one chosen meeting, or those the words matched.
        self.chosen_meeting = None
        self.matched_meetings = None

    def _resolve_meeting(self, data):
        from .selectors import MEETING_MATCHES, meetings_matching

        text = (data.get("meeting_q") or "").strip()
        if data.get("meeting"):
            chosen = Meeting.objects.visible_to(self.user).filter(pk=data["meeting"]).first()
            # The field shows the chosen meeting's name: sent back unchanged it keeps the
            # meeting, emptied it drops it, words typed over it choose again. A link with the id
            # alone (from a meeting's page) has no field at all.
            if chosen is not None and ("meeting_q" not in self.data or text == str(chosen)):
                self.chosen_meeting = chosen
                return chosen.pk
        if text:
            # One more than is shown: whether more meetings match than the filter takes.
            self.matched_meetings = meetings_matching(self.user, text, limit=MEETING_MATCHES + 1)
            return [meeting.pk for meeting in self.matched_meetings[:MEETING_MATCHES]]
        return ""

    @property
    def choice_filters(self):
        return [self["status"], self["year"], self["procedure"]]

    @property
    def meeting_text(self):
        """What the meeting field shows: the chosen meeting's name, or the words typed."""
        if self.chosen_meeting is not None:
            return str(self.chosen_meeting)
        return self.data.get("meeting_q", "") if self.is_bound else ""

    def filters(self):
        # A bad value in one filter (?year=abc) drops that filter only, not the others.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "",
            "year": data.get("year") or "",
            "procedure": data.get("procedure") or "",
            "meeting": self._resolve_meeting(data),
        }
