"""Pages of the referrals module. Every referral is looked up inside `visible_to(user)` (through
selectors.referral_detail), so a referral of other organisations is a 404 for everyone, co-chairs,
the RCO and platform admins included. Every page that shows a referral logs the read."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.errors import DomainError
from core.pagination import keyset_page
from members.models import Organisation
from members.roles import CapabilityRequiredMixin

from . import permissions, rules, selectors, services
from .attachments import attachment_add, attachment_response
from .crypto import decrypt_bytes
from .exports import EXPORT_KIND
from .forms import (
    AttachmentForm,
    ConsentForm,
    CorrectionForm,
    MessageForm,
    OfficerForm,
    ReasonForm,
    ReferralForm,
    ServiceOfferForm,
)
from .models import ReferralOfficerAppointment, ServiceKind, ServiceOffer
from .querysets import officer_organisation_ids

PAGE_SIZE = 50


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


class ReferralsAccessMixin(CapabilityRequiredMixin):
    """Signed in; an appointed officer without an authenticator is sent to set one up first."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and permissions.needs_second_factor(request.user):
            messages.warning(
                request, _("Referrals hold sensitive personal data: set up two-factor sign-in.")
            )
            return redirect("mfa_activate_totp")
        return super().dispatch(request, *args, **kwargs)


class OfficerMixin(ReferralsAccessMixin):
    """Pages for officers of some organisation (the list, a new referral)."""

    def has_access(self):
        return permissions.is_referral_officer(self.request.user)


class ReferralMixin(ReferralsAccessMixin):
    """Pages of one referral: looked up among the visible ones (else 404), each read logged."""

    log_action = ""

    def load_objects(self):
        self.referral = selectors.referral_detail(self.request.user, self.kwargs["reference"])
        self.side = permissions.side_of(self.request.user, self.referral)

    def has_access(self):
        return self.side is not None

    def log(self, action=None):
        services.log_access(
            self.referral,
            user=self.request.user,
            action=action or self.log_action,
            ip=client_ip(self.request),
        )

    def back(self):
        return redirect(self.referral.get_absolute_url())


class IndexView(OfficerMixin, TemplateView):
    template_name = "referrals/referral_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        box = self.request.GET.get("box", "")
        page = keyset_page(
            self.request,
            selectors.referral_list(self.request.user, box=box),
            ordering=selectors.REFERRAL_LIST_ORDER,
            per_page=PAGE_SIZE,
            count=False,
        )
        context.update(page=page, page_obj=page, referrals=page.object_list, box=box)
        return context


