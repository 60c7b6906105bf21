from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.errors import DomainError
from core.mail import absolute_url
from core.submissions import OncePerFormMixin

from . import permissions, selectors, services
from .forms import (
    AcceptInvitationForm,
    AppointmentEndForm,
    AppointmentForm,
    DirectoryFilterForm,
    InvitationForm,
    MembershipChangeForm,
    NewOrganisationForm,
    OrganisationDetailsForm,
    OrganisationForm,
    ProfileForm,
)
from .models import Appointment, Invitation, Organisation
from .roles import CapabilityRequiredMixin, forget_roles, roles_of

PAGE_SIZE = 25


def _site_url(request):
    # Links in emails come from PORTAL_URL, never from the Host header of the request: behind a
    # proxy (or with a forged Host) the request's host is not the portal's public address.
    return absolute_url("/")


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Directory and organisation pages -----------------------------------------------------------


class DirectoryView(CapabilityRequiredMixin, TemplateView):
    """Who is who: organisations with their roles, focal point and alternate."""

    template_name = "members/organisation_list.html"

    def has_access(self):
        return permissions.can_view_directory(self.request.user)

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["members/organisation_list.html#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = DirectoryFilterForm(self.request.GET or None)
        page = _page(self.request, selectors.directory_organisations(user, **form.filters()))
        for organisation in page.object_list:
            organisation.focal_point, organisation.alternate = selectors.seats(organisation)
            organisation.has_seats = selectors.has_seats(organisation)
            # Only focal points sit in the "Focal point" column; everyone else is listed apart.
            seated = {
                appointment.person_id
                for appointment in (organisation.focal_point, organisation.alternate)
                if appointment is not None
            }
            others = [person for person in organisation.active_people if person.pk not in seated]
            organisation.shown_people = others[:3]
            organisation.more_people = max(len(others) - 3, 0)
        return super().get_context_data(
            form=form,
            page_obj=page,
            organisations=page.object_list,
            query=_query_without_page(self.request),
            show_contacts=permissions.can_view_contact_details(user),
            can_manage=permissions.can_manage_organisations(user),
            can_invite=permissions.can_invite(user),
            **kwargs,
        )


class OrganisationMixin(CapabilityRequiredMixin):
    """Looks the organisation up among those the person may see: others are 404."""

    def has_access(self):
        return True  # signed in; what they may see and do is decided per organisation

    def get_organisation(self):
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(
                Organisation.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self._organisation


class OrganisationDetailView(OrganisationMixin, TemplateView):
    template_name = "members/organisation_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organisation = self.get_organisation()
        context = selectors.organisation_detail(organisation)
        can_history = permissions.can_view_history(user)
        if can_history:
            context["audit_entries"] = selectors.organisation_audit(organisation)
        return super().get_context_data(
            **context,
            show_contacts=permissions.can_view_contact_details(user),
            show_history=can_history,
            can_edit=permissions.can_edit_organisation(user, organisation),
            can_manage=permissions.can_manage_organisations(user),
            can_appoint=permissions.can_manage_appointments(user) and organisation.is_un_agency,
            can_invite=permissions.can_invite(user),
            **kwargs,
        )


class OrganisationCreateView(CapabilityRequiredMixin, OncePerFormMixin, View):
    capability = "members.manage_organisations"
    template_name = "members/organisation_form.html"

    def get(self, request):
        return self.render(NewOrganisationForm())

    def post(self, request):
        form = NewOrganisationForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            roles, joined_on = data.pop("roles"), data.pop("joined_on")
            try:
                organisation = services.organisation_create(
                    by=request.user, roles=roles, joined_on=joined_on, **data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(org)s was added.") % {"org": organisation})
                return redirect(organisation)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "organisation": None})


class OrganisationEditView(OrganisationMixin, View):
    template_name = "members/organisation_form.html"

    def has_access(self):
        return permissions.can_edit_organisation(self.request.user, self.get_organisation())

    def form_class(self):
        if permissions.can_manage_organisations(self.request.user):
            return OrganisationForm
        return OrganisationDetailsForm

    def get(self, request, pk):
        return self.render(self.form_class()(instance=self.get_organisation()))

    def post(self, request, pk):
        organisation = self.get_organisation()
        # Bound to a copy: the form must not alter the instance the service compares against.
        form = self.form_class()(request.POST, instance=Organisation.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.organisation_update(
                    organisation=organisation,
                    by=request.user,
                    **{name: form.cleaned_data[name] for name in form.Meta.fields},
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The details of %(org)s were saved.") % {"org": organisation}
                )
                return redirect(organisation)
        return self.render(form)

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "organisation": self.get_organisation()},
        )


