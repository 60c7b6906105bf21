from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class TermsVersionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class TermsVersion(TimeStampedModel):
    """One adopted text of the network's Terms of Reference; exactly one is current."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"))
    summary = models.CharField(_("what changed"), max_length=300, blank=True)
    effective_on = models.DateField(_("effective from"))
    is_current = models.BooleanField(_("current"), default=False, editable=False)
    # The consensus decision that adopted the text; none for the text the portal started from.
    decision = models.OneToOneField(
        "decisions.Decision",
        verbose_name=_("adopted by decision"),
        on_delete=models.PROTECT,
        related_name="terms_version",
        null=True,
        blank=True,
        editable=False,
    )
    amendment = models.OneToOneField(
        "terms.Amendment",
        verbose_name=_("amendment"),
        on_delete=models.PROTECT,
        related_name="version",
        null=True,
        blank=True,
        editable=False,
    )
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("amended by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    # ToR: amendments are submitted "to the UNCT for review and endorsement".
    unct_submitted_on = models.DateField(_("submitted to the UNCT"), null=True, blank=True)
    unct_endorsed_on = models.DateField(_("endorsed by the UNCT"), null=True, blank=True)
    unct_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    objects = TermsVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Terms of Reference version")
        verbose_name_plural = _("Terms of Reference versions")
        ordering = ["-number"]
        constraints = [
            # At most one current version; the services never leave none (the swap is atomic).
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="terms_one_current_version",
            ),
            models.CheckConstraint(
                condition=Q(unct_endorsed_on__isnull=True)
                | (
                    Q(unct_submitted_on__isnull=False)
                    & Q(unct_endorsed_on__gte=models.F("unct_submitted_on"))
                ),
                name="terms_endorsed_after_submitted",
            ),
        ]
        permissions = [
            ("view_terms", _("Can read the Terms of Reference and their history")),
            ("draft_amendments", _("Can draft amendments of the Terms of Reference")),
            (
                "manage_terms",
                _("Can propose amendments, record reviews and the UNCT's endorsement"),
            ),
        ]

    def __str__(self):
        return _("Terms of Reference, version %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("terms:version", args=[self.number])


class AmendmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafters see every amendment; other members only those put to the network."""
        from . import permissions

        if permissions.can_draft_amendment(user):
            return self
        if permissions.can_view_terms(user):
            return self.filter(decision__isnull=False)
        return self.none()


class Amendment(TimeStampedModel):
    """A proposed new text of the Terms of Reference, adopted only by a consensus decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Before the network")
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("what changes and why"),
        blank=True,
        help_text=_("Shown to the agencies with the decision and kept with the new version."),
    )
    text = models.TextField(_("proposed text"))
    # The version the proposed text was written against; it must be current when proposed.
    base_version = models.ForeignKey(
        TermsVersion,
        verbose_name=_("amends version"),
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    decision = models.OneToOneField(
        "decisions.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="terms_amendment",
        null=True,
        blank=True,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True, editable=False)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment of the Terms of Reference")
        verbose_name_plural = _("amendments of the Terms of Reference")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One amendment before the network at a time: each is written against the current
            # text, so two adopted side by side would silently undo each other's changes.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="proposed"),
                name="terms_one_amendment_before_the_network",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | Q(decision__isnull=False),
                name="terms_proposed_amendment_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "proposed", "adopted", "not_adopted", "withdrawn"]
                ),
                name="terms_amendment_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("terms:amendment", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class Review(TimeStampedModel):
    """The yearly review of the current version (ToR: "reviewed on a yearly basis")."""

    class Outcome(models.TextChoices):
        NO_CHANGE = "no_change", _("No change needed")
        AMENDMENT = "amendment", _("An amendment is proposed")

    version = models.ForeignKey(
        TermsVersion, on_delete=models.PROTECT, related_name="reviews", editable=False
    )
    # The anniversary of the version's effective date this review answers.
    due_on = models.DateField(_("review due"), editable=False)
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    amendment = models.ForeignKey(
        Amendment,
        verbose_name=_("amendment"),
        on_delete=models.PROTECT,
        related_name="reviews",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("review of the Terms of Reference")
        verbose_name_plural = _("reviews of the Terms of Reference")
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "due_on"], name="terms_one_review_a_year"),
            models.CheckConstraint(
                condition=Q(outcome__in=["no_change", "amendment"]),
                name="terms_review_outcome_valid",
            ),
        ]

    def __str__(self):
        return f"{self.version} ({self.due_on})"


class ReviewReminder(models.Model):
    """The yearly review reminder of a version went out (one row per version and anniversary)."""

    version = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["version", "due_on"], name="terms_one_reminder_a_year")
        ]

    def __str__(self):
        return f"{self.version_id} {self.due_on}"
