from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .querysets import AppointmentQuerySet, MembershipQuerySet, OrganisationQuerySet


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
