from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import accept_attribute, check_upload, upload_help_text
from members.models import Organisation

from .models import Consent, DataCategory, Referral, ServiceKind, ServiceOffer


class ReferralForm(forms.Form):
    from_organisation = forms.ModelChoiceField(
        label=_("Referring organisation"), queryset=Organisation.objects.none()
    )
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=Organisation.objects.none(),
        help_text=_("Organisations listed in the service directory."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Referral.Urgency.choices)
    services = forms.MultipleChoiceField(
        label=_("Services requested"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    full_name = forms.CharField(label=_("Name or alias"), max_length=200)
    sex = forms.CharField(label=_("Sex"), max_length=40, required=False)
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    age = forms.IntegerField(
        label=_("Age (if the year is unknown)"), required=False, min_value=0, max_value=130
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Short case summary"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_organisation"].queryset = Organisation.objects.filter(
            pk__in=organisation_ids
        )
        self.fields["to_organisation"].queryset = Organisation.objects.filter(
            pk__in=ServiceOffer.objects.values("organisation")
        ).order_by("acronym")

    def person(self):
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "sex": data["sex"],
            "year_of_birth": str(data["year_of_birth"] or ""),
            "age": str(data["age"] if data["age"] is not None else ""),
            "nationality": data["nationality"],
            "languages": data["languages"],
            "contact": data["contact"],
            "summary": data["summary"],
        }


class ConsentForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=1000, widget=forms.Textarea)
    categories = forms.MultipleChoiceField(
        label=_("Data the person agreed to share"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    obtained_on = forms.DateField(
        label=_("Obtained on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    method = forms.ChoiceField(label=_("How"), choices=Consent.Method.choices)
    language = forms.CharField(label=_("In which language"), max_length=60)
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason or outcome"), max_length=2000, required=False, widget=forms.Textarea
    )


def _file_field(required):
    field = forms.FileField(label=_("Attachment"), required=required, help_text=upload_help_text())
    field.widget.attrs["accept"] = accept_attribute()
    return field


def _checked_file(upload):
    if upload:
        problem = check_upload(upload)
        if problem:
            raise forms.ValidationError(problem)
    return upload


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field(required=False)

    def clean_file(self):
        return _checked_file(self.cleaned_data.get("file"))


class AttachmentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field(required=True)

    def clean_file(self):
        return _checked_file(self.cleaned_data.get("file"))


class CorrectionForm(forms.Form):
    """Built from the fields the person may see: nothing else can be corrected."""

    def __init__(self, *args, referral, fields, **kwargs):
        super().__init__(*args, **kwargs)
        for name in fields:
            model_field = Referral._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name,
                required=False,
                max_length=2000,
                initial=getattr(referral, name),
                widget=forms.Textarea(attrs={"rows": 2}) if name == "summary" else None,
            )

    def changes(self, referral):
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if (value or "") != getattr(referral, name)
        }


class ServiceOfferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    eligibility = forms.CharField(
        label=_("Eligibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    how_to_refer = forms.CharField(
        label=_("How to refer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    response_time = forms.CharField(
        label=_("Expected response time"), max_length=100, required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class OfficerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    person = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    start_date = forms.DateField(
        label=_("From"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation__in=organisations)
            .order_by("full_name")
        )
