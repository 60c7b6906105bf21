"""Keyset pagination: every row once, in order, both ways, without OFFSET or a whole count."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core import pagination
from core.pagination import SortKey, keyset_page
from decisions.models import Decision

pytestmark = pytest.mark.django_db

ORDER = ["-year", "-sequence", "-created_at"]


def _request(**params):
    return RequestFactory().get("/", params)


def _decisions():
    # Drafts have no year or number (NULL keys, first in a descending order); several numbered
    # decisions share a year; the same created_at would leave only the primary key to order by.
    rows = [Decision(title=f"Draft {n}") for n in range(7)]
    rows += [
        Decision(title=f"D {year}/{seq}", year=year, sequence=seq)
        for year in (2024, 2025, 2026)
        for seq in range(1, 9)
    ]
    Decision.objects.bulk_create(rows)


def _expected(ordering=ORDER):
    keys = [SortKey.parse(key) for key in ordering]
    return list(
        Decision.objects.order_by(*[key.order_expression() for key in keys], "-pk").values_list(
            "pk", flat=True
        )
    )


def _walk_forward(queryset, ordering, per_page):
    seen, params = [], {}
    while True:
        page = keyset_page(_request(**params), queryset, ordering=ordering, per_page=per_page)
        seen.append([row.pk for row in page])
        if not page.has_next:
            return seen, page
        params = {"after": page.next_cursor}


def test_following_next_links_lists_every_row_once_in_order():
    _decisions()

    pages, _last = _walk_forward(Decision.objects.all(), ORDER, per_page=4)

    assert [pk for page in pages for pk in page] == _expected()
    assert all(len(page) == 4 for page in pages[:-1])


def test_following_previous_links_gives_back_the_same_pages():
    _decisions()
    pages, last = _walk_forward(Decision.objects.all(), ORDER, per_page=4)

    back, page = [], last
    while page.has_previous:
        request = _request(before=page.previous_cursor)
        page = keyset_page(request, Decision.objects.all(), ordering=ORDER, per_page=4)
        back.append([row.pk for row in page])

    assert list(reversed(back)) == pages[:-1]


def test_nulls_last_ascending_keys_walk_in_order():
    _decisions()
    ordering = [SortKey("year", nulls_last=False), "sequence"]

    pages, _last = _walk_forward(Decision.objects.all(), ordering, per_page=5)

    keys = [SortKey("year", nulls_last=False), SortKey("sequence"), SortKey("pk")]
    expected = list(
        Decision.objects.order_by(*[k.order_expression() for k in keys]).values_list(
            "pk", flat=True
        )
    )
    assert [pk for page in pages for pk in page] == expected


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WzEsMiwzXQ", "e30", "!!", "x" * 2000])
def test_a_cursor_that_is_not_ours_opens_the_first_page(cursor):
    _decisions()

    page = keyset_page(_request(after=cursor), Decision.objects.all(), ordering=ORDER, per_page=4)

    assert [row.pk for row in page] == _expected()[:4]
    assert page.is_first


def test_an_old_page_number_link_opens_the_first_page():
    _decisions()

    page = keyset_page(_request(page="7"), Decision.objects.all(), ordering=ORDER, per_page=4)

    assert [row.pk for row in page] == _expected()[:4]


def test_a_page_reads_no_offset_and_counts_no_further_than_the_cap(monkeypatch):
    _decisions()
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    first = keyset_page(_request(), Decision.objects.all(), ordering=ORDER, per_page=4)

    with CaptureQueriesContext(connection) as queries:
        page = keyset_page(
            _request(after=first.next_cursor), Decision.objects.all(), ordering=ORDER, per_page=4
        )

    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "OFFSET" not in sql.upper()
    assert "LIMIT 11" in sql  # the count stops at the cap
    assert page.count_capped
    assert page.count == 10


@pytest.mark.parametrize("index", [0, 6, 7, 20])
def test_cursor_after_opens_the_page_that_follows_that_row(index):
    _decisions()
    cursor = pagination.cursor_after(Decision.objects.all(), ordering=ORDER, index=index)

    page = keyset_page(_request(after=cursor), Decision.objects.all(), ordering=ORDER, per_page=3)

    assert [row.pk for row in page] == _expected()[index + 1 : index + 4]
    assert pagination.cursor_after(Decision.objects.all(), ordering=ORDER, index=500) is None
