from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.models import ToRObjective
from core.uploads import accept_attribute, upload_help_text
from members.models import Organisation
from members.roles import MEMBER_ROLES
from members.selectors import people_holding_roles
from workplan.models import Deliverable, GCMObjective

from . import rules
from .models import KnowledgeProduct

SUMMARY_MAX_LENGTH = 5000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DeliverableChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.workplan.year} · {obj.number}. {obj.title}"


class ProductForm(BootstrapFormMixin, forms.ModelForm):
    """What a product is and whom and what it serves."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=rules.language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The languages the product is written in (hold Ctrl to choose several)."),
    )
    deliverables = DeliverableChoiceField(
        label=_("Workplan deliverables served"),
        queryset=Deliverable.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = KnowledgeProduct
        fields = [
            "kind",
            "title",
            "summary",
            "year",
            "lead_agency",
            "agencies",
            "authors",
            "other_authors",
            "languages",
            "tor_objectives",
            "gcm_objectives",
            "deliverables",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "agencies": forms.SelectMultiple(attrs={"size": 6}),
            "authors": forms.SelectMultiple(attrs={"size": 6}),
            "tor_objectives": forms.CheckboxSelectMultiple,
            "gcm_objectives": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, lead_agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Organisation.objects.un_agencies().order_by("acronym")
        if lead_agencies is not None:
            # A focal point drafts for the agency they speak for.
            agencies = agencies.filter(pk__in=lead_agencies)
            if len(lead_agencies) == 1 and not self.instance.pk:
                self.fields["lead_agency"].initial = next(iter(lead_agencies))
        self.fields["lead_agency"].queryset = agencies
        self.fields["agencies"].queryset = Organisation.objects.order_by("acronym")
        self.fields["authors"].queryset = people_holding_roles(MEMBER_ROLES)
        self.fields["tor_objectives"].queryset = ToRObjective.objects.all()
        self.fields["gcm_objectives"].queryset = GCMObjective.objects.all()
        self.fields["deliverables"].queryset = Deliverable.objects.select_related(
            "workplan"
        ).order_by("-workplan__year", "number")
        self.fields["summary"].validators.append(MaxLengthValidator(SUMMARY_MAX_LENGTH))
        self.fields["summary"].widget.attrs["maxlength"] = str(SUMMARY_MAX_LENGTH)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        lead, agencies = cleaned.get("lead_agency"), cleaned.get("agencies")
        if lead and agencies and lead in agencies:
            self.add_error("agencies", _("The lead agency is already an author agency."))
        return cleaned


class VersionForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("File"), help_text=upload_help_text())
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("For example: “Comments of UNHCR and WHO taken in”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = accept_attribute()


class ReviewForm(BootstrapFormMixin, forms.Form):
    comment_deadline = forms.DateField(
        label=_("Comments until"),
        widget=DateInput(),
        help_text=_("Members of the network may comment until this day (included)."),
    )


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EndorsementForm(BootstrapFormMixin, forms.Form):
    decision = forms.ModelChoiceField(
        label=_("Decision"),
        queryset=None,
        required=False,
        empty_label=_("Draft a new decision for the network"),
        help_text=_(
            "The product is endorsed when this decision is adopted by consensus. Choose an "
            "existing decision (draft, open, or already adopted), or let the portal draft one "
            "for you to open."
        ),
    )

    def __init__(self, *args, **kwargs):
        from decisions.models import Decision

        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(
            status__in=("draft", "open", "adopted")
        ).order_by("-created_at")


class PublishForm(BootstrapFormMixin, forms.Form):
    audience = forms.ChoiceField(
        label=_("Published to"),
        choices=KnowledgeProduct.Audience.choices,
        widget=forms.RadioSelect,
        help_text=_("Guest stakeholders see only what is public."),
    )
    published_on = forms.DateField(label=_("Published on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.localdate()


class SubmissionForm(BootstrapFormMixin, forms.Form):
    regional_on = forms.DateField(
        label=_("Submitted to the regional UN Network on Migration on"),
        required=False,
        widget=DateInput(),
    )
    global_on = forms.DateField(
        label=_("Submitted to the global UN Network on Migration on"),
        required=False,
        widget=DateInput(),
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("regional_on") or cleaned.get("global_on")):
            raise forms.ValidationError(_("Give the date of at least one submission."))
        return cleaned


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    objective = forms.ModelChoiceField(
        label=_("ToR objective"), queryset=None, required=False, empty_label=_("All")
    )
    gcm = forms.ModelChoiceField(
        label=_("GCM objective"), queryset=None, required=False, empty_label=_("All")
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, empty_label=_("All")
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, agencies, years=(), show_status=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *KnowledgeProduct.Kind.choices]
        self.fields["objective"].queryset = ToRObjective.objects.all()
        self.fields["gcm"].queryset = GCMObjective.objects.all()
        # Those with products the reader may see (selectors.agencies), not every agency.
        self.fields["agency"].queryset = agencies
        self.fields["year"].choices = [("", _("All")), *((year, year) for year in years)]
        if show_status:
            self.fields["status"].choices = [("", _("All")), *KnowledgeProduct.Status.choices]
        else:
            del self.fields["status"]
