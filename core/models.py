import hashlib
import uuid
import zoneinfo
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .storage import private_storage
from .validators import bounds, validate_single_line


class TimeStampedModel(models.Model):
    """Creation and last-change timestamps; one-line text fields refuse control characters."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        # Every single-line field (a title, a name, a place) ends up in an email subject, a
        # calendar file or a header somewhere: CR/LF there breaks it. Checked here, for every
        # domain model at once, rather than field by field (TextFields may hold line breaks).
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude:
                continue
            if isinstance(field, models.CharField) and not field.choices:
                try:
                    validate_single_line(getattr(self, field.attname))
                except ValidationError as error:
                    errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_day_offsets(value):
    if not isinstance(value, list) or not all(
        isinstance(day, int) and 0 <= day <= 60 for day in value
    ):
        raise ValidationError(_("Enter a list of whole numbers of days between 0 and 60."))


def validate_weekdays(value):
    if not isinstance(value, list) or not all(
        isinstance(day, int) and 0 <= day <= 6 for day in value
    ):
        raise ValidationError(_("Enter a list of weekdays from 0 (Monday) to 6 (Sunday)."))


def default_weekend():
    return [5, 6]


class NetworkManager(models.Manager):
    def get_current(self):
        """The network this instance serves, created with neutral defaults on first use.

        Every page reads it (the time zone, the name in the layout), so its fields are kept in
        the cache, under a key naming the fields (a deploy that changes them reads afresh);
        `Network.save()` and `delete()` drop them.
        """
        names = [field.attname for field in self.model._meta.concrete_fields]
        key = _network_cache_key(names)
        values = cache.get(key)
        if values is not None:
            return self.model.from_db(self.db, names, values)
        network, _created = self.get_or_create(
            pk=Network.SINGLETON_PK,
            defaults={"name": _("UN Network on Migration"), "short_name": "UNNM"},
        )
        cache.set(key, [getattr(network, name) for name in names], NETWORK_CACHE_SECONDS)
        return network


NETWORK_CACHE_SECONDS = 3600


def _network_cache_key(names):
    return "core.network." + hashlib.sha256(",".join(names).encode()).hexdigest()[:16]


def forget_network():
    """Drop the cached network now, and again once the change commits (a page that read the old
    record in between would otherwise put it back)."""
    key = _network_cache_key([field.attname for field in Network._meta.concrete_fields])
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


class Network(models.Model):
    """The country network this instance of the portal serves (one record per instance)."""

    SINGLETON_PK = 1

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    country = models.CharField(_("country"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Dates and times across the portal are shown in this time zone."),
    )
    decision_prefix = models.CharField(
        _("decision reference prefix"),
        max_length=20,
        default="UNNM",
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", _("Capital letters, digits, dashes."))],
        help_text=_("Decisions are numbered PREFIX/YEAR/SEQUENCE, e.g. UNNM-BH/2026/007."),
    )
    invitation_validity_days = models.PositiveSmallIntegerField(
        _("invitation links valid for (days)"), default=14
    )
    meeting_reminder_days = models.JSONField(
        _("meeting reminders (days before)"),
        default=list,
        validators=[validate_day_offsets],
        help_text=_("For example [7, 1]: a reminder a week before and the day before."),
    )
    decision_reminder_days = models.JSONField(
        _("decision reminders (days before the deadline)"),
        default=list,
        validators=[validate_day_offsets],
    )

    silence_notice_working_days = models.PositiveSmallIntegerField(
        _("minimum notice of a silence procedure (working days)"),
        default=5,
        validators=bounds(1, 60, _("Between 1 and 60 days.")),
        help_text=_("A silence procedure's deadline is at least this many working days away."),
    )
    decision_notice_days = models.PositiveSmallIntegerField(
        _("minimum notice of a written procedure (days)"),
        default=1,
        validators=bounds(1, 60, _("Between 1 and 60 days.")),
        help_text=_("A written procedure's deadline is at least this many days away."),
    )
    weekend_days = models.JSONField(
        _("weekend days"),
        default=default_weekend,
        validators=[validate_weekdays],
        help_text=_("Days that are not working days: 0 = Monday … 6 = Sunday (Bahrain: [4, 5])."),
    )

    objects = NetworkManager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("network")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="network_singleton"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        if not self.meeting_reminder_days and self._state.adding:
            self.meeting_reminder_days = [7, 1]
        if not self.decision_reminder_days and self._state.adding:
            self.decision_reminder_days = [3, 1]
        super().save(*args, **kwargs)
        forget_network()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_network()
        return result

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class AuditEntry(models.Model):
    """One change to the network's records: who did what to which object, and when."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def get_absolute_url(self):
        return reverse("admin:core_auditentry_change", args=[self.pk])


