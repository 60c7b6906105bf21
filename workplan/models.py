from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel, localized
from core.validators import AMOUNT, POSITIVE_AMOUNT, YEAR

from . import rules
from .querysets import DeliverableQuerySet, WorkplanQuerySet

# --- Reference data (seeded from workplan/reference/*.csv by a data migration) ---------------


class GCMObjective(models.Model):
    """One of the 23 objectives of the Global Compact for Migration."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_label = models.CharField(_("short label"), max_length=100)
    title = models.TextField(_("title"))
    short_label_ar = models.CharField(_("short label (Arabic)"), max_length=100, blank=True)
    title_ar = models.TextField(_("title (Arabic)"), blank=True)

    class Meta:
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.label}"

    @property
    def label(self):
        """The short label in the reader's language."""
        return localized(self, "short_label")

    @property
    def local_title(self):
        """The objective's wording in the reader's language."""
        return localized(self, "title")


class GCMGuidingPrinciple(models.Model):
    """One of the ten cross-cutting guiding principles of the GCM."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    principle = models.CharField(_("principle"), max_length=100)
    principle_ar = models.CharField(_("principle (Arabic)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("GCM guiding principle")
        verbose_name_plural = _("GCM guiding principles")
        ordering = ["order"]

    def __str__(self):
        return self.local_principle

    @property
    def local_principle(self):
        """The principle in the reader's language."""
        return localized(self, "principle")


class SDGTarget(models.Model):
    """A migration-related target of the Sustainable Development Goals."""

    target = models.CharField(_("target"), max_length=10, unique=True)
    goal = models.PositiveSmallIntegerField(_("goal"))
    wording = models.TextField(_("wording"))
    wording_ar = models.TextField(_("wording (Arabic)"), blank=True)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal", "target"]

    def __str__(self):
        return _("SDG %(target)s") % {"target": self.target}

    @property
    def local_wording(self):
        """The target's official wording in the reader's language."""
        return localized(self, "wording")


class ThematicArea(models.Model):
    """A key migration issue of ToR objective 2 (trafficking, labour migration, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=200)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        ordering = ["order", "label"]

    def __str__(self):
        return self.local_label

    @property
    def local_label(self):
        """The label in the reader's language."""
        return localized(self, "label")


# --- The workplan ---------------------------------------------------------------------------


