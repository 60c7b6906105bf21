from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.registry import Audience, Period

from . import rules
from .querysets import ReportQuerySet


class Report(TimeStampedModel):
    """A report of the network for a period: compiled sections plus the co-chairs' narrative."""

    class Kind(models.TextChoices):
        BIANNUAL = "biannual", _("Bi-annual progress report")
        ANNUAL_UNCT = "annual_unct", _("Contribution to the UNCT annual report")
        GOVERNMENT = "government", _("Update to the Government")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")
        SUBMITTED = "submitted", _("Submitted")

    READ_ONLY_STATUSES = (Status.FINAL, Status.SUBMITTED)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    title = models.CharField(_("title"), max_length=250)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The compiled sections as they stood when the report became final, by language: a final
    # report does not change when the records it was compiled from do.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    finalized_at = models.DateTimeField(_("made final"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_to = models.CharField(_("submitted to"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "kind", "-pk"]
        # "view_reports" is the portal's capability (members/roles.py), not Django's default.
        default_permissions = ("add", "change", "delete")
        permissions = [
            ("view_reports", _("Can read the network's final reports")),
            ("manage_reports", _("Can create reports and write their narrative")),
            ("finalize_reports", _("Can make a report final and record its submission")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"], name="report_one_per_kind_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "final", "submitted"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalized_at__isnull=False),
                name="report_final_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_on__isnull=False),
                name="report_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind", "-period_end"])]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_default_title(self):
        """Whether the title is still the portal's own (kind and period), in any language."""
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if self.title == rules.default_title(self.Kind(self.kind).label, self.period):
                    return True
        return False

    @property
    def display_title(self):
        """The title in the active language: the portal's default title is worded when shown;
        a title a person wrote is shown as written."""
        if self.is_default_title:
            return rules.default_title(self.Kind(self.kind).label, self.period)
        return self.title

    @property
    def period(self):
        return Period(self.period_start, self.period_end)

    @property
    def period_label(self):
        return rules.period_label(self.period)

    @property
    def audience(self):
        """Who reads it: a Government update leaves out the network's internal deliberation."""
        return Audience.GOVERNMENT if self.kind == self.Kind.GOVERNMENT else Audience.NETWORK

    @property
    def is_read_only(self):
        return self.status in self.READ_ONLY_STATUSES

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class NarrativePart(models.TextChoices):
    SUMMARY = "summary", _("Executive summary")
    HIGHLIGHTS = "highlights", _("Highlights")
    CHALLENGES = "challenges", _("Challenges and impediments")
    NEXT_STEPS = "next_steps", _("Next steps")


class NarrativeRevision(models.Model):
    """One saved text of a narrative part in one language; the latest is the current text."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    part = models.CharField(_("part"), max_length=20, choices=NarrativePart.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    text = models.TextField(_("text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("narrative revision")
        verbose_name_plural = _("narrative revisions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["report", "part", "language", "-id"])]

    def __str__(self):
        return f"{self.report} — {self.get_part_display()} ({self.language})"


class ReportVersion(models.Model):
    """One generated edition of a report: a numbered PDF (and Excel annex) that is kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # Generated from the final text (no DRAFT watermark): the one the archive hands out.
    is_final = models.BooleanField(_("final"), default=False)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("generated"), auto_now_add=True)
    # One version per generation request: a job that runs twice finds its version.
    request_key = models.CharField(max_length=100, unique=True)
    # The files, in private storage; downloaded only through core's permission-checked view.
    pdf_file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    xlsx_file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number"),
        ]

    def __str__(self):
        return f"{self.report} v{self.number} ({self.language})"


class ReportShare(models.Model):
    """A Government update shared with one government guest (ToR objective 3)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guest"),
        on_delete=models.CASCADE,
        related_name="shared_reports",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared"), auto_now_add=True)

    class Meta:
        verbose_name = _("report share")
        verbose_name_plural = _("report shares")
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="report_share_once"),
        ]

    def __str__(self):
        return f"{self.report} → {self.person}"


class ReportReminder(models.Model):
    """A reminder to the co-chairs that went out: one row per (period, kind, reminder)."""

    class Reminder(models.TextChoices):
        PREPARE = "prepare", _("Prepare the report")
        OVERDUE = "overdue", _("No final report yet")

    kind = models.CharField(max_length=20, choices=Report.Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    reminder = models.CharField(max_length=20, choices=Reminder.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end", "reminder"],
                name="report_reminder_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.period_start} to {self.period_end} {self.reminder}"
