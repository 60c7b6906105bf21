from django.db import models
from django.db.models import Q
from django.utils import timezone


class OrganisationQuerySet(models.QuerySet):
    def un_agencies(self):
        return self.filter(kind="un_agency")

    def stakeholders(self):
        return self.exclude(kind="un_agency")

    def voting_members(self):
        """UN agencies with an active member-agency membership: the network's electorate."""
        return self.un_agencies().filter(
            memberships__role="member", memberships__left_on__isnull=True
        )

    def with_active_role(self, role):
        return self.filter(memberships__role=role, memberships__left_on__isnull=True)

    def visible_to(self, user):
        """Members and guests see the directory (guests without contact details); nobody else."""
        from .roles import Role, has_capability, has_role

        if has_capability(user, "members.view_directory") or has_role(user, Role.GUEST):
            return self.all()
        return self.none()


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_on__isnull=True)


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(end_date__isnull=True)

    def focal_points(self):
        return self.filter(kind="focal_point")

    def alternates(self):
        return self.filter(kind="alternate")


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Invitations are handled by the people who may invite; nobody else sees them."""
        from .roles import has_capability

        if has_capability(user, "members.invite_people"):
            return self.all()
        return self.none()

    def open(self, now=None):
        """Pending and not yet past their date: their links still work."""
        return self.filter(status="pending", expires_at__gt=now or timezone.now())

    def lapsed(self, now=None):
        """Pending in the table but past their date: expired in all but name."""
        return self.filter(status="pending", expires_at__lte=now or timezone.now())

    def with_status(self, status, now=None):
        """Filter by the status people see (a lapsed pending invitation counts as expired)."""
        now = now or timezone.now()
        if status == "pending":
            return self.open(now)
        if status == "expired":
            return self.filter(Q(status="expired") | Q(status="pending", expires_at__lte=now))
        return self.filter(status=status)
