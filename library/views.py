from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.errors import DomainError
from core.submissions import OncePerFormMixin
from members.roles import CapabilityRequiredMixin

from . import permissions, rules, selectors, services
from .forms import (
    CommentForm,
    EndorsementForm,
    LibraryFilterForm,
    ProductForm,
    PublishForm,
    ReturnForm,
    ReviewForm,
    SubmissionForm,
    VersionForm,
)
from .models import KnowledgeProduct


class ProductMixin(CapabilityRequiredMixin):
    """Looks the product up among those the person may open: anything else is a 404."""

    def load_objects(self):
        self.product = (
            KnowledgeProduct.objects.visible_to(self.request.user)
            .select_related("lead_agency", "endorsement_decision")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if self.product is None:
            raise Http404

    def decision_pending(self):
        decision = self.product.endorsement_decision
        return decision is not None and rules.decision_pending(decision.status)


class LibraryView(CapabilityRequiredMixin, View):
    """The library: products by kind, objective, agency and year, with search by title."""

    def has_access(self):
        return permissions.can_open_library(self.request.user)

    def get(self, request):
        user = request.user
        form = LibraryFilterForm(
            request.GET or None,
            years=selectors.years(user),
            agencies=selectors.agencies(user),
            show_status=permissions.can_view_products(user),
        )
        filters = form.cleaned_data if form.is_valid() else {}
        products = selectors.product_list(
            user,
            q=filters.get("q") or "",
            kind=filters.get("kind") or "",
            status=filters.get("status") or "",
            objective=filters.get("objective"),
            gcm=filters.get("gcm"),
            agency=filters.get("agency"),
            year=filters.get("year"),
        )
        page = Paginator(products, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "library/product_list.html",
            {
                "form": form,
                "page_obj": page,
                "products": page.object_list,
                "filtered": any(filters.values()) if filters else False,
                "can_create": permissions.can_create_product(user),
                "is_member": permissions.can_view_products(user),
            },
        )


class ProductCreateView(CapabilityRequiredMixin, OncePerFormMixin, View):
    def has_access(self):
        return permissions.can_create_product(self.request.user)

    def form(self, data=None):
        user = self.request.user
        lead = (
            None if permissions.can_manage_products(user) else permissions.drafting_agencies(user)
        )
        return ProductForm(data, lead_agencies=lead)

    def get(self, request):
        return self.show(self.form())

    def show(self, form, status=200):
        return render(
            self.request,
            "library/product_form.html",
            {"form": form, "heading": _("New knowledge product")},
            status=status,
        )

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                product = services.product_create(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft is saved. Upload its file next."))
                return redirect(product)
        return self.show(form, status=400)


class ProductDetailView(ProductMixin, View):
    def has_access(self):
        return True  # load_objects found it among the products this person may open

    def get(self, request, pk):
        user = request.user
        product = selectors.product_detail(user, pk)
        pending = self.decision_pending()
        versions = list(product.versions.all())
        old_versions = permissions.can_see_old_versions(user, product)
        return render(
            request,
            "library/product_detail.html",
            {
                "product": product,
                "current": versions[0] if versions else None,
                "versions": versions if old_versions else versions[:1],
                # Its authors see whether search can read the file yet.
                "show_extraction": old_versions,
                "comments": list(product.comments.all())
                if permissions.can_view_products(user)
                else [],
                "decision_pending": pending,
                "comment_form": CommentForm() if permissions.can_comment(user, product) else None,
                "comment_period_open": rules.comment_period_open(
                    status=product.status,
                    comment_deadline=product.comment_deadline,
                    today=timezone.localdate(),
                ),
                "is_member": permissions.can_view_products(user),
                "can_edit": permissions.can_edit_product(user, product),
                "can_upload": permissions.can_upload_version(user, product),
                "can_start_review": permissions.can_start_review(user, product),
                "can_extend": product.in_review and permissions.can_manage_products(user),
                "can_return": permissions.can_return_to_draft(
                    user, product, decision_pending=pending
                ),
                "can_propose": permissions.can_propose_endorsement(
                    user, product, decision_pending=pending
                ),
                "can_publish": permissions.can_publish(user, product),
                "can_record_submission": permissions.can_record_submission(user, product),
            },
        )


class ActionView(ProductMixin, View):
    """A state change of a product: a confirmation page with a form, then one service call."""

    form_class = None
    heading = ""
    explanation = ""
    submit_label = ""
    success = ""
    template_name = "library/product_action.html"

    def allowed(self):
        raise NotImplementedError

    def has_access(self):
        return self.allowed()

    def get_form(self, data=None, files=None):
        return self.form_class(data, files) if self.form_class else None

    def act(self, form):
        raise NotImplementedError

    def show(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "product": self.product,
                "form": form,
                "heading": self.heading,
                "explanation": self.explanation,
                "submit_label": self.submit_label,
                "multipart": bool(form and form.is_multipart()),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.show(self.get_form())

    def post(self, request, pk):
        form = self.get_form(request.POST, request.FILES)
        if form is None or form.is_valid():
            try:
                result = self.act(form.cleaned_data if form is not None else {})
            except DomainError as error:
                if form is None:
                    messages.error(request, error.message)
                    return redirect(self.product)
                form.add_error(None, error.message)
            else:
                messages.success(request, self.success)
                return result or redirect(self.product)
        return self.show(form, status=400)


class ProductEditView(ActionView):
    template_name = "library/product_form.html"

    def allowed(self):
        return permissions.can_edit_product(self.request.user, self.product)

    def get_form(self, data=None, files=None):
        user = self.request.user
        lead = (
            None if permissions.can_manage_products(user) else permissions.drafting_agencies(user)
        )
        return ProductForm(data, instance=self.product, lead_agencies=lead)

    def show(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "product": self.product, "heading": _("Edit the knowledge product")},
            status=status,
        )

    def post(self, request, pk):
        form = self.get_form(request.POST)
        # The ModelForm must not save itself: the service does, after its checks.
        if form.is_valid():
            try:
                services.product_update(product=self.product, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The knowledge product is saved."))
                return redirect(self.product)
        return self.show(form, status=400)


class VersionUploadView(OncePerFormMixin, ActionView):
    form_class = VersionForm

    @property
    def heading(self):
        return _("Upload a new version")

    @property
    def explanation(self):
        return _(
            "Each upload becomes the current version; the earlier files are kept. The text of a "
            "PDF is read in the background so that search finds it."
        )

    @property
    def submit_label(self):
        return _("Upload")

    @property
    def success(self):
        return _("The new version is uploaded.")

    def allowed(self):
        return permissions.can_upload_version(self.request.user, self.product)

    def act(self, data):
        services.version_upload(
            product=self.product, upload=data["file"], note=data["note"], by=self.request.user
        )


class ReviewStartView(ActionView):
    form_class = ReviewForm

    @property
    def heading(self):
        return _("Put in review")

    @property
    def explanation(self):
        return _(
            "The focal points and alternates of the member agencies are asked by email for "
            "their comments, which every member can read on the product's page."
        )

    @property
    def submit_label(self):
        return _("Put in review")

    @property
    def success(self):
        return _("The product is in review; the members are asked for comments.")

    def allowed(self):
        return permissions.can_start_review(self.request.user, self.product)

    def act(self, data):
        services.review_start(
            product=self.product, comment_deadline=data["comment_deadline"], by=self.request.user
        )


class ReviewExtendView(ActionView):
    form_class = ReviewForm

    @property
    def heading(self):
        return _("Change the comment deadline")

    @property
    def submit_label(self):
        return _("Save")

    @property
    def success(self):
        return _("The comment deadline is changed.")

    def allowed(self):
        return self.product.in_review and permissions.can_manage_products(self.request.user)

    def act(self, data):
        services.review_extend(
            product=self.product, comment_deadline=data["comment_deadline"], by=self.request.user
        )


class ReturnToDraftView(ActionView):
    form_class = ReturnForm

    @property
    def heading(self):
        return _("Back to draft")

    @property
    def explanation(self):
        return _("The comment period ends; the comments are kept with the product.")

    @property
    def submit_label(self):
        return _("Back to draft")

    @property
    def success(self):
        return _("The product is a draft again.")

    def allowed(self):
        return permissions.can_return_to_draft(
            self.request.user, self.product, decision_pending=self.decision_pending()
        )

    def act(self, data):
        services.return_to_draft(product=self.product, reason=data["reason"], by=self.request.user)


class CommentView(OncePerFormMixin, ProductMixin, View):
    def has_access(self):
        return permissions.can_comment(self.request.user, self.product)

    def post(self, request, pk):
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.comment_add(
                    product=self.product, body=form.cleaned_data["body"], by=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Your comment is added."))
        else:
            messages.error(request, _("Write a comment."))
        return redirect(self.product.get_absolute_url() + "#comments")


class EndorsementProposeView(ActionView):
    form_class = EndorsementForm

    @property
    def heading(self):
        return _("Propose for endorsement by decision")

    @property
    def explanation(self):
        return _(
            "Endorsing a product speaks for the network, so it takes a decision by full "
            "consensus (ToR). When the decision is adopted, the product is endorsed; if not, it "
            "stays in review with a note."
        )

    @property
    def submit_label(self):
        return _("Propose for endorsement")

    @property
    def success(self):
        return _("The product is tied to the decision that will endorse it.")

    def allowed(self):
        return permissions.can_propose_endorsement(
            self.request.user, self.product, decision_pending=self.decision_pending()
        )

    def act(self, data):
        product = services.endorsement_propose(
            product=self.product, decision=data.get("decision"), by=self.request.user
        )
        if data.get("decision") is None:
            messages.info(
                self.request,
                _("A draft decision was created: check its text and open it for the agencies."),
            )
            return redirect(product.endorsement_decision)
        return None


class PublishView(ActionView):
    form_class = PublishForm

    @property
    def heading(self):
        return _("Publish")

    @property
    def submit_label(self):
        return _("Publish")

    @property
    def success(self):
        return _("The product is published.")

    def allowed(self):
        return permissions.can_publish(self.request.user, self.product)

    def act(self, data):
        services.product_publish(
            product=self.product,
            audience=data["audience"],
            published_on=data["published_on"],
            by=self.request.user,
        )


class SubmissionView(ActionView):
    form_class = SubmissionForm

    @property
    def heading(self):
        return _("Record the submission to the UN Networks on Migration")

    @property
    def submit_label(self):
        return _("Save")

    @property
    def success(self):
        return _("The submission is recorded.")

    def allowed(self):
        return permissions.can_record_submission(self.request.user, self.product)

    def get_form(self, data=None, files=None):
        initial = {
            "regional_on": self.product.submitted_regional_on,
            "global_on": self.product.submitted_global_on,
        }
        return SubmissionForm(data, initial=initial)

    def act(self, data):
        services.submission_record(
            product=self.product,
            regional_on=data.get("regional_on"),
            global_on=data.get("global_on"),
            by=self.request.user,
        )
