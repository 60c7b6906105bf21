import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import StoredFile, TimeStampedModel
from core.registry import render_generated
from core.validators import bounds

from .querysets import ActionPointQuerySet, DocumentQuerySet, MeetingQuerySet


class Meeting(TimeStampedModel):
    """A meeting of the network: regular (bi-monthly) or extraordinary."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    # A title the portal wrote (a regular meeting of the schedule) is worded when shown, in the
    # reader's language (core.registry.render_generated); `title` keeps the default language's.
    generated_kind = models.CharField(max_length=60, blank=True)
    generated_params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    chairs = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("chairs"), blank=True, related_name="+"
    )
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    agenda_cutoff = models.DateTimeField(
        _("agenda proposals until"),
        null=True,
        blank=True,
        help_text=_("Focal points may propose agenda items until this moment."),
    )
    agenda_called_at = models.DateTimeField(_("call for agenda items sent"), null=True, blank=True)
    agenda_circulated_at = models.DateTimeField(_("agenda circulated"), null=True, blank=True)
    # Calendar identity: the UID never changes; SEQUENCE grows with every change sent out.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="meeting_cancelled_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]
        permissions = [
            ("view_all_meetings", _("Can see all meetings of the network")),
            ("manage_meetings", _("Can schedule and run meetings")),
            ("propose_agenda_items", _("Can propose agenda items")),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.display_title} ({local:%Y-%m-%d})"

    @property
    def display_title(self):
        """The title in the active language (a title the portal wrote is worded when shown)."""
        return render_generated(f"{self.generated_kind}.title", self.generated_params, self.title)

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self):
        return timezone.now() >= self.starts_at

    @property
    def duration_minutes(self):
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AgendaItem(TimeStampedModel):
    """One item of a meeting's agenda, proposed by a focal point or added by a co-chair."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Added")
        ACTION_POINT = "action_point", _("Open action point")
        DECISION = "decision", _("Pending decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED
    )
    presenter_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presenter_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("presenting organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    guest_speaker = models.CharField(
        _("guest speaker"),
        max_length=200,
        blank=True,
        help_text=_("Name and affiliation of a speaker who has no account."),
    )
    minutes_allotted = models.PositiveSmallIntegerField(
        _("minutes allotted"),
        default=15,
        validators=bounds(1, 480, _("Between 1 and 480 minutes.")),
    )
    tor_objective = models.ForeignKey(
        "core.ToRObjective",
        verbose_name=_("ToR objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_key = models.CharField(max_length=100, blank=True)
    source_url = models.CharField(max_length=500, blank=True)
    # An item the portal wrote itself (carried over) keeps what it says as a kind and parameters,
    # worded when shown in the reader's language (core.registry.render_generated): the title and
    # description fields then hold the default language's wording, for search and the admin.
    generated_kind = models.CharField(max_length=60, blank=True)
    generated_params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposing_organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    # Taken on the meeting day; the minutes draft starts each item's discussion from them.
    notes = models.TextField(_("notes from the meeting"), blank=True, max_length=10000)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_unique_position"
            ),
            # Carrying an open action point or a pending decision twice into one agenda is a
            # duplicate, however often the carry-over runs.
            models.UniqueConstraint(
                fields=["meeting", "source", "source_key"],
                condition=~Q(source="manual"),
                name="agenda_item_carried_once",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        """The title in the active language (a carried-over item is worded when shown)."""
        return render_generated(f"{self.generated_kind}.title", self.generated_params, self.title)

    @property
    def display_description(self):
        """The description in the active language (a carried-over item is worded when shown)."""
        if not self.generated_kind:
            return self.description
        return render_generated(
            f"{self.generated_kind}.description", self.generated_params, self.description
        )

    @property
    def presenter_label(self):
        parts = [
            str(part)
            for part in (self.presenter_person, self.presenter_organisation, self.guest_speaker)
            if part
        ]
        return ", ".join(parts)


class Participant(TimeStampedModel):
    """A person invited to a meeting, and their answer (RSVP)."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member agency")
        GUEST = "guest", _("Guest")

    class Response(models.TextChoices):
        NONE = "", _("No answer yet")
        ATTENDING = "attending", _("Attending")
        NOT_ATTENDING = "not_attending", _("Not attending")
        ALTERNATE = "alternate", _("Alternate attends")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    role_note = models.CharField(_("role"), max_length=200, blank=True)
    response = models.CharField(
        _("answer"), max_length=20, choices=Response.choices, default=Response.NONE, blank=True
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["organisation__acronym", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participant_once"),
        ]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self):
        return f"{self.person} — {self.meeting}"


class Attendance(TimeStampedModel):
    """Who was present at a held meeting, for which organisation and in which capacity."""

    class Capacity(models.TextChoices):
        CHAIR = "chair", _("Chair")
        FOCAL_POINT = "focal_point", _("Focal point")
        ALTERNATE = "alternate", _("Alternate")
        AGENCY_STAFF = "agency_staff", _("Agency staff")
        SECRETARIAT = "secretariat", _("Secretariat")
        GUEST_SPEAKER = "guest_speaker", _("Guest speaker")
        OBSERVER = "observer", _("Observer")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["organisation__acronym", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_person_once",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name


class Minutes(TimeStampedModel):
    """The minutes of a meeting: drafted, circulated for comment, approved (then read-only)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comment")
        APPROVED = "approved", _("Approved")

    class ApprovalMethod(models.TextChoices):
        MEETING = "meeting", _("At a meeting")
        NO_OBJECTION = "no_objection", _("By no-objection")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    body = models.TextField(_("minutes"), blank=True)
    comment_deadline = models.DateField(_("comments until"), null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_method = models.CharField(
        _("approved"), max_length=20, choices=ApprovalMethod.choices, blank=True
    )
    approved_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(approved_on__isnull=False) & ~Q(approval_method="")),
                name="minutes_approved_has_date_and_method",
            ),
        ]

    def __str__(self):
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class MinutesComment(TimeStampedModel):
    """A member's comment on circulated minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)

    class Meta:
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


def action_points_open_first():
    """0 for an open action point, 1 for the others: the list shows the open ones first."""
    return Case(
        When(status="open", then=Value(0)), default=Value(1), output_field=models.IntegerField()
    )


class ActionPoint(TimeStampedModel):
    """A task agreed at a meeting, owned by an organisation and/or a person."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_points")
    description = models.TextField(_("description"), max_length=2000)
    owner_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("owner organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_points",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["status", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_organisation__isnull=False) | Q(owner_person__isnull=False),
                name="action_point_has_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The action-point list's order (selectors.action_point_list): its first page and
            # each keyset page read the index in order instead of sorting every action point.
            models.Index(
                action_points_open_first(), F("due_date"), F("id"), name="actionpoint_list_order"
            ),
            models.Index(fields=["owner_person", "status"]),
            models.Index(fields=["owner_organisation", "status"]),
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("meetings:action_edit", args=[self.pk])

    @property
    def is_overdue(self):
        return (
            self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


def document_upload_to(instance, filename):
    # Where documents were kept before they moved to core's stored files; migration 0001 names it.
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}/{PurePath(filename).name}"


class Document(TimeStampedModel):
    """A file attached to a meeting or one of its agenda items."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    # The file itself lives in core's private storage; core:file_download asks this app first.
    stored_file = models.OneToOneField(
        StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:document_download", args=[self.pk])

    @property
    def original_name(self):
        return self.stored_file.name

    @property
    def size(self):
        return self.stored_file.size

    @property
    def content_type(self):
        return self.stored_file.content_type


class CalendarToken(models.Model):
    """The secret of a person's private calendar feed; revoking it kills the old URL.

    Only a SHA-256 digest of the token is stored (as for invitations): a copy of the database does
    not let anyone read people's calendars. The address is shown once, when it is created.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_token_one_active",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({'revoked' if self.revoked_at else 'active'})"


class SentReminder(models.Model):
    """A reminder that went out: the unique key makes a second run of the task send nothing."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting reminder")
        RSVP_CHASER = "rsvp_chaser", _("RSVP chaser")
        ACTION_DIGEST = "action_digest", _("Overdue action points digest")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the reminder is about, e.g. "7" days before, or the ISO week of a digest.
    key = models.CharField(max_length=100)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "recipient", "key"], name="sent_reminder_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient}"
