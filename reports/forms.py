from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.roles import Role

from . import rules
from .models import NarrativePart, Report
from .services import NARRATIVE_MAX_LENGTH

PERIOD_CHOICES = [
    (rules.FIRST_HALF, _("January to June")),
    (rules.SECOND_HALF, _("July to December")),
    (rules.FULL_YEAR, _("The whole year")),
]


class ReportCreateForm(forms.Form):
    """A new report: its kind and the half-year or year it covers."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES)
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        required=False,
        help_text=_("Leave empty for the usual title, e.g. “Bi-annual progress report, 2026”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["period"].initial = rules.FIRST_HALF if today.month <= 6 else rules.SECOND_HALF

    def clean(self):
        cleaned = super().clean()
        kind, choice = cleaned.get("kind"), cleaned.get("period")
        if kind == Report.Kind.BIANNUAL and choice == rules.FULL_YEAR:
            self.add_error(
                "period", _("A bi-annual report covers January to June or July to December.")
            )
        if kind == Report.Kind.ANNUAL_UNCT and choice != rules.FULL_YEAR:
            self.add_error("period", _("The contribution to the UNCT annual report covers a year."))
        if cleaned.get("year") and choice and not self.errors:
            cleaned["period_value"] = rules.period_for(cleaned["year"], choice)
        return cleaned


class NarrativeForm(forms.Form):
    """The four parts of the narrative in one language."""

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
        for part in NarrativePart:
            self.fields[part.value] = forms.CharField(
                label=part.label,
                required=False,
                max_length=NARRATIVE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 6, "dir": direction, "lang": language}),
            )


class SubmitForm(forms.Form):
    submitted_on = forms.DateField(
        label=_("Submitted on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.CharField(
        label=_("Submitted to"),
        max_length=300,
        help_text=_("For example: the Resident Coordinator and the UNCT Heads of Agencies."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitted_on"].initial = timezone.localdate()


class ShareForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Government guest"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__name=Role.GUEST.value,
                organisation__kind="government",
            )
            .select_related("organisation")
            .order_by("full_name", "email")
            .distinct()
        )
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.get_full_name()} ({person.organisation.acronym})"
        )


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Report.Kind.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