class MembershipChangeView(OrganisationMixin, OncePerFormMixin, View):
    template_name = "members/membership_form.html"

    def has_access(self):
        return permissions.can_manage_organisations(self.request.user)

    def get(self, request, pk):
        organisation = self.get_organisation()
        current = [m.role for m in organisation.memberships.active()]
        form = MembershipChangeForm(initial={"roles": current, "on": timezone.localdate()})
        return self.render(form)

    def post(self, request, pk):
        organisation = self.get_organisation()
        form = MembershipChangeForm(request.POST)
        if form.is_valid():
            try:
                started, ended = services.membership_change(
                    organisation=organisation,
                    roles=form.cleaned_data["roles"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if started or ended:
                    messages.success(
                        request, _("The membership of %(org)s was changed.") % {"org": organisation}
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect(organisation)
        return self.render(form)

    def render(self, form):
        organisation = self.get_organisation()
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "organisation": organisation,
                "memberships": organisation.memberships.order_by("-joined_on", "role"),
            },
        )


class AppointmentCreateView(OrganisationMixin, OncePerFormMixin, View):
    template_name = "members/appointment_form.html"

    def has_access(self):
        return permissions.can_manage_appointments(self.request.user)

    def get(self, request, pk):
        form = AppointmentForm(
            organisation=self.get_organisation(),
            initial={
                "start_date": timezone.localdate(),
                "kind": request.GET.get("kind", Appointment.Kind.FOCAL_POINT),
            },
        )
        return self.render(form)

    def post(self, request, pk):
        organisation = self.get_organisation()
        form = AppointmentForm(request.POST, organisation=organisation)
        if form.is_valid():
            service = (
                services.appointment_replace
                if form.cleaned_data["replace"]
                else services.appointment_create
            )
            try:
                appointment = service(
                    organisation=organisation,
                    person=form.cleaned_data["person"],
                    kind=form.cleaned_data["kind"],
                    level=form.cleaned_data["level"],
                    start_date=form.cleaned_data["start_date"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(person)s is now the %(kind)s of %(org)s.")
                    % {
                        "person": appointment.person,
                        "kind": appointment.get_kind_display().lower(),
                        "org": organisation,
                    },
                )
                return redirect(organisation)
        return self.render(form)

    def render(self, form):
        organisation = self.get_organisation()
        if not organisation.is_un_agency:
            raise Http404
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "organisation": organisation,
                "current": organisation.appointments.active().select_related("person"),
            },
        )


class AppointmentEndView(CapabilityRequiredMixin, View):
    capability = "members.manage_appointments"
    template_name = "members/appointment_confirm_end.html"

    def get_appointment(self):
        # Only active appointments of organisations the person can see can be ended.
        return get_object_or_404(
            Appointment.objects.active()
            .select_related("person", "organisation")
            .filter(organisation__in=Organisation.objects.visible_to(self.request.user)),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        form = AppointmentEndForm(initial={"end_date": timezone.localdate()})
        return self.render(form)

    def post(self, request, pk):
        appointment = self.get_appointment()
        form = AppointmentEndForm(request.POST)
        if form.is_valid():
            try:
                services.appointment_end(
                    appointment=appointment,
                    end_date=form.cleaned_data["end_date"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The appointment of %(person)s has ended.") % {"person": appointment.person},
                )
                return redirect(appointment.organisation)
        return self.render(form)

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "appointment": self.get_appointment()},
        )


# --- Invitations --------------------------------------------------------------------------------


class InvitationListView(CapabilityRequiredMixin, TemplateView):
    capability = "members.invite_people"
    template_name = "members/invitation_list.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        if status not in Invitation.Status.values:
            status = ""
        user = self.request.user
        page = _page(self.request, selectors.invitation_list(user, status=status))
        for invitation in page.object_list:
            invitation.may_manage = permissions.can_invite_as(user, invitation.role)
        return super().get_context_data(
            page_obj=page,
            invitations=page.object_list,
            status=status,
            statuses=Invitation.Status.choices,
            counts=selectors.invitation_counts(user),
            query=_query_without_page(self.request),
            **kwargs,
        )


class InvitationCreateView(CapabilityRequiredMixin, OncePerFormMixin, View):
    capability = "members.invite_people"
    template_name = "members/invitation_form.html"

    def get(self, request):
        initial = {"level": Appointment.Level.FOCAL_POINT}
        organisation_id = request.GET.get("organisation", "")
        if organisation_id.isdigit():
            initial["organisation"] = organisation_id
        if request.GET.get("role") in Invitation.Role.values:
            initial["role"] = request.GET["role"]
        return self.render(InvitationForm(user=request.user, initial=initial))

    def post(self, request):
        form = InvitationForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = services.invitation_create(
                    email=data["email"],
                    full_name=data["full_name"],
                    organisation=data["organisation"],
                    role=data["role"],
                    level=data.get("level", ""),
                    replace_existing=data.get("replace_existing", False),
                    message=data["message"],
                    by=request.user,
                    site_url=_site_url(request),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                holder = selectors.seat_holder(invitation)
                if holder is not None and not invitation.replace_existing:
                    messages.warning(
                        request,
                        _(
                            "%(org)s already has a %(kind)s (%(person)s). The invitation can "
                            "only be accepted once that appointment has ended; to replace them, "
                            "revoke it and invite again with “replace” ticked."
                        )
                        % {
                            "org": invitation.organisation,
                            "kind": invitation.get_role_display().lower(),
                            "person": holder.person,
                        },
                    )
                return redirect("members:invitations")
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form})


