import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validators import bounds


class TimeStampedModel(models.Model):
    """Creation and last-change timestamps."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


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
        """The network this instance serves, created with neutral defaults on first use."""
        network, _created = self.get_or_create(
            pk=Network.SINGLETON_PK,
            defaults={"name": _("UN Network on Migration"), "short_name": "UNNM"},
        )
        return network


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
