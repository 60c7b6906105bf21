from django.db import models
from django.db.models import Exists, OuterRef, Q

VIEW = "reports.view_reports"
MANAGE = "reports.manage_reports"
FINALIZE = "reports.finalize_reports"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports this person may open; anything else is a 404.

        Members of the network read final and submitted reports; those who prepare reports also
        the drafts. A government guest reads only the Government updates shared with them, once
        final. Everyone else reads nothing.
        """
        from members.roles import has_capability

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if has_capability(user, MANAGE) or has_capability(user, FINALIZE):
            return self.all()
        if has_capability(user, VIEW):
            return self.released()
        return self.released().filter(kind="government").shared_with(user)

    def released(self):
        return self.filter(status__in=("final", "submitted"))

    def shared_with(self, user):
        from .models import ReportShare

        return self.filter(
            Exists(ReportShare.objects.filter(report=OuterRef("pk"), person_id=user.pk))
        )

    def search(self, query):
        """By title, by kind (its label in the active language) or by a year the period covers."""
        from .models import Report

        query = (query or "").strip()
        if not query:
            return self
        kinds = [value for value, label in Report.Kind.choices if query.lower() in label.lower()]
        condition = Q(title__icontains=query) | Q(kind__in=kinds)
        if query.isdigit() and len(query) == 4:
            year = int(query)
            condition |= Q(period_start__year__lte=year, period_end__year__gte=year)
        return self.filter(condition)
