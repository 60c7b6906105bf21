"""Query helpers every app shares."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber


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


def with_total(queryset, name="total"):
    """`queryset` with each row carrying how many rows the whole queryset has (`name`).

    `COUNT(*) OVER ()` is computed after WHERE and before LIMIT: a card that shows a few rows
    and "n in all" reads both in one query instead of a list query and a count query.
    """
    return queryset.annotate(**{name: Window(Count("*"))})


def first_rows_per_group(queryset, *, group, order_by, limit):
    """The first `limit` rows of each group of `queryset`, in one query, as {group: (rows, n)}.

    `group` is an expression whose value names the group of a row (a `Case` over the row's
    fields); `order_by` orders the rows within their group; `n` is the group's size, so a
    card knows whether there are more than it shows. Groups without rows are absent. Replaces
    one list query per group with one query (ROW_NUMBER() and COUNT(*) over the group).
    """
    rows = (
        queryset.annotate(
            _group=group,
            _rank=Window(RowNumber(), partition_by=[group], order_by=order_by),
            _group_size=Window(Count("*"), partition_by=[group]),
        )
        .filter(_rank__lte=limit)
        .order_by("_group", "_rank")
    )
    groups = {}
    for row in rows:
        groups.setdefault(row._group, ([], row._group_size))[0].append(row)
    return groups