def localized(obj, field):
    """`obj.<field>` in the active language: `<field>_<language>` when it is filled in, else the
    portal's default language (reference data keeps one column per language, see core/reference).
    """
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language != settings.LANGUAGE_CODE:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


class ToRObjective(models.Model):
    """One of the objectives of the network's Terms of Reference (one list for every module)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_label = models.CharField(_("short label"), max_length=100)
    text = models.TextField(_("text"))
    short_label_ar = models.CharField(_("short label (Arabic)"), max_length=100, blank=True)
    text_ar = models.TextField(_("text (Arabic)"), blank=True)

    class Meta:
        verbose_name = _("ToR objective")
        verbose_name_plural = _("ToR objectives")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.label}"

    @property
    def label(self):
        """The short label in the reader's language."""
        return localized(self, "short_label")

    @property
    def local_text(self):
        """The objective's text in the reader's language."""
        return localized(self, "text")


def stored_file_upload_to(instance, filename):
    # A random directory per file: names never collide and cannot be guessed from the outside.
    folder = instance.kind.replace(".", "/") or "files"
    return f"{folder}/{instance.uuid.hex}/{PurePath(filename).name}"


class StoredFile(models.Model):
    """A file the portal keeps in private storage; only its owning app says who may have it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(
        storage=private_storage, upload_to=stored_file_upload_to, max_length=500
    )
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    # Who owns it: "meetings.document", "workplan.pdf"... and the object of that app it belongs to.
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    owner_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_id = models.CharField(max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "owner_type", "owner_id", "version"],
                name="storedfile_one_version_per_owner",
            ),
        ]
        indexes = [models.Index(fields=["kind", "owner_type", "owner_id", "-version"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:file_download", args=[self.uuid])


class Job(models.Model):
    """Work done in the background for someone: progress, outcome and the file it produced."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    concerns = GenericForeignKey("content_type", "object_id")
    # Ids and choices only, never personal data: the row outlives the people it mentions.
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Safe to show the person; the traceback goes to the log only.
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.ForeignKey(
        StoredFile,
        verbose_name=_("result"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # The delivery of the task that runs the job now: a late finisher with another token is ignored.
    run_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="job_progress_0_100"
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["status", "started_at"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.uuid}"

    def get_absolute_url(self):
        return reverse("core:job_status", args=[self.uuid])

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class EmailLedgerQuerySet(models.QuerySet):
    def claim(self, *, event, recipient, ttl, now=None):
        """Claim the sending of `event` to `recipient`; False if it was sent or is being sent.

        A claim expires after `ttl`: a worker killed during delivery leaves a claim without a
        sent mark, and the task delivered again after the broker's visibility timeout sends it.
        """
        from django.utils import timezone

        now = now or timezone.now()
        recipient = recipient.strip().lower()
        with transaction.atomic():
            entry, created = self.get_or_create(
                event=event,
                recipient=recipient,
                defaults={"claimed_until": now + ttl, "attempts": 1},
            )
            if created:
                return True
            entry = self.select_for_update().get(pk=entry.pk)
            if entry.sent_at is not None or entry.claimed_until > now:
                return False
            entry.claimed_until = now + ttl
            entry.attempts += 1
            entry.save(update_fields=["claimed_until", "attempts"])
            return True

    def release(self, *, event, recipients):
        """Give the claims up (the hand-off failed): a retry may send at once."""
        from django.utils import timezone

        self.filter(
            event=event, recipient__in=[r.strip().lower() for r in recipients], sent_at=None
        ).update(claimed_until=timezone.now())

    def mark_sent(self, *, event, recipients):
        from django.utils import timezone

        self.filter(event=event, recipient__in=[r.strip().lower() for r in recipients]).update(
            sent_at=timezone.now()
        )


class EmailLedgerEntry(models.Model):
    """One email of one event to one recipient: claimed before the SMTP hand-off, then marked sent.

    The unique (event, recipient) pair is what stops a task delivered twice (a killed worker, a
    scheduler firing twice) from sending the same email twice.
    """

    event = models.CharField(_("event"), max_length=255)
    recipient = models.CharField(_("recipient"), max_length=254)
    claimed_until = models.DateTimeField(_("claimed until"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    objects = EmailLedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], name="email_ledger_one_per_event_and_recipient"
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient}"


class FormSubmission(models.Model):
    """A rendered form that was sent once: its token may not create anything a second time."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("by")
    )
    redirect_to = models.CharField(_("answered with"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.token[:8]}…"