class Workplan(TimeStampedModel):
    """The network's annual workplan: the deliverables it commits to for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ENDORSED = "endorsed", _("Endorsed")
        SHARED = "shared", _("Shared with the UNCT")

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR)
    title = models.CharField(_("title"), max_length=200, blank=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown at the top of the PDF for the UNCT.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    endorsed_on = models.DateField(_("endorsed on"), null=True, blank=True)
    shared_on = models.DateField(_("shared with the UNCT on"), null=True, blank=True)
    endorsed_by_decision = models.ForeignKey(
        "decisions.Decision",
        verbose_name=_("endorsing decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="endorsed_workplans",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("unfinished deliverables copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = WorkplanQuerySet.as_manager()

    class Meta:
        verbose_name = _("workplan")
        verbose_name_plural = _("workplans")
        ordering = ["-year"]
        # "view_workplan" is the portal's capability (members/roles.py), not Django's default.
        default_permissions = ("add", "change", "delete")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(endorsed_on__isnull=False),
                name="workplan_endorsed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="shared") | Q(shared_on__isnull=False),
                name="workplan_shared_has_date",
            ),
        ]
        permissions = [
            ("view_workplan", _("Can read the annual workplan")),
            ("manage_workplan", _("Can create and edit workplans and deliverables")),
            (
                "update_own_deliverables",
                _("Can post progress on the deliverables one's agency leads"),
            ),
        ]

    def __str__(self):
        return self.title or _("Workplan %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("workplan:detail", args=[self.year])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class Deliverable(TimeStampedModel):
    """A result the network commits to deliver in a year, tied to its objectives."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DELAYED = "delayed", _("Delayed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("workplan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    tor_objectives = models.ManyToManyField(
        "core.ToRObjective", related_name="deliverables", verbose_name=_("ToR objectives")
    )
    gcm_objectives = models.ManyToManyField(
        GCMObjective, related_name="deliverables", blank=True, verbose_name=_("GCM objectives")
    )
    sdg_targets = models.ManyToManyField(
        SDGTarget, related_name="deliverables", blank=True, verbose_name=_("SDG targets")
    )
    thematic_area = models.ForeignKey(
        ThematicArea,
        on_delete=models.PROTECT,
        related_name="deliverables",
        verbose_name=_("thematic area"),
    )
    lead_agency = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        related_name="led_deliverables",
        verbose_name=_("lead agency"),
    )
    supporting_agencies = models.ManyToManyField(
        "members.Organisation",
        related_name="supported_deliverables",
        blank=True,
        verbose_name=_("supporting agencies"),
    )
    start_quarter = models.PositiveSmallIntegerField(
        _("start quarter"), choices=rules.QUARTER_CHOICES, default=1
    )
    end_quarter = models.PositiveSmallIntegerField(
        _("end quarter"), choices=rules.QUARTER_CHOICES, default=4
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    budget_required = models.DecimalField(
        _("budget required (USD)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=AMOUNT,
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
    )

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["workplan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["workplan", "number"], name="deliverable_number_unique_per_workplan"
            ),
            models.UniqueConstraint(
                fields=["workplan", "copied_from"],
                condition=Q(copied_from__isnull=False),
                name="deliverable_copied_once_per_workplan",
            ),
            models.CheckConstraint(
                condition=Q(start_quarter__gte=1, start_quarter__lte=4)
                & Q(end_quarter__gte=1, end_quarter__lte=4)
                & Q(end_quarter__gte=F("start_quarter")),
                name="deliverable_quarters_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget_required__gte=0), name="deliverable_budget_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["workplan", "status"]),
            models.Index(fields=["workplan", "lead_agency"]),
            models.Index(fields=["workplan", "thematic_area"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workplan:deliverable", args=[self.pk])

    @property
    def code(self):
        """A short reference such as 2026-07."""
        return f"{self.workplan.year}-{self.number:02d}" if self.workplan_id else ""

    @property
    def is_closed(self):
        return self.status in rules.CLOSED_STATUSES

    @property
    def quarter_span(self):
        return rules.quarter_span(self.start_quarter, self.end_quarter)

    def _funding_totals(self):
        # Selectors annotate the totals; a single deliverable page falls back to its rows.
        if hasattr(self, "confirmed_total") and hasattr(self, "pledged_total"):
            return self.confirmed_total, self.pledged_total
        totals = rules.funding_totals(
            (funding.amount, funding.status == Funding.Status.CONFIRMED)
            for funding in self.fundings.all()
        )
        return totals.confirmed, totals.pledged

    @property
    def confirmed_funds(self):
        return self._funding_totals()[0]

    @property
    def pledged_funds(self):
        return self._funding_totals()[1]

    @property
    def funding_gap(self):
        """Budget required minus confirmed funds (pledges do not close the gap)."""
        return rules.funding_gap(self.budget_required, self.confirmed_funds)

    @property
    def funding_gap_if_pledges_honoured(self):
        return rules.funding_gap(self.budget_required, self.confirmed_funds + self.pledged_funds)


class Funding(TimeStampedModel):
    """Money secured or pledged for a deliverable, by source (resource mobilisation, ToR 7)."""

    class SourceKind(models.TextChoices):
        DONOR = "donor", _("Donor")
        AGENCY = "agency", _("Agency own resources")
        POOLED_FUND = "pooled_fund", _("Pooled or joint fund")
        GOVERNMENT = "government", _("Government")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PLEDGED = "pledged", _("Pledged")

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="fundings")
    source_kind = models.CharField(
        _("kind of source"), max_length=20, choices=SourceKind.choices, default=SourceKind.DONOR
    )
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The donor or agency, e.g. “EU” or “IOM”.")
    )
    amount = models.DecimalField(
        _("amount (USD)"),
        max_digits=14,
        decimal_places=2,
        validators=POSITIVE_AMOUNT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["deliverable", "-amount", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
        ]

    def __str__(self):
        return f"{self.source}: {self.amount} ({self.get_status_display()})"


class ProgressUpdate(models.Model):
    """A dated note on a deliverable's progress, with the status it moved from and to."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("progress note"))
    status_before = models.CharField(
        _("status before"), max_length=20, choices=Deliverable.Status.choices
    )
    status_after = models.CharField(_("status"), max_length=20, choices=Deliverable.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="workplan_updates",
        verbose_name=_("by"),
    )
    author_organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["deliverable", "-date"])]

    def __str__(self):
        return f"{self.deliverable} — {self.date}"

    @property
    def status_changed(self):
        return self.status_before != self.status_after