class ReferralCreateView(OfficerMixin, View):
    template_name = "referrals/referral_form.html"

    def form(self, data=None):
        return ReferralForm(data, organisation_ids=officer_organisation_ids(self.request.user))

    def get(self, request):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person = form.person()
            duplicate = services.duplicate_exists(
                organisation=data["from_organisation"],
                full_name=person["full_name"],
                year_of_birth=person["year_of_birth"],
            )
            try:
                referral = services.referral_create(
                    from_organisation=data["from_organisation"],
                    to_organisation=data["to_organisation"],
                    urgency=data["urgency"],
                    services=data["services"],
                    by=request.user,
                    ip=client_ip(request),
                    **person,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if duplicate:
                    messages.warning(
                        request,
                        _(
                            "A referral for a person with this name and year already exists "
                            "at your agency."
                        ),
                    )
                messages.success(request, _("Draft saved. Record the person's consent to send it."))
                return redirect("referrals:consent", reference=referral.reference)
        return render(request, self.template_name, {"form": form}, status=400)


class ReferralDetailView(ReferralMixin, TemplateView):
    template_name = "referrals/referral_detail.html"
    log_action = "view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        referral, user = self.referral, self.request.user
        self.log()
        fields = permissions.visible_fields(user, referral)
        consent = getattr(referral, "consent", None)
        context.update(
            referral=referral,
            side=self.side,
            consent=consent,
            person=[
                (referral._meta.get_field(name).verbose_name, getattr(referral, name))
                for name in fields
            ],
            withheld=not referral.is_erased and self.side == rules.RECEIVER and len(fields) < 8,
            actions=[a for a in rules.TRANSITIONS if permissions.can_transition(user, referral, a)],
            reason_form=ReasonForm(),
            can_edit_person=permissions.can_edit_person(user, referral),
            can_record_consent=self.side == rules.SENDER
            and referral.status == "draft"
            and consent is None,
            can_withdraw_consent=consent is not None and consent.withdrawn_at is None,
            thread=referral.messages.all(),
            can_read_thread=permissions.can_read_thread(user, referral),
            can_read_files=permissions.can_read_files(user, referral),
            attachments=[a for a in referral.attachments.all() if a.message_id is None],
            attachment_form=AttachmentForm(),
            message_form=MessageForm(),
        )
        return context


class ConsentView(ReferralMixin, View):
    template_name = "referrals/consent_form.html"

    def has_access(self):
        # Consent is recorded by the referring organisation, which met the person.
        if self.side != rules.SENDER:
            raise Http404
        return True

    def get(self, request, reference):
        self.log("consent.view")
        return render(
            request, self.template_name, {"referral": self.referral, "form": ConsentForm()}
        )

    def post(self, request, reference):
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                services.consent_record(
                    referral=self.referral,
                    by=request.user,
                    ip=client_ip(request),
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Consent recorded."))
                return self.back()
        return render(
            request, self.template_name, {"referral": self.referral, "form": form}, status=400
        )


class ConsentWithdrawView(ReferralMixin, View):
    def post(self, request, reference):
        try:
            services.consent_withdraw(
                referral=self.referral, by=request.user, ip=client_ip(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Consent withdrawn: the receiving side no longer sees the person's data."),
            )
        return self.back()


class TransitionView(ReferralMixin, View):
    def post(self, request, reference, action):
        if action not in rules.TRANSITIONS:
            raise Http404
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.referral_transition(
                referral=self.referral,
                action=action,
                reason=reason,
                by=request.user,
                ip=client_ip(request),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Referral updated."))
        return self.back()


def _form_errors(form):
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class MessagesView(ReferralMixin, View):
    """The thread (an htmx fragment) and posting to it, optionally with an attachment."""

    # A message may carry a file: its body may be MAX_UPLOAD_SIZE larger
    # (core.middleware.RequestBodyLimitMiddleware).
    accepts_uploads = True

    def get(self, request, reference):
        self.log("messages.view")
        return render(
            request,
            "referrals/_messages.html",
            {
                "referral": self.referral,
                "thread": self.referral.messages.all(),
                "can_read_thread": permissions.can_read_thread(request.user, self.referral),
                "can_read_files": permissions.can_read_files(request.user, self.referral),
                "message_form": MessageForm(),
            },
        )

    def post(self, request, reference):
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_post(
                    referral=self.referral,
                    body=form.cleaned_data["body"],
                    upload=form.cleaned_data.get("file") or None,
                    by=request.user,
                    ip=client_ip(request),
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Message sent."))
        else:
            messages.error(request, _form_errors(form))
        return self.back()


class AttachmentUploadView(ReferralMixin, View):
    """Add a file to the referral itself (checked by content and size, then encrypted)."""

    accepts_uploads = True

    def has_access(self):
        if not permissions.can_read_files(self.request.user, self.referral):
            raise Http404
        return True

    def post(self, request, reference):
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment_add(
                    referral=self.referral,
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    ip=client_ip(request),
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("File added."))
        else:
            messages.error(request, _form_errors(form))
        return self.back()


@method_decorator(never_cache, name="dispatch")
class AttachmentDownloadView(ReferralMixin, View):
    """The decrypted file, inside the referral's visibility and the consent to documents;
    referrals/attachments.py says why this is not core:file_download."""

    http_method_names = ["get", "head"]

    def load_objects(self):
        super().load_objects()
        self.attachment = get_object_or_404(
            self.referral.attachments.select_related("stored_file", "referral"),
            stored_file__uuid=self.kwargs["uuid"],
        )

    def has_access(self):
        if not permissions.can_read_files(self.request.user, self.referral):
            raise Http404
        return True

    def get(self, request, reference, uuid):
        return attachment_response(
            attachment=self.attachment, user=request.user, ip=client_ip(request)
        )


class ExportView(ReferralMixin, View):
    """Ask for the PDF of everything held about the person (a job; its page shows progress)."""

    def has_access(self):
        if not permissions.can_edit_person(self.request.user, self.referral):
            raise Http404
        return True

    def post(self, request, reference):
        try:
            job = services.export_request(
                referral=self.referral, by=request.user, ip=client_ip(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
            return self.back()
        messages.success(request, _("The export is being prepared."))
        return redirect("core:job_status", uuid=job.uuid)


@method_decorator(never_cache, name="dispatch")
class ExportDownloadView(ReferralMixin, View):
    """The decrypted export, for the officer who asked for it while they may still read the
    person's data (consent withdrawn or data erased: 404)."""

    http_method_names = ["get", "head"]

    def load_objects(self):
        from core.models import Job

        super().load_objects()
        self.job = get_object_or_404(
            Job.objects.select_related("result").filter(
                kind=EXPORT_KIND,
                object_id=str(self.referral.pk),
                requested_by=self.request.user,
                result__isnull=False,
            ),
            uuid=self.kwargs["uuid"],
        )

    def has_access(self):
        if not permissions.can_edit_person(self.request.user, self.referral):
            raise Http404
        return True

    def get(self, request, reference, uuid):
        from django.http import HttpResponse

        from core.files import safe_filename

        with self.job.result.file.open("rb") as handle:
            pdf = decrypt_bytes(handle.read())
        self.log("export.download")
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = safe_filename(f"{self.referral.reference}-export.pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CorrectView(ReferralMixin, View):
    template_name = "referrals/referral_correct.html"

    def has_access(self):
        if not permissions.can_edit_person(self.request.user, self.referral):
            raise Http404
        return True

    def history(self):
        """Previous values of the fields this person may read, and of no other field."""
        fields = permissions.visible_fields(self.request.user, self.referral)
        return self.referral.corrections.filter(field__in=fields)

    def form(self, data=None):
        return CorrectionForm(
            data,
            referral=self.referral,
            fields=permissions.visible_fields(self.request.user, self.referral),
        )

    def get(self, request, reference):
        self.log("correct.view")
        return render(
            request,
            self.template_name,
            {
                "referral": self.referral,
                "form": self.form(),
                "history": self.history(),
            },
        )

    def post(self, request, reference):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.referral_correct(
                    referral=self.referral,
                    changes=form.changes(self.referral),
                    by=request.user,
                    ip=client_ip(request),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Corrections saved; the previous values are kept."))
                return self.back()
        return render(
            request,
            self.template_name,
            {"referral": self.referral, "form": form, "history": self.history()},
            status=400,
        )


class EraseView(ReferralMixin, View):
    def has_access(self):
        if not permissions.can_edit_person(self.request.user, self.referral):
            raise Http404
        return True

    def get(self, request, reference):
        return render(request, "referrals/referral_confirm_erase.html", {"referral": self.referral})

    def post(self, request, reference):
        try:
            services.referral_erase(referral=self.referral, by=request.user, ip=client_ip(request))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The person's identifying data was erased."))
        return self.back()


class AccessLogView(ReferralMixin, TemplateView):
    template_name = "referrals/access_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.log("access_log.view")
        entries = self.referral.access_log.select_related("user").order_by("-at", "-pk")
        page = keyset_page(self.request, entries, ordering=["-at"], per_page=100, count=False)
        context.update(referral=self.referral, page=page, page_obj=page, entries=page.object_list)
        return context


# --- Service directory -------------------------------------------------------------------------


class ServicesView(ReferralsAccessMixin, TemplateView):
    template_name = "referrals/service_list.html"

    def has_access(self):
        return permissions.can_view_services(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        offers = list(
            ServiceOffer.objects.select_related("organisation").order_by(
                "organisation__acronym", "kind"
            )
        )
        editable = permissions.service_organisation_ids(user)
        for offer in offers:
            offer.editable = editable is None or offer.organisation_id in editable
        context.update(
            offers=offers, can_add=permissions.can_edit_services(user), kinds=ServiceKind.choices
        )
        return context


def _editable_organisations(user):
    allowed = permissions.service_organisation_ids(user)
    organisations = Organisation.objects.order_by("acronym")
    return organisations if allowed is None else organisations.filter(pk__in=allowed)


class ServiceFormView(ReferralsAccessMixin, View):
    template_name = "referrals/service_form.html"

    def load_objects(self):
        self.offer = None
        if "pk" in self.kwargs:
            self.offer = get_object_or_404(ServiceOffer, pk=self.kwargs["pk"])

    def has_access(self):
        user = self.request.user
        if self.offer is not None:
            return permissions.can_edit_services(user, self.offer.organisation)
        return permissions.can_edit_services(user)

    def form(self, data=None):
        initial = {}
        if self.offer is not None:
            initial = {
                name: getattr(self.offer, name)
                for name in ("kind", "eligibility", "languages", "how_to_refer", "response_time")
            }
            initial["organisation"] = self.offer.organisation_id
        return ServiceOfferForm(
            data, initial=initial, organisations=_editable_organisations(self.request.user)
        )

    def get(self, request, **kwargs):
        return render(request, self.template_name, {"form": self.form(), "offer": self.offer})

    def post(self, request, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.service_save(offer=self.offer, by=request.user, **data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Service directory updated."))
                return redirect("referrals:services")
        return render(request, self.template_name, {"form": form, "offer": self.offer}, status=400)


# --- Referral officers -------------------------------------------------------------------------


def _appointable_organisations(user):
    from members.models import Appointment
    from members.roles import Role, has_role

    organisations = Organisation.objects.order_by("acronym")
    if has_role(user, Role.RCO_ADMIN):
        return organisations
    return organisations.filter(
        pk__in=Appointment.objects.active()
        .filter(person=user, kind=Appointment.Kind.FOCAL_POINT)
        .values("organisation")
    )


class OfficersView(ReferralsAccessMixin, View):
    template_name = "referrals/officer_list.html"

    def has_access(self):
        return permissions.can_appoint_officers(self.request.user)

    def context(self, form=None):
        organisations = _appointable_organisations(self.request.user)
        return {
            "appointments": ReferralOfficerAppointment.objects.filter(
                organisation__in=organisations
            )
            .select_related("organisation", "person")
            .order_by("organisation__acronym", "-start_date"),
            "form": form or OfficerForm(organisations=organisations),
        }

    def get(self, request):
        return render(request, self.template_name, self.context())

    def post(self, request):
        form = OfficerForm(request.POST, organisations=_appointable_organisations(request.user))
        if form.is_valid():
            try:
                services.officer_appoint(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Referral officer appointed."))
                return redirect("referrals:officers")
        return render(request, self.template_name, self.context(form), status=400)


class OfficerEndView(ReferralsAccessMixin, View):
    def load_objects(self):
        self.appointment = get_object_or_404(
            ReferralOfficerAppointment.objects.filter(
                organisation__in=_appointable_organisations(self.request.user)
            ),
            pk=self.kwargs["pk"],
        )

    def has_access(self):
        return True

    def post(self, request, pk):
        try:
            services.officer_end(appointment=self.appointment, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Appointment ended."))
        return redirect("referrals:officers")


class StatisticsView(ReferralsAccessMixin, TemplateView):
    template_name = "referrals/statistics.html"

    def has_access(self):
        return permissions.can_view_statistics(self.request.user)

    def get_context_data(self, **kwargs):
        from datetime import datetime

        from core.models import Network

        context = super().get_context_data(**kwargs)
        years = selectors.statistics_years()
        # One year at a time (this year unless another is chosen); "all" for every year.
        chosen = self.request.GET.get("year", "")
        year = years[0]
        if chosen == "all":
            year = None
        elif chosen.isdigit() and int(chosen) in years:
            year = int(chosen)
        start = end = None
        if year is not None:
            tzinfo = Network.objects.get_current().tzinfo
            start = datetime(year, 1, 1, tzinfo=tzinfo)
            end = datetime(year + 1, 1, 1, tzinfo=tzinfo)
        # Counting a year of a busy network's referrals takes a while: the counts are kept for
        # a few minutes (the page says when they were made), per year and language.
        key = f"referrals:statistics:{year or 'all'}:{translation.get_language()}"
        counted = cache.get(key)
        if counted is None:
            counted = (selectors.statistics(start=start, end=end), timezone.now())
            cache.set(key, counted, settings.REFERRALS_STATISTICS_CACHE_SECONDS)
        tables, counted_at = counted
        context.update(
            tables=tables,
            counted_at=counted_at,
            refresh_minutes=max(settings.REFERRALS_STATISTICS_CACHE_SECONDS // 60, 1),
            years=years,
            year=year,
        )
        return context
