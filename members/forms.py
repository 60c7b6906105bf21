from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import Appointment, Invitation, Membership, Organisation
from .permissions import can_replace_on_invitation, invitable_roles

RESIDENCY_CHOICES = [
    ("", _("Resident or not")),
    ("resident", _("Resident UN agencies")),
    ("non_resident", _("Non-resident UN agencies")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DirectoryFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )
    residency = forms.ChoiceField(label=_("Residency"), required=False, choices=RESIDENCY_CHOICES)
    role = forms.ChoiceField(
        label=_("Role in the network"),
        required=False,
        choices=[("", _("All roles")), *Membership.Role.choices],
    )

    def filters(self):
        """The valid filters; an invalid value is ignored rather than failing the page."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class OrganisationForm(BootstrapFormMixin, forms.ModelForm):
    """The RCO's form: every field of an organisation."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["acronym", "name", "kind", "is_resident", "website", "email", "phone"]

    def clean_acronym(self):
        acronym = self.cleaned_data["acronym"].strip()
        clash = Organisation.objects.filter(acronym__iexact=acronym)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("An organisation with this acronym already exists."))
        return acronym

    def validate_constraints(self, exclude=None):
        # clean_acronym checks the case-insensitive acronym constraint with a clearer message.
        return


class NewOrganisationForm(OrganisationForm):
    roles = forms.MultipleChoiceField(
        label=_("Role in the network"),
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Voting membership is for UN agencies only."),
    )
    joined_on = forms.DateField(
        label=_("Joined the network on"), initial=timezone.localdate, widget=DateInput()
    )

    def clean(self):
        cleaned = super().clean()
        if Membership.Role.MEMBER in cleaned.get("roles", []) and (
            cleaned.get("kind") != Organisation.Kind.UN_AGENCY
        ):
            self.add_error("roles", _("Only UN agencies can be voting member agencies."))
        return cleaned


class OrganisationDetailsForm(BootstrapFormMixin, forms.ModelForm):
    """A focal point's form for their own agency: the contact details, not its standing."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "website", "email", "phone"]


class MembershipChangeForm(BootstrapFormMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles held from this date"),
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Roles you untick end on this date; roles you tick start on it."),
    )
    on = forms.DateField(label=_("Date of the change"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("For example the decision or letter behind the change."),
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return on


class AppointmentForm(BootstrapFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    kind = forms.ChoiceField(label=_("Appointed as"), choices=Appointment.Kind.choices)
    level = forms.ChoiceField(
        label=_("Participation level"),
        choices=Appointment.Level.choices,
        initial=Appointment.Level.FOCAL_POINT,
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    replace = forms.BooleanField(
        label=_("Replace the person who holds this seat now"),
        required=False,
        help_text="",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(organisation=organisation, is_active=True)
            .order_by("full_name", "email")
        )
        self.fields["person"].help_text = _(
            "People with an account at this agency. To appoint someone new, invite them."
        )
        self.fields["replace"].help_text = _(
            "Ends the current appointment on the start date of the new one."
        )


class AppointmentEndForm(BootstrapFormMixin, forms.Form):
    end_date = forms.DateField(label=_("Ends on"), widget=DateInput())


class InvitationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Invitation
        fields = [
            "email",
            "full_name",
            "organisation",
            "role",
            "level",
            "replace_existing",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The choices follow the rule of `can_invite_as`; the services enforce it.
        roles = [(role.value, role.label) for role in invitable_roles(user)]
        self.fields["role"].choices = [("", "---------"), *roles]
        if not can_replace_on_invitation(user):
            del self.fields["replace_existing"]
        self.fields["organisation"].queryset = Organisation.objects.order_by("acronym")
        self.fields["organisation"].label_from_instance = lambda o: f"{o.acronym} — {o.name}"
        self.fields["full_name"].help_text = _("Used to greet them in the email.")
        self.fields["full_name"].label = _("Their name (optional)")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        organisation = cleaned.get("organisation")
        appoints = role in (Invitation.Role.FOCAL_POINT, Invitation.Role.ALTERNATE)
        if appoints and organisation and not organisation.is_un_agency:
            self.add_error(
                "organisation", _("Focal points and alternates are invited for UN agencies only.")
            )
        if appoints and not cleaned.get("level"):
            self.add_error("level", _("Choose the participation level."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The service reports a pending invitation to the same address with a clearer message.
        return


class AcceptInvitationForm(BootstrapFormMixin, forms.Form):
    """A new person's account: their name and a password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["full_name"].initial = invitation.full_name

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = get_user_model()(
                email=self.invitation.email, full_name=cleaned.get("full_name", "")
            )
            try:
                validate_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["full_name", "job_title", "phone", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
