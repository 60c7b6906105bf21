from django.db import models


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
