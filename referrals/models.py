"""Case referrals between agencies (docs/PRODUCT.md §6): the people referred are migrants in
vulnerable situations, so every personal field is encrypted at rest (crypto.EncryptedTextField),
visibility is one queryset (querysets.ReferralQuerySet.visible_to) and every read is logged.

Attachments hang off `Referral` and `ReferralMessage` as `ReferralAttachment` rows whose
`core.StoredFile` holds Fernet ciphertext only (attachments.py explains the download path).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from members.models import Organisation

from .crypto import EncryptedTextField
from .querysets import (
    AccessLogQuerySet,
    OfficerAppointmentQuerySet,
    ReferralQuerySet,
)


class ServiceKind(models.TextChoices):
    PROTECTION = "protection", _("Protection")
    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    DOCUMENTATION = "documentation", _("Documentation")
    LABOUR_COMPLAINTS = "labour_complaints", _("Labour complaints")
    RETURN_REINTEGRATION = "return_reintegration", _("Return and reintegration")
    OTHER = "other", _("Other")


class ReferralOfficerAppointment(TimeStampedModel):
    """A person appointed to handle an organisation's referrals, from a date, possibly until one."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referral_officer_appointments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referral_officer_appointments",
    )
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Access stops on this day.")
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = OfficerAppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral officer appointment")
        verbose_name_plural = _("referral officer appointments")
        ordering = ["organisation__acronym", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="referral_officer_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["person", "end_date"])]

    def __str__(self):
        return f"{self.person} — {self.organisation}"

    def is_active(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date > on)


class ServiceOffer(TimeStampedModel):
    """A service an organisation offers to referred people, and how to refer to it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="referral_services"
    )
    kind = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices)
    eligibility = models.TextField(_("eligibility"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    how_to_refer = models.TextField(_("how to refer"), blank=True)
    response_time = models.CharField(_("expected response time"), max_length=100, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        ordering = ["organisation__acronym", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="service_offer_once")
        ]

    def __str__(self):
        return f"{self.organisation.acronym}: {self.get_kind_display()}"


class DataCategory(models.TextChoices):
    """Categories of personal data a person may agree to share with the receiving agency."""

    IDENTITY = "identity", _("Name or alias")
    DEMOGRAPHICS = "demographics", _("Sex, age, nationality and languages")
    CONTACT = "contact", _("Contact details")
    CASE = "case", _("Case summary")
    DOCUMENTS = "documents", _("Documents and attachments")


# Which personal field belongs to which consent category.
FIELD_CATEGORIES = {
    "full_name": DataCategory.IDENTITY,
    "sex": DataCategory.DEMOGRAPHICS,
    "year_of_birth": DataCategory.DEMOGRAPHICS,
    "age": DataCategory.DEMOGRAPHICS,
    "nationality": DataCategory.DEMOGRAPHICS,
    "languages": DataCategory.DEMOGRAPHICS,
    "contact": DataCategory.CONTACT,
    "summary": DataCategory.CASE,
}
PERSONAL_FIELDS = tuple(FIELD_CATEGORIES)


class Referral(models.Model):
    """One person's case referred by one organisation to another."""

    class Urgency(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        # A status, not the date label "Closed" of other pages: Arabic words them differently.
        CLOSED = "closed", pgettext_lazy("referral status", "Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Random, non-sequential, the only identifier in URLs, emails, logs and task arguments.
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    services = models.JSONField(_("services requested"), default=list)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    acknowledge_due_at = models.DateTimeField(_("to acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # When the case left the workflow (closed, declined, withdrawn): retention counts from here.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)

    # The person: minimum data, each field encrypted (a dump of the database shows no name).
    full_name = EncryptedTextField(_("name or alias"), blank=True)
    sex = EncryptedTextField(_("sex"), blank=True)
    year_of_birth = EncryptedTextField(_("year of birth"), blank=True)
    age = EncryptedTextField(_("age"), blank=True)
    nationality = EncryptedTextField(_("nationality"), blank=True)
    languages = EncryptedTextField(_("languages"), blank=True)
    contact = EncryptedTextField(_("contact"), blank=True)
    summary = EncryptedTextField(_("short case summary"), blank=True)
    # HMAC of the normalised name and year of birth: the duplicate warning without decrypting.
    person_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="referral_between_two_organisations",
            ),
        ]
        indexes = [
            models.Index(fields=["from_organisation", "status"]),
            models.Index(fields=["to_organisation", "status"]),
            # The list, newest first, of the referrals an agency sent or received.
            models.Index(fields=["from_organisation", "-created_at"]),
            models.Index(fields=["to_organisation", "-created_at"]),
            # Every referral of an agency, sent or received (an OR of the two above), newest
            # first: read in this order and filtered, instead of sorting all of them.
            models.Index(fields=["-created_at", "-id"], name="referral_newest_first"),
            # The statistics count the referrals sent in a year or a report's half-year.
            models.Index(fields=["sent_at"], name="referral_sent_at"),
        ]
        permissions = [
            ("handle_referrals", _("Can handle the referrals of an agency it is appointed to")),
            ("view_referral_statistics", _("Can read the anonymous referral statistics")),
        ]

    def __str__(self):
        # Only the reference: this string reaches audit entries and logs.
        return self.reference

    def get_absolute_url(self):
        return reverse("referrals:detail", kwargs={"reference": self.reference})

    @property
    def is_erased(self):
        return self.erased_at is not None

    def service_labels(self):
        labels = dict(ServiceKind.choices)
        return [labels.get(kind, kind) for kind in self.services]


class Consent(TimeStampedModel):
    """The person's informed consent to this referral: one per referral, its own record."""

    class Method(models.TextChoices):
        WRITTEN = "written", _("Written")
        VERBAL = "verbal", _("Verbal")

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="consent")
    receiving_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    purpose = EncryptedTextField(_("purpose"))
    categories = models.JSONField(_("data the person agreed to share"), default=list)
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    obtained_on = models.DateField(_("obtained on"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    language = models.CharField(_("in which language"), max_length=60)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"consent {self.referral_id}"

    def is_valid(self, on=None):
        on = on or timezone.localdate()
        return self.withdrawn_at is None and (self.expires_on is None or self.expires_on >= on)


class ReferralMessage(models.Model):
    """A message between the two sides of a referral (text only for now)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"message {self.pk}"


class ReferralAttachment(models.Model):
    """A file attached to a referral or to one of its messages, encrypted at rest.

    The StoredFile holds the Fernet token of the file, under a neutral name; the real file name
    (which may name the person) is an encrypted field here.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ReferralMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    stored_file = models.OneToOneField(
        "core.StoredFile", on_delete=models.CASCADE, related_name="referral_attachment"
    )
    name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(default=0)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"attachment {self.pk}"


class ReferralCorrection(models.Model):
    """The value a personal field held before a correction (kept, encrypted, until erasure)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=30)
    previous_value = EncryptedTextField(blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-pk"]

    def __str__(self):
        return f"correction {self.pk}"


# What each access-log action code reads as, in the reader's language (the log stores codes).
ACCESS_LOG_ACTIONS = {
    "create": _("Created the referral"),
    "view": _("Opened the referral"),
    "consent.record": _("Recorded consent"),
    "consent.view": _("Viewed the consent"),
    "consent.withdraw": _("Recorded the withdrawal of consent"),
    "send": _("Sent the referral"),
    "acknowledge": _("Acknowledged the referral"),
    "accept": _("Accepted the referral"),
    "decline": _("Declined the referral"),
    "close": pgettext_lazy("referral log", "Closed the referral"),
    "withdraw": _("Withdrew the referral"),
    "messages.view": _("Read the messages"),
    "message.post": _("Posted a message"),
    "file.upload": _("Uploaded a file"),
    "file.download": _("Downloaded a file"),
    "correct.view": _("Opened the correction form"),
    "correct": _("Corrected personal data"),
    "export.request": _("Requested an export of the person's data"),
    "export.generate": _("The export of the person's data was prepared"),
    "export.download": _("Downloaded the export of the person's data"),
    "access_log.view": _("Viewed the access log"),
    "erased": _("Erased the personal data"),
    "retention_erased": _("Personal data erased at the end of the retention period"),
}


class AccessLogEntry(models.Model):
    """One read or change of a referral: who, when, what, from where. Append-only.

    The application refuses to update or delete one (save/delete/queryset), and on PostgreSQL a
    trigger refuses it too (migration 0002), whatever path the write takes.
    """

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        # A referral's log, newest first, a page at a time.
        indexes = [models.Index(fields=["referral", "-at"])]
        verbose_name = _("referral access log entry")
        verbose_name_plural = _("referral access log")

    def __str__(self):
        return f"{self.action} {self.referral_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The referral access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The referral access log is append-only.")

    @property
    def action_label(self):
        """The action in the reader's language (an unknown code is shown as stored)."""
        return ACCESS_LOG_ACTIONS.get(self.action, self.action)
