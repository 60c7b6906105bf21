from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .querysets import DecisionQuerySet, PositionQuerySet


class Stance(models.TextChoices):
    CONCUR = "concur", _("Concur")
    STAND_ASIDE = "stand_aside", _("Stand aside")
    OBJECT = "object", _("Object")


class Decision(TimeStampedModel):
    """A proposal put to the network's member agencies for full consensus (ToR)."""

    class Procedure(models.TextChoices):
        MEETING = "meeting", _("At a meeting")
        WRITTEN = "written", _("Written procedure")
        SILENCE = "silence", _("Silence procedure")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    CLOSED_STATUSES = (Status.ADOPTED, Status.NOT_ADOPTED, Status.WITHDRAWN)
    DEADLINE_PROCEDURES = (Procedure.WRITTEN, Procedure.SILENCE)

    reference = models.CharField(_("reference"), max_length=40, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text of the decision"))
    rationale = models.TextField(_("rationale"), blank=True)
    proposing_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="proposed_decisions",
        null=True,
        blank=True,
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="decisions",
        null=True,
        blank=True,
        help_text=_("The meeting where the decision is taken or discussed."),
    )
    procedure = models.CharField(
        _("procedure"), max_length=20, choices=Procedure.choices, default=Procedure.WRITTEN
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    deadline = models.DateTimeField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("Written and silence procedures close automatically at the deadline."),
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        on_delete=models.PROTECT,
        related_name="revisions",
        null=True,
        blank=True,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # Null when the scheduler closed the decision at its deadline.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    # The outcome as computed once at closing (see rules.consensus_outcome): who concurred, stood
    # aside, objected (with reasons), did not respond, counted as concurring by silence.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-year", "-sequence", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="decision_reference_unique",
            ),
            models.UniqueConstraint(fields=["year", "sequence"], name="decision_year_sequence"),
            # Every decision that was ever opened carries its reference number.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | ~Q(reference=""),
                name="decision_opened_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(procedure="meeting")
                | Q(status="draft")
                | Q(deadline__isnull=False)
                | Q(opened_at__isnull=True),
                name="decision_procedure_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["adopted", "not_adopted", "withdrawn"])
                | Q(closed_at__isnull=True),
                name="decision_closed_at_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "adopted", "not_adopted", "withdrawn"])
                & Q(procedure__in=["meeting", "written", "silence"]),
                name="decision_status_and_procedure_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["procedure"]),
        ]
        permissions = [
            ("view_decisions", _("Can see the network's decisions")),
            ("draft_decisions", _("Can draft decisions")),
            ("manage_decisions", _("Can open, close, extend and withdraw decisions")),
            ("record_positions", _("Can record the position of one's own agency")),
            (
                "record_position_on_behalf",
                _("Can record an agency's position on its behalf at a meeting"),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self):
        return reverse("decisions:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_closed(self):
        return self.status in self.CLOSED_STATUSES

    @property
    def is_silence_procedure(self):
        return self.procedure == self.Procedure.SILENCE

    @property
    def has_deadline_procedure(self):
        return self.procedure in self.DEADLINE_PROCEDURES


class DecisionCounter(models.Model):
    """The last reference number given in a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("decision counter")
        verbose_name_plural = _("decision counters")

    def __str__(self):
        return f"{self.year}: {self.last_sequence}"


class ElectorateMember(models.Model):
    """An agency with voting rights at the moment the decision opened (a snapshot)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="electorate")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("agency of the electorate")
        verbose_name_plural = _("electorate")
        ordering = ["organisation__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organisation"], name="electorate_agency_once"
            ),
        ]

    def __str__(self):
        return f"{self.decision_id}: {self.organisation_id}"


class Position(TimeStampedModel):
    """The current position an agency holds on a decision (one per agency)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="decision_positions",
    )
    stance = models.CharField(_("position"), max_length=20, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf = models.BooleanField(_("recorded on the agency's behalf"), default=False)
    # The meeting where a co-chair recorded the agency's spoken position.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("at the meeting"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organisation__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organisation"], name="position_one_per_agency"
            ),
            models.CheckConstraint(
                condition=~Q(stance="object") | ~Q(reason=""),
                name="position_objection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="position_stance_valid"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_stance_display()}"


class PositionChange(models.Model):
    """One entry of a position's history: who set it, when, from what to what."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="position_changes"
    )
    organisation = models.ForeignKey(
        "members.Organisation", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    from_stance = models.CharField(_("from"), max_length=20, choices=Stance.choices, blank=True)
    to_stance = models.CharField(_("to"), max_length=20, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf = models.BooleanField(_("on the agency's behalf"), default=False)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("at the meeting"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of position")
        verbose_name_plural = _("changes of position")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["decision", "created_at"])]

    def __str__(self):
        return f"{self.organisation_id}: {self.from_stance or '—'} → {self.to_stance}"


class DeadlineExtension(models.Model):
    """A co-chair moved the deadline of an open decision, for a reason shown to everyone."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="extensions")
    previous_deadline = models.DateTimeField(_("previous deadline"))
    new_deadline = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gt=models.F("previous_deadline")),
                name="extension_moves_deadline_later",
            ),
        ]

    def __str__(self):
        return f"{self.decision_id}: {self.previous_deadline} → {self.new_deadline}"


class SentReminder(models.Model):
    """A reminder sent to an agency before a deadline; the constraint makes each go once."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    days_before = models.PositiveSmallIntegerField()
    # An extended deadline gets its own reminders.
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organisation", "days_before", "deadline"],
                name="decision_reminder_sent_once",
            ),
        ]

    def __str__(self):
        return f"{self.decision_id}/{self.organisation_id}: {self.days_before}d"


class SentNotification(models.Model):
    """A notification about a decision that went out; a task run twice does not send it again."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Decision opened")
        OBJECTION = "objection", _("Objection raised")
        OUTCOME = "outcome", _("Outcome announced")
        REMINDER = "reminder", _("Reminder sent by a co-chair")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="sent_notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What makes one notification of a kind distinct: the change of position for an objection.
    key = models.CharField(max_length=50, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind", "key"], name="decision_notification_sent_once"
            ),
        ]

    def __str__(self):
        return f"{self.decision_id}: {self.kind} {self.key}"
