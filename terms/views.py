from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.errors import DomainError
from core.submissions import OncePerFormMixin
from members.roles import CapabilityRequiredMixin

from . import permissions, selectors, services
from .diff import diff_stats, render_diff, word_diff
from .forms import AmendmentForm, CompareForm, ProposeForm, ReviewForm, UnctForm
from .models import Amendment, TermsVersion
from .text import render_terms

VIEW = "terms.view_terms"
DRAFT = "terms.draft_amendments"
MANAGE = "terms.manage_terms"


def _comparison(old_text, new_text):
    chunks = word_diff(old_text, new_text)
    return {"html": render_diff(chunks), "stats": diff_stats(chunks)}


class TermsView(CapabilityRequiredMixin, View):
    """The Terms of Reference in force, their history, amendments and the yearly review."""

    capability = VIEW

    def get(self, request):
        user = request.user
        current = selectors.current_version()
        history = list(selectors.version_history())
        numbers = [version.number for version in reversed(history)]
        previous = numbers[-2] if len(numbers) > 1 else None
        context = {
            "current": current,
            "text_html": render_terms(current.text),
            "history": history,
            "amendments": list(selectors.amendments_for(user)),
            "compare_form": CompareForm(
                numbers=numbers, initial={"a": previous or current.number, "b": current.number}
            ),
            "can_draft": permissions.can_draft_amendment(user),
            "can_manage": permissions.can_manage_terms(user),
        }
        if context["can_manage"]:
            # Pages run in the network's time zone (core.middleware): no query for "today".
            context["review"] = selectors.review_status(current, today=timezone.localdate())
            context["reviews"] = list(selectors.reviews_of(current))
        return render(request, "terms/terms_current.html", context)


class VersionMixin(CapabilityRequiredMixin):
    def get_version(self):
        return get_object_or_404(
            TermsVersion.objects.select_related("decision", "amended_by", "amendment"),
            number=self.kwargs["number"],
        )


class VersionView(VersionMixin, View):
    capability = VIEW

    def get(self, request, number):
        return self.render_page(self.get_version())

    def render_page(self, version, unct_form=None, status=200):
        can_manage = permissions.can_manage_terms(self.request.user)
        if can_manage and unct_form is None:
            unct_form = UnctForm(
                initial={
                    "unct_submitted_on": version.unct_submitted_on,
                    "unct_endorsed_on": version.unct_endorsed_on,
                }
            )
        return render(
            self.request,
            "terms/version_detail.html",
            {
                "version": version,
                "text_html": render_terms(version.text),
                "reviews": list(selectors.reviews_of(version)),
                "can_manage": can_manage,
                "unct_form": unct_form,
            },
            status=status,
        )


