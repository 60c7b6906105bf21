from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from decisions.forms import DATETIME_FORMAT, DateTimeLocalInput
from decisions.models import Decision
from meetings.models import Meeting

from .models import Amendment, Review
from .services import TEXT_MAX_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AmendmentForm(forms.ModelForm):
    """A draft amendment: the whole new text, so it compares word by word with the current one."""

    class Meta:
        model = Amendment
        fields = ["title", "summary", "text"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 24, "dir": "auto", "lang": "en"}),
        }
        help_texts = {
            "text": _(
                'The full text as it would read once amended. A line starting "## " is a '
                'section heading, "### " a sub-heading; a blank line ends a paragraph; lines '
                'starting "1. " are a numbered list.'
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        self.fields["text"].widget.attrs["maxlength"] = str(TEXT_MAX_LENGTH)
        self.fields["summary"].validators.append(MaxLengthValidator(5000))


class ProposeForm(forms.Form):
    """How the network takes the decision on an amendment."""

    procedure = forms.ChoiceField(
        label=_("Procedure"),
        choices=Decision.Procedure.choices,
        initial=Decision.Procedure.WRITTEN,
        widget=forms.RadioSelect,
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Written and silence procedures close automatically at the deadline."),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("The meeting where the amendment is discussed or decided."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.visible_to(user).exclude(status="cancelled").order_by("-starts_at")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("procedure") in Decision.DEADLINE_PROCEDURES and not cleaned.get("deadline"):
            self.add_error("deadline", _("A written or silence procedure needs a deadline."))
        return cleaned


class UnctForm(forms.Form):
    unct_submitted_on = forms.DateField(
        label=_("Submitted to the UNCT for review and endorsement on"), widget=DateInput()
    )
    unct_endorsed_on = forms.DateField(
        label=_("Endorsed by the UNCT on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty until the UNCT has endorsed the text."),
    )


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Review.Outcome.choices, widget=forms.RadioSelect
    )
    amendment = forms.ModelChoiceField(
        label=_("Amendment"),
        queryset=Amendment.objects.none(),
        required=False,
        help_text=_("When the review proposes an amendment: its draft, or the one proposed."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxLengthValidator(5000)],
        help_text=_("What the review looked at and concluded; shown in the history."),
    )

    def __init__(self, *args, amendments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amendment"].queryset = (
            amendments if amendments is not None else (Amendment.objects.none())
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Review.Outcome.AMENDMENT and not cleaned.get("amendment"):
            self.add_error("amendment", _("Choose the amendment the review proposes."))
        return cleaned


class CompareForm(forms.Form):
    """Two versions to compare (a GET form)."""

    a = forms.TypedChoiceField(label=_("From version"), coerce=int)
    b = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
