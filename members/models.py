from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .querysets import (
    AppointmentQuerySet,
    InvitationQuerySet,
    MembershipQuerySet,
    OrganisationQuerySet,
)


class Organisation(TimeStampedModel):
    """A UN agency or a stakeholder organisation the network works with."""

    class Kind(models.TextChoices):
        UN_AGENCY = "un_agency", _("UN agency")
        GOVERNMENT = "government", _("Government ministry or agency")
        NGO = "ngo", _("NGO / civil society organisation")
        ACADEMIA = "academia", _("Academia")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        WORKERS = "workers", _("Workers' organisation")
        EMPLOYERS = "employers", _("Employers' organisation")
        DEVELOPMENT_PARTNER = "development_partner", _("International development partner")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    acronym = models.CharField(_("acronym"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    is_resident = models.BooleanField(
        _("resident in the country"),
        default=True,
        help_text=_("For UN agencies: whether the agency has an office in the country."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("general email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("acronym"), name="organisation_acronym_ci_unique"
            ),
        ]
        permissions = [
            ("manage_organisations", _("Can add and edit organisations and their membership")),
            ("manage_appointments", _("Can appoint and end focal points and alternates")),
            ("invite_people", _("Can invite people to the portal")),
            ("view_contact_details", _("Can see contact details in the directory")),
            ("view_directory", _("Can see the directory of organisations and people")),
        ]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("members:organisation", args=[self.pk])

    @property
    def is_un_agency(self):
        return self.kind == self.Kind.UN_AGENCY


class Membership(TimeStampedModel):
    """An organisation's place in the network over a period: kept, never overwritten."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member agency (voting)")
        CO_CHAIR = "co_chair", _("Co-chair")
        SECRETARIAT = "secretariat", _("Coordinator / secretariat")
        STAKEHOLDER = "stakeholder", _("Invited stakeholder")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_on = models.DateField(_("joined"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__acronym", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"],
                condition=Q(left_on__isnull=True),
                name="membership_one_active_per_role",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["role", "left_on"])]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()}"

    @property
    def is_active(self):
        return self.left_on is None


class Appointment(TimeStampedModel):
    """A person appointed as focal point or alternate of a member agency."""

    class Kind(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Focal point")
        ALTERNATE = "alternate", _("Alternate")

    class Level(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        DEPUTY = "deputy", _("Deputy")
        SENIOR_PROGRAMME_MANAGER = "senior_programme_manager", _("Senior Programme Manager")
        FOCAL_POINT = "focal_point", _("Focal Point")
        SPECIALIST = "specialist", _("Specialist")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="appointments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(_("appointed as"), max_length=20, choices=Kind.choices)
    level = models.CharField(
        _("participation level"), max_length=30, choices=Level.choices, default=Level.FOCAL_POINT
    )
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["organisation__acronym", "kind", "-start_date"]
        constraints = [
            # ToR: one focal point and one alternate per agency. The database refuses a second
            # active one whatever path the write takes.
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(end_date__isnull=True),
                name="appointment_one_active_per_kind",
            ),
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(end_date__isnull=True),
                name="appointment_person_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="appointment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["person", "end_date"])]

    def __str__(self):
        return f"{self.person} — {self.get_kind_display()}, {self.organisation}"

    @property
    def is_active(self):
        return self.end_date is None


class Invitation(TimeStampedModel):
    """An email invitation to join the portal for an organisation in a role; its link is single-use.

    Only a SHA-256 digest of the link's token is stored: a copy of the database does not let anyone
    accept a pending invitation.
    """

    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Focal point")
        ALTERNATE = "alternate", _("Alternate")
        AGENCY_STAFF = "agency_staff", _("Agency staff")
        REFERRAL_OFFICER = "referral_officer", _("Referral officer")
        GUEST = "guest", _("Guest stakeholder")
        SECRETARIAT = "secretariat", _("Secretariat")
        RCO_ADMIN = "rco_admin", _("RCO administrator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    level = models.CharField(
        _("participation level"),
        max_length=30,
        choices=Appointment.Level.choices,
        blank=True,
        help_text=_("For focal points and alternates."),
    )
    replace_existing = models.BooleanField(
        _("replace the current focal point or alternate"),
        default=False,
        help_text=_(
            "If the agency already has one when the invitation is accepted, end that appointment. "
            "Otherwise the acceptance is refused."
        ),
    )
    message = models.TextField(_("personal message"), blank=True, max_length=2000)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per address: a second one would leave two live links.
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=Q(status="pending"),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="invitation_accepted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()}, {self.organisation}"

    @property
    def is_expired(self):
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.PENDING and self.expires_at <= timezone.now()
        )

    @property
    def effective_status(self):
        """The status as people should see it: a pending invitation past its date has expired."""
        return self.Status.EXPIRED if self.is_expired else self.Status(self.status)

    @property
    def is_open(self):
        return self.status == self.Status.PENDING and not self.is_expired

    @property
    def appoints(self):
        return self.role in (self.Role.FOCAL_POINT, self.Role.ALTERNATE)