class VersionUnctView(VersionView):
    """Record the submission to the UNCT for review and endorsement (and the endorsement)."""

    capability = MANAGE
    http_method_names = ["post"]

    def post(self, request, number):
        version = self.get_version()
        form = UnctForm(request.POST)
        if form.is_valid():
            try:
                services.version_record_unct(
                    version=version,
                    submitted_on=form.cleaned_data["unct_submitted_on"],
                    endorsed_on=form.cleaned_data["unct_endorsed_on"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The UNCT's review is recorded."))
                return redirect(version)
        return self.render_page(version, unct_form=form, status=400)


class CompareView(CapabilityRequiredMixin, View):
    """Two versions side by side, word by word."""

    capability = VIEW

    def get(self, request):
        numbers = list(TermsVersion.objects.order_by("number").values_list("number", flat=True))
        form = CompareForm(request.GET or None, numbers=numbers)
        context = {"form": form}
        if form.is_valid():
            a, b = form.cleaned_data["a"], form.cleaned_data["b"]
            versions = {v.number: v for v in TermsVersion.objects.filter(number__in=[a, b])}
            context.update(
                older=versions[a],
                newer=versions[b],
                diff=_comparison(versions[a].text, versions[b].text),
            )
        elif request.GET:
            return render(request, "terms/compare.html", context, status=400)
        return render(request, "terms/compare.html", context)


class AmendmentMixin(CapabilityRequiredMixin):
    """Looks the amendment up among those the person may see: anything else is a 404."""

    def get_amendment(self):
        return get_object_or_404(
            Amendment.objects.visible_to(self.request.user).select_related(
                "base_version", "decision", "created_by", "proposed_by"
            ),
            pk=self.kwargs["pk"],
        )


class AmendmentCreateView(CapabilityRequiredMixin, OncePerFormMixin, View):
    capability = DRAFT

    def get(self, request):
        current = selectors.current_version()
        return self._render(AmendmentForm(initial={"text": current.text}), current)

    def post(self, request):
        form = AmendmentForm(request.POST)
        if form.is_valid():
            try:
                amendment = services.amendment_create(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft amendment is saved."))
                return redirect(amendment)
        return self._render(form, selectors.current_version(), status=400)

    def _render(self, form, current, status=200):
        return render(
            self.request,
            "terms/amendment_form.html",
            {"form": form, "current": current, "heading": _("Draft an amendment")},
            status=status,
        )


class AmendmentDetailView(AmendmentMixin, View):
    capability = VIEW

    def get(self, request, pk):
        amendment = self.get_amendment()
        user = request.user
        current = selectors.current_version()
        return render(
            request,
            "terms/amendment_detail.html",
            {
                "amendment": amendment,
                "current": current,
                "diff": _comparison(amendment.base_version.text, amendment.text),
                "can_edit": permissions.can_edit_amendment(user, amendment),
                "can_propose": amendment.is_draft and permissions.can_manage_terms(user),
                "can_redraft": amendment.status
                in (Amendment.Status.NOT_ADOPTED, Amendment.Status.WITHDRAWN)
                and permissions.can_draft_amendment(user),
                "outdated": amendment.is_draft and amendment.base_version_id != current.pk,
            },
        )


class AmendmentEditView(AmendmentMixin, View):
    capability = DRAFT

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_access():
            self.amendment = self.get_amendment()
            if not self.amendment.is_draft:
                messages.error(request, _("Only a draft amendment can be changed."))
                return redirect(self.amendment)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(AmendmentForm(instance=self.amendment))

    def post(self, request, pk):
        form = AmendmentForm(
            request.POST, instance=Amendment(base_version=self.amendment.base_version)
        )
        if form.is_valid():
            try:
                services.amendment_update(
                    amendment=self.amendment, by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft amendment is saved."))
                return redirect(self.amendment)
        return self._render(form, status=400)

    def _render(self, form, status=200):
        current = selectors.current_version()
        return render(
            self.request,
            "terms/amendment_form.html",
            {
                "form": form,
                "amendment": self.amendment,
                "current": current,
                "outdated": self.amendment.base_version_id != current.pk,
                "heading": _("Edit the draft amendment"),
            },
            status=status,
        )


class AmendmentProposeView(AmendmentMixin, View):
    """Put a draft to the network: it opens a consensus decision."""

    capability = MANAGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_access():
            amendment = self.get_amendment()
            if not amendment.is_draft:
                messages.info(request, _("This amendment has already been put to the network."))
                return redirect(amendment)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(self.get_amendment(), ProposeForm(user=request.user))

    def post(self, request, pk):
        amendment = self.get_amendment()
        form = ProposeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                amendment = services.amendment_propose(
                    amendment=amendment, by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The amendment is before the network as decision %(reference)s.")
                    % {"reference": amendment.decision.reference},
                )
                return redirect(amendment)
        return self._render(amendment, form, status=400)

    def _render(self, amendment, form, status=200):
        return render(
            self.request,
            "terms/amendment_propose.html",
            {"amendment": amendment, "form": form},
            status=status,
        )


class AmendmentDiscardView(AmendmentMixin, View):
    capability = DRAFT

    def post(self, request, pk):
        amendment = self.get_amendment()
        try:
            services.amendment_discard(amendment=amendment, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The draft amendment is set aside."))
        return redirect(amendment)


class AmendmentRedraftView(AmendmentMixin, OncePerFormMixin, View):
    """Start a new draft from an amendment that was not adopted (a revised text is a new one)."""

    capability = DRAFT

    def post(self, request, pk):
        amendment = self.get_amendment()
        try:
            draft = services.amendment_redraft(amendment=amendment, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(amendment)
        messages.success(request, _("A new draft starts from this text: revise it."))
        return redirect("terms:amendment_edit", pk=draft.pk)


class ReviewRecordView(CapabilityRequiredMixin, OncePerFormMixin, View):
    """Record the yearly review of the current version."""

    capability = MANAGE

    def _amendments(self):
        return Amendment.objects.filter(
            status__in=[Amendment.Status.DRAFT, Amendment.Status.PROPOSED]
        ).order_by("-created_at")

    def get(self, request):
        form = ReviewForm(
            initial={"reviewed_on": selectors.network_today()}, amendments=self._amendments()
        )
        return self._render(form)

    def post(self, request):
        form = ReviewForm(request.POST, amendments=self._amendments())
        if form.is_valid():
            try:
                services.review_record(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The review of the Terms of Reference is recorded."))
                return redirect("terms:current")
        return self._render(form, status=400)

    def _render(self, form, status=200):
        current = selectors.current_version()
        return render(
            self.request,
            "terms/review_form.html",
            {"form": form, "current": current, "review": selectors.review_status(current)},
            status=status,
        )
