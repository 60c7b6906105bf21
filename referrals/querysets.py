"""Reads of the referrals module; `Referral.objects.visible_to(user)` is the one visibility rule."""

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

_CACHE_ATTR = "_referral_officer_organisations"


def officer_organisation_ids(user):
    """The organisations whose referrals this person handles today (cached on the user object).

    Access to referrals comes from a dated appointment per organisation, never from a global role
    plus `user.organisation`: a person leaves the module the day the appointment ends.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        model = apps.get_model("referrals", "ReferralOfficerAppointment")
        cached = frozenset(
            model.objects.active().filter(person=user).values_list("organisation_id", flat=True)
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_officer_organisations(user):
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class OfficerAppointmentQuerySet(models.QuerySet):
    def active(self, on=None):
        """Appointments giving access on `on`: the end date is the day access stops, so ending
        an appointment today cuts access at once."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What this person may open: referrals of the organisations they are officer of.

        The sending side sees its drafts and everything it sent; the receiving side sees what
        was sent to it. Nobody else sees anything (co-chairs, the RCO, platform admins included).
        """
        organisations = officer_organisation_ids(user)
        if not organisations:
            return self.none()
        return self.filter(
            Q(from_organisation__in=organisations)
            | (Q(to_organisation__in=organisations) & ~Q(status="draft"))
        )

    def open(self):
        return self.filter(status__in=["sent", "acknowledged", "accepted"])


class AccessLogQuerySet(models.QuerySet):
    """Append-only: bulk updates and deletes are refused (a PostgreSQL trigger refuses them too)."""

    def update(self, **kwargs):
        raise PermissionError("The referral access log is append-only.")

    def delete(self):
        raise PermissionError("The referral access log is append-only.")
