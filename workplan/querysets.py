from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from members.roles import has_capability

from . import rules

VIEW = "workplan.view_workplan"


class WorkplanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every workplan for people of member agencies and the RCO; nothing for anyone else."""
        return self if has_capability(user, VIEW) else self.none()


def _funding_sum(status):
    from .models import Funding

    money = DecimalField(max_digits=16, decimal_places=2)
    total = (
        Funding.objects.filter(deliverable=OuterRef("pk"), status=status)
        .order_by()
        .values("deliverable")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=money), Value(Decimal("0.00")), output_field=money)


class DeliverableQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if has_capability(user, VIEW) else self.none()

    def open(self):
        return self.exclude(status__in=rules.CLOSED_STATUSES)

    def needing_attention(self):
        return self.filter(status__in=rules.ATTENTION_STATUSES)

    def update_due(self, today):
        """Deliverables whose lead agency owes a progress update this quarter, in SQL.

        The query form of `rules.update_due` (tests/workplan/test_dashboard.py checks that they
        agree): open, of today's year, started by the current quarter, and no update dated in it.
        """
        current = rules.quarter_of(today)
        since = rules.quarter_start(today.year, current)
        return (
            self.open()
            .filter(workplan__year=today.year, start_quarter__lte=current)
            .with_last_update()
            .filter(Q(last_update_on__isnull=True) | Q(last_update_on__lt=since))
        )

    def with_funding(self):
        """Annotate confirmed_total and pledged_total (two subqueries, no row multiplication)."""
        return self.annotate(
            confirmed_total=_funding_sum("confirmed"), pledged_total=_funding_sum("pledged")
        )

    def with_last_update(self):
        from .models import ProgressUpdate

        latest = (
            ProgressUpdate.objects.filter(deliverable=OuterRef("pk"))
            .order_by("-date")
            .values("date")[:1]
        )
        return self.annotate(last_update_on=Subquery(latest))
