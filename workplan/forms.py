from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.models import ToRObjective
from members.models import Organisation

from .models import (
    Deliverable,
    Funding,
    GCMObjective,
    ProgressUpdate,
    ThematicArea,
    Workplan,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# Free text read on the pages and in the PDF for the UNCT: a few paragraphs, not a book.
NOTE_MAX_LENGTH = 5000


def limit_length(form, *names, limit=NOTE_MAX_LENGTH):
    for name in names:
        field = form.fields[name]
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
        field.widget.attrs["maxlength"] = str(limit)


class WorkplanCreateForm(BootstrapFormMixin, forms.ModelForm):
    copy_forward = forms.BooleanField(
        label=_("Start with last year's unfinished deliverables"),
        required=False,
        help_text=_("Deliverables not completed or cancelled last year are carried over."),
    )

    class Meta:
        model = Workplan
        fields = ["year", "title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1
        limit_length(self, "introduction")
        self.fields["title"].help_text = _("Optional, e.g. “Workplan of the Network 2027”.")

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if (
            cleaned.get("copy_forward")
            and year
            and not Workplan.objects.filter(year=year - 1).exists()
        ):
            self.add_error(
                "copy_forward",
                _("There is no workplan for %(year)s to carry over from.") % {"year": year - 1},
            )
        return cleaned


class WorkplanForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Workplan
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, "introduction")


class EndorseForm(BootstrapFormMixin, forms.Form):
    endorsed_on = forms.DateField(label=_("Endorsed on"), widget=DateInput())

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endorsed_on"].initial = timezone.localdate()
        if decisions is not None:
            self.fields["decision"] = forms.ModelChoiceField(
                label=_("Endorsing decision"),
                queryset=decisions,
                required=False,
                help_text=_("The adopted decision of the network that endorsed this workplan."),
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def clean_endorsed_on(self):
        value = self.cleaned_data["endorsed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ShareForm(BootstrapFormMixin, forms.Form):
    shared_on = forms.DateField(label=_("Shared with the UNCT on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_on"].initial = timezone.localdate()

    def clean_shared_on(self):
        value = self.cleaned_data["shared_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class DeliverableForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = [
            "title",
            "description",
            "tor_objectives",
            "gcm_objectives",
            "sdg_targets",
            "thematic_area",
            "lead_agency",
            "supporting_agencies",
            "start_quarter",
            "end_quarter",
            "budget_required",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "tor_objectives": forms.CheckboxSelectMultiple,
            "gcm_objectives": forms.CheckboxSelectMultiple,
            "sdg_targets": forms.CheckboxSelectMultiple,
            "supporting_agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Organisation.objects.un_agencies().order_by("acronym")
        self.fields["supporting_agencies"].queryset = Organisation.objects.order_by("acronym")
        self.fields["thematic_area"].queryset = ThematicArea.objects.all()
        self.fields["budget_required"].help_text = _("In US dollars; 0 if none is needed.")
        limit_length(self, "description")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_quarter"), cleaned.get("end_quarter")
        if start and end and int(end) < int(start):
            self.add_error("end_quarter", _("The end quarter cannot come before the start."))
        lead = cleaned.get("lead_agency")
        supporting = cleaned.get("supporting_agencies")
        if lead and supporting and lead in supporting:
            self.add_error(
                "supporting_agencies", _("The lead agency cannot also be a supporting agency.")
            )
        return cleaned


class ProgressUpdateForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["date", "status_after", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 4})}
        labels = {"status_after": _("Status")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, "note")

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A progress update cannot be dated in the future."))
        return value


class FundingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Funding
        fields = ["source_kind", "source", "amount", "status", "note"]


class _RowsIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.rows:
            yield self.choice(row)

    def __len__(self):
        return len(self.field.rows) + (self.field.empty_label is not None)


class ReferenceChoiceField(forms.ModelChoiceField):
    """A choice among cached reference rows (selectors.reference_rows): offered and checked
    without a query. `rows` is set by the form."""

    iterator = _RowsIterator
    rows = ()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for row in self.rows:
            if str(row.pk) == str(value):
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class DeliverableFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    tor = ReferenceChoiceField(
        label=_("ToR objective"), queryset=ToRObjective.objects.all(), required=False
    )
    gcm = ReferenceChoiceField(
        label=_("GCM objective"), queryset=GCMObjective.objects.all(), required=False
    )
    area = ReferenceChoiceField(
        label=_("Thematic area"), queryset=ThematicArea.objects.all(), required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Agency (lead or supporting)"),
        queryset=Organisation.objects.order_by("acronym"),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Deliverable.Status.choices],
        required=False,
    )

    def __init__(self, *args, workplan=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import agencies_of, reference_rows

        for name in ("tor", "gcm", "area", "agency"):
            self.fields[name].empty_label = _("Any")
        reference = reference_rows()
        self.fields["tor"].rows = reference["tor"]
        self.fields["gcm"].rows = reference["gcm"]
        self.fields["area"].rows = reference["areas"]
        if workplan is not None:
            self.fields["agency"].queryset = agencies_of(workplan).order_by("acronym")

    def filters(self):
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
