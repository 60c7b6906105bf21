"""Knowledge products of the network (ToR objective 4): policy briefs, papers, action plans."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from core.validators import YEAR

from .querysets import KnowledgeProductQuerySet

# The file text kept for search: enough for any brief or paper; a PostgreSQL tsvector holds at
# most 1 MB, and the stored vector (migration 0002) reads only the first part of it.
FILE_TEXT_LIMIT = 500_000


class KnowledgeProduct(TimeStampedModel):
    """A policy brief, paper, action plan or other product the network contributes."""

    class Kind(models.TextChoices):
        POLICY_BRIEF = "policy_brief", _("Policy brief")
        POLICY_PAPER = "policy_paper", _("Policy paper")
        ACTION_PLAN = "action_plan", _("Action plan")
        RESEARCH = "research", _("Research")
        JOINT_STATEMENT = "joint_statement", _("Joint statement")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        ENDORSED = "endorsed", pgettext_lazy("knowledge product", "Endorsed")
        PUBLISHED = "published", _("Published")

    class Audience(models.TextChoices):
        NETWORK = "network", _("The network only")
        UN_NETWORKS = "un_networks", _("Also the regional and global UN Networks on Migration")
        PUBLIC = "public", _("Public")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    lead_agency = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="led_knowledge_products",
    )
    agencies = models.ManyToManyField(
        "members.Organisation",
        verbose_name=_("contributing agencies"),
        blank=True,
        related_name="knowledge_products",
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors"),
        blank=True,
        related_name="knowledge_products",
    )
    other_authors = models.CharField(
        _("other authors"),
        max_length=300,
        blank=True,
        help_text=_("Authors without an account in the portal, separated by commas."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    tor_objectives = models.ManyToManyField(
        "core.ToRObjective",
        verbose_name=_("ToR objectives"),
        blank=True,
        related_name="knowledge_products",
    )
    gcm_objectives = models.ManyToManyField(
        "workplan.GCMObjective",
        verbose_name=_("GCM objectives"),
        blank=True,
        related_name="knowledge_products",
    )
    deliverables = models.ManyToManyField(
        "workplan.Deliverable",
        verbose_name=_("workplan deliverables"),
        blank=True,
        related_name="knowledge_products",
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    comment_deadline = models.DateField(_("comments until"), null=True, blank=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    # The decision the network takes (or took) on endorsing the product; a decision not adopted
    # (or withdrawn) is unlinked again and kept as `refused_decision`, so the page can say so.
    endorsement_decision = models.ForeignKey(
        "decisions.Decision",
        verbose_name=_("endorsing decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="endorsed_knowledge_products",
    )
    endorsed_on = models.DateField(_("endorsed on"), null=True, blank=True)
    # Stored as data, not as a sentence: the note is written in the reader's language when shown.
    refused_decision = models.ForeignKey(
        "decisions.Decision",
        verbose_name=_("decision that did not endorse it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    submitted_regional_on = models.DateField(
        _("submitted to the regional UN Network on Migration on"), null=True, blank=True
    )
    submitted_global_on = models.DateField(
        _("submitted to the global UN Network on Migration on"), null=True, blank=True
    )

    # The text of the current file (extracted from PDFs by a background job), for search.
    file_text = models.TextField(_("text of the current file"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = KnowledgeProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge product")
        verbose_name_plural = _("knowledge products")
        ordering = ["-year", "-created_at", "-pk"]
        default_permissions = ("add", "change", "delete")
        permissions = [
            ("view_products", _("Can read the network's knowledge products")),
            ("manage_products", _("Can manage every knowledge product")),
            ("draft_products", _("Can draft knowledge products for one's agency")),
            ("comment_on_products", _("Can comment on knowledge products in review")),
            ("endorse_products", _("Can propose knowledge products for endorsement")),
        ]
        indexes = [
            models.Index(fields=["status", "-year"], name="library_product_status_year"),
            models.Index(fields=["kind", "-year"], name="library_product_kind_year"),
            models.Index(fields=["-year", "-created_at"], name="library_product_year"),
            models.Index(fields=["audience", "status"], name="library_product_audience"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "policy_brief",
                        "policy_paper",
                        "action_plan",
                        "research",
                        "joint_statement",
                        "other",
                    ]
                ),
                name="library_product_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "endorsed", "published"]),
                name="library_product_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review"]) | Q(endorsed_on__isnull=False),
                name="library_product_endorsed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (
                    Q(published_on__isnull=False)
                    & Q(audience__in=["network", "un_networks", "public"])
                ),
                name="library_product_published_has_date_and_audience",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["un_networks", "public"])
                | (Q(submitted_regional_on__isnull=True) & Q(submitted_global_on__isnull=True)),
                name="library_product_submitted_only_beyond_network",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:detail", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def in_review(self):
        return self.status == self.Status.IN_REVIEW

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def language_names(self):
        from .rules import language_name

        return [language_name(code) for code in self.languages or ()]


class ProductVersion(models.Model):
    """One uploaded file of a product; every upload is a new version and old ones are kept."""

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Text extraction pending")
        DONE = "done", _("Text extracted")
        NOT_APPLICABLE = "not_applicable", _("No text extracted from this type of file")
        FAILED = "failed", _("Text extraction failed")

    product = models.ForeignKey(KnowledgeProduct, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    stored_file = models.OneToOneField(
        "core.StoredFile", on_delete=models.PROTECT, related_name="library_version"
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    extraction = models.CharField(
        max_length=20, choices=Extraction.choices, default=Extraction.PENDING
    )
    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("version of a knowledge product")
        verbose_name_plural = _("versions of knowledge products")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="library_version_unique"),
        ]

    def __str__(self):
        return f"{self.product} v{self.number}"


class ProductComment(TimeStampedModel):
    """A member's comment on a product in review (like comments on circulated minutes)."""

    product = models.ForeignKey(KnowledgeProduct, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)

    class Meta:
        verbose_name = _("comment on a knowledge product")
        verbose_name_plural = _("comments on knowledge products")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["product", "created_at"], name="library_comment_product")]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"
