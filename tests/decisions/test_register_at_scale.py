"""The decision register at scale: tallies without fan-out, indexed full-text search, bounded
choices and queries."""

import pytest
from django.db import connection
from django.urls import reverse

from decisions import selectors, services
from decisions.models import Decision
from tests.factories import open_decision

pytestmark = pytest.mark.django_db


def _record(decision, electorate, stances):
    people = {electorate.agency_a: electorate.fp_a, electorate.agency_b: electorate.fp_b}
    for (agency, person), stance in zip(people.items(), stances, strict=False):
        services.position_record(
            decision=decision,
            organisation=agency,
            stance=stance,
            reason="Not now" if stance == "object" else "",
            by=person,
        )


def test_register_tallies_match_the_decision_pages_tally(electorate):
    cases = [(), ("concur",), ("concur", "stand_aside"), ("object", "concur")]
    decisions = []
    for index, stances in enumerate(cases):
        decision = open_decision(by=electorate.chair, title=f"Decision {index}")
        _record(decision, electorate, stances)
        decisions.append(decision)

    register = {d.pk: d for d in selectors.decision_register(electorate.fp_a)}

    for decision in decisions:
        row = register[decision.pk]
        tally = selectors.tally_of(selectors.decision_for_page(Decision.objects.all(), decision.pk))
        assert row.electorate_count == tally.total
        assert row.concur_count == len(tally.concurring)
        assert row.stand_aside_count == len(tally.standing_aside)
        assert row.object_count == len(tally.objecting)


def test_search_stems_english_and_finds_arabic_and_references(electorate):
    fees = open_decision(
        by=electorate.chair,
        title="Statement on fair recruitment",
        text="The network calls for the elimination of recruitment fees paid by workers.",
    )
    arabic = open_decision(
        by=electorate.chair, title="بيان بشأن التوظيف العادل", text="تدعو الشبكة إلى إلغاء الرسوم."
    )
    other = open_decision(by=electorate.chair, title="Health plan", text="Adopts the plan.")

    def found(query):
        return {d.pk for d in selectors.decision_register(electorate.fp_a, query=query)}

    assert found("recruiting fee") == {fees.pk}  # stemmed: recruiting → recruit, fee ← fees
    assert found("التوظيف") == {arabic.pk}
    assert found(other.reference) == {other.pk}
    assert found("nothing-like-this") == set()


def test_title_matches_rank_before_text_matches(electorate):
    in_text = open_decision(
        by=electorate.chair, title="Annual plan", text="Includes a line on housing."
    )
    in_title = open_decision(by=electorate.chair, title="Housing for migrant workers", text="…")

    ranked = [d.pk for d in selectors.decision_register(electorate.fp_a, query="housing")]

    assert ranked == [in_title.pk, in_text.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")
def test_search_reads_the_stored_vector_through_its_gin_index(electorate):
    Decision.objects.bulk_create(
        Decision(title=f"Routine item {index}", text="Minutes of a routine matter.")
        for index in range(3000)
    )
    open_decision(by=electorate.chair, title="Recruitment")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE decisions_decision")
        # A few thousand rows still fit in a page or two that a scan reads at once: tell the
        # planner to prefer indexes, as it does by itself at the sizes of production.
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = Decision.objects.search("recruitment").explain()

    assert "Bitmap Index Scan on decisions_decision_search_vector" in plan


def test_register_meeting_filter_lists_one_year_of_meetings(client, electorate):
    from tests.factories import MeetingFactory

    old = MeetingFactory(status="held", starts_at="2019-03-01T09:00Z", ends_at="2019-03-01T11:00Z")
    recent = MeetingFactory(status="scheduled")
    for meeting in (old, recent):
        decision = open_decision(by=electorate.chair)
        Decision.objects.filter(pk=decision.pk).update(meeting=meeting)
    client.force_login(electorate.fp_a)

    page = client.get(reverse("decisions:list")).context["form"]
    listed = set(page.fields["meeting"].queryset)

    assert recent in listed
    assert old not in listed


def test_register_queries_are_constant_in_decisions(client, electorate, django_assert_num_queries):
    for index in range(60):
        decision = open_decision(by=electorate.chair, title=f"Decision {index}")
        _record(decision, electorate, ("concur", "object"))
    client.force_login(electorate.fp_b)
    url = reverse("decisions:list")
    client.get(url)  # process-wide caches (content types, the network) warm up once

    with django_assert_num_queries(QUERIES) as first:
        assert client.get(url).status_code == 200
    with django_assert_num_queries(QUERIES):
        assert client.get(url, {"page": 3, "q": "decision"}).status_code == 200
    assert len(first.captured_queries) == QUERIES


# Measured with 60 decisions, the same for the first page and a searched third page: user, roles,
# years, count, meeting choices, the page with its tallies (session and network: the cache).
QUERIES = 6


def test_the_csv_register_streams_from_a_server_side_cursor(client, electorate):
    from django.http import StreamingHttpResponse

    for index in range(3):
        open_decision(by=electorate.chair, title=f"Streamed {index}")
    client.force_login(electorate.fp_a)

    response = client.get(reverse("decisions:export_csv"))

    assert isinstance(response, StreamingHttpResponse)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Reference,Title,Status")
    assert sorted(line.split(",")[1] for line in lines[1:]) == [
        "Streamed 0",
        "Streamed 1",
        "Streamed 2",
    ]


def test_the_csv_export_costs_the_same_queries_with_more_open_decisions(
    client, electorate, django_assert_num_queries
):
    url = reverse("decisions:export_csv")
    client.force_login(electorate.fp_a)

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(url).streaming_content)
        return len(captured.captured_queries)

    for index in range(3):
        open_decision(by=electorate.chair, title=f"Open {index}")
    queries()  # process-wide caches warm up once
    few = queries()
    for index in range(3, 12):
        open_decision(by=electorate.chair, title=f"Open {index}")

    assert queries() == few


