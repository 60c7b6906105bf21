from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
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