class InvitationActionView(CapabilityRequiredMixin, View):
    """Resend or revoke: POST only; htmx gets the updated row back."""

    capability = "members.invite_people"
    http_method_names = ["post"]

    def act(self, invitation):
        raise NotImplementedError

    def post(self, request, pk):
        invitation = get_object_or_404(
            Invitation.objects.visible_to(request.user).select_related("organisation"), pk=pk
        )
        notice, error = "", ""
        try:
            invitation, notice = self.act(invitation)
        except DomainError as exc:
            error = exc.message
        if request.htmx:
            invitation.refresh_from_db()
            invitation.may_manage = permissions.can_invite_as(request.user, invitation.role)
            return render(
                request,
                "members/_invitation_row.html",
                {"invitation": invitation, "notice": notice, "error": error},
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect("members:invitations")


class InvitationResendView(InvitationActionView):
    def act(self, invitation):
        invitation = services.invitation_resend(
            invitation=invitation, by=self.request.user, site_url=_site_url(self.request)
        )
        return invitation, _("A new link was sent to %(email)s.") % {"email": invitation.email}


class InvitationRevokeView(InvitationActionView):
    def act(self, invitation):
        invitation = services.invitation_revoke(invitation=invitation, by=self.request.user)
        return invitation, _("The invitation to %(email)s was revoked.") % {
            "email": invitation.email
        }


@method_decorator(never_cache, name="dispatch")
class InvitationAcceptView(View):
    """Where the emailed link leads: set a password (new person) or accept (signed in)."""

    template_name = "members/invitation_accept.html"

    def dispatch(self, request, token):
        try:
            self.invitation = services.invitation_for_token(token)
        except services.InvitationUnusable as error:
            return render(
                request,
                "members/invitation_unusable.html",
                {"reason": error.message, "code": error.code},
                status=404 if error.code == "unknown" else 410,
            )
        # The link is a credential; SECURE_REFERRER_POLICY ("same-origin") keeps it from other
        # sites, and "no-referrer" would make browsers send `Origin: null`, failing CSRF checks.
        return super().dispatch(request, token)

    def situation(self):
        user = self.request.user
        if user.is_authenticated:
            if services.invitation_email_matches(user, self.invitation.email):
                return "accept"
            return "wrong_account"
        if services.account_exists(self.invitation.email):
            return "sign_in"
        return "new"

    def get(self, request, token):
        form = AcceptInvitationForm(invitation=self.invitation)
        return self.render(form)

    def post(self, request, token):
        situation = self.situation()
        form = AcceptInvitationForm(invitation=self.invitation)
        try:
            if situation == "accept":
                user = services.invitation_accept(token=token, user=request.user)
                forget_roles(request.user)
            elif situation == "new":
                form = AcceptInvitationForm(request.POST, invitation=self.invitation)
                if not form.is_valid():
                    return self.render(form)
                user = services.invitation_accept(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            else:
                return self.render(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render(form, status=409)
        messages.success(
            request,
            _("Welcome to the portal. You are now %(role)s of %(org)s.")
            % {
                "role": self.invitation.get_role_display().lower(),
                "org": self.invitation.organisation,
            },
        )
        if situation == "new":
            return perform_login(request, user, redirect_url=reverse("core:dashboard"))
        return redirect("core:dashboard")

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "invitation": self.invitation,
                "form": form,
                "situation": self.situation(),
                "login_url": reverse("account_login") + "?next=" + self.request.path,
            },
            status=status,
        )


# --- Own profile --------------------------------------------------------------------------------


class ProfileView(LoginRequiredMixin, View):
    """Everyone edits their own name, title, phone and language, and sees the roles they hold."""

    template_name = "members/profile.html"

    def get(self, request):
        return self.render(ProfileForm(instance=request.user))

    def post(self, request):
        form = ProfileForm(request.POST, instance=get_user_model().objects.get(pk=request.user.pk))
        if form.is_valid():
            services.profile_update(
                user=request.user,
                by=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
            messages.success(request, _("Your profile was saved."))
            return redirect("members:profile")
        return self.render(form)

    def render(self, form):
        user = self.request.user
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "roles": sorted(roles_of(user), key=lambda role: role.label),
                **selectors.roles_summary(user),
            },
        )
