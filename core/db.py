"""Query helpers every app shares."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset, *, field):
    """The number of `queryset` rows whose `field` points at the outer row: one index lookup each.

    Counting related rows with `Count(..., distinct=True)` joins them all: two such counts fan out
    to (a x b) rows per outer row, aggregated for every row before a page's LIMIT. A correlated
    count is evaluated only for the rows of the page.
    """
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