def _walk_register(client, params):
    """Follow the register's Next links from the first page; the titles of every page."""
    from core.pagination import KeysetPage

    pages = []
    while True:
        response = client.get(reverse("decisions:list"), params)
        page = response.context["page_obj"]
        assert isinstance(page, KeysetPage)
        pages.append([decision.title for decision in page])
        if not page.has_next:
            return pages
        assert 'rel="next"' in response.text
        params = {**params, "after": page.next_cursor}


def test_the_register_pages_by_cursor_through_every_decision_once(client, electorate):
    drafts = [open_decision(by=electorate.chair, title=f"Decision {index}") for index in range(55)]
    client.force_login(electorate.fp_a)

    pages = _walk_register(client, {})

    assert [len(page) for page in pages] == [25, 25, 5]
    newest_first = [d.title for d in sorted(drafts, key=lambda d: d.sequence, reverse=True)]
    assert [title for page in pages for title in page] == newest_first


def test_searched_register_pages_by_rank_through_every_match_once(client, electorate):
    for index in range(30):
        text = "housing " * (1 + index % 4)
        open_decision(by=electorate.chair, title=f"Housing {index}", text=text)
    open_decision(by=electorate.chair, title="Unrelated", text="health")
    client.force_login(electorate.fp_a)

    pages = _walk_register(client, {"q": "housing"})

    titles = [title for page in pages for title in page]
    assert sorted(titles) == sorted(f"Housing {index}" for index in range(30))
    ranked = selectors.decision_register(electorate.fp_a, query="housing")
    assert titles == [decision.title for decision in ranked]


def test_the_register_reads_no_offset(client, electorate):
    from django.test.utils import CaptureQueriesContext

    for index in range(30):
        open_decision(by=electorate.chair, title=f"Decision {index}")
    client.force_login(electorate.fp_a)
    first = client.get(reverse("decisions:list")).context["page_obj"]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("decisions:list"), {"after": first.next_cursor})

    assert len(response.context["page_obj"]) == 5
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)


def test_an_old_page_link_opens_the_first_page_of_the_register(client, electorate):
    for index in range(30):
        open_decision(by=electorate.chair, title=f"Decision {index}")
    client.force_login(electorate.fp_a)

    response = client.get(reverse("decisions:list"), {"page": 2})

    assert response.status_code == 200
    assert response.context["page_obj"].is_first
