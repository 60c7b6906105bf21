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


def _decision_at(meeting, by, **kwargs):
    decision = open_decision(by=by, **kwargs)
    Decision.objects.filter(pk=decision.pk).update(meeting=meeting)
    return decision


def _held(title, **kwargs):
    from tests.factories import MeetingFactory

    return MeetingFactory(title=title, status="held", **kwargs)


def test_the_register_lists_no_meetings_to_choose_from(client, electorate):
    for index in range(30):
        _decision_at(_held(f"Coordination meeting {index}"), electorate.chair)
    client.force_login(electorate.fp_a)

    page = client.get(reverse("decisions:list")).text

    assert "Coordination meeting" in page  # the rows name their meetings
    # The options of the status, year and procedure lists (each with its "any"), none other.
    options = len(Decision.Status.choices) + len(Decision.Procedure.choices) + 3
    assert page.count("<option") == options + len(selectors.register_years())
    assert 'name="meeting_q"' in page


def test_a_meeting_pages_link_filters_on_it_and_shows_its_name(client, electorate):
    budget = _held("Budget review", place="Manama")
    other = _held("Health working group")
    taken = _decision_at(budget, electorate.chair, title="Adopt the budget")
    _decision_at(other, electorate.chair, title="Health plan")
    client.force_login(electorate.fp_a)

    response = client.get(reverse("decisions:list"), {"meeting": budget.pk})

    assert [d.pk for d in response.context["decisions"]] == [taken.pk]
    assert response.context["form"].chosen_meeting == budget
    assert f'value="{budget}"' in response.text  # the field shows the meeting's name
    assert f'name="meeting" value="{budget.pk}"' in response.text
    # Sent again unchanged (another filter changed), the meeting stays chosen.
    again = client.get(
        reverse("decisions:list"),
        {"meeting": budget.pk, "meeting_q": str(budget), "status": "open"},
    )
    assert [d.pk for d in again.context["decisions"]] == [taken.pk]
    # Emptied, the field chooses no meeting any more.
    emptied = client.get(reverse("decisions:list"), {"meeting": budget.pk, "meeting_q": ""})
    assert len(emptied.context["decisions"]) == 2
    assert emptied.context["form"].chosen_meeting is None


def test_words_typed_filter_on_the_meetings_they_match_without_a_script(client, electorate):
    budget = _held("Budget review")
    budget_again = _held("Budget follow-up")
    health = _held("Health working group")
    first = _decision_at(budget, electorate.chair, title="Adopt the budget")
    second = _decision_at(budget_again, electorate.chair, title="Revise the budget")
    _decision_at(health, electorate.chair, title="Health plan")
    client.force_login(electorate.fp_a)

    # Typed over a chosen meeting, the words choose again.
    response = client.get(reverse("decisions:list"), {"meeting": health.pk, "meeting_q": "budget"})

    assert {d.pk for d in response.context["decisions"]} == {first.pk, second.pk}
    matched = [meeting for meeting, _url in response.context["matched"]["choices"]]
    assert set(matched) == {budget, budget_again}
    assert f"meeting={budget.pk}" in response.text  # each one a link that chooses it

    nothing = client.get(reverse("decisions:list"), {"meeting_q": "zanzibar"})
    assert list(nothing.context["decisions"]) == []
    assert "No meeting with decisions matches these words." in nothing.text


def test_meeting_suggestions_are_bounded_visible_and_keep_the_other_filters(client, electorate):
    from tests.factories import MeetingFactory

    for index in range(selectors.MEETING_MATCHES + 5):
        _decision_at(_held(f"Protection meeting {index}"), electorate.chair)
    draft = MeetingFactory(title="Protection meeting in preparation", status="draft")
    _decision_at(draft, electorate.chair)
    without_decisions = _held("Protection meeting without decisions")
    client.force_login(electorate.fp_a)

    response = client.get(
        reverse("decisions:meeting_suggestions"),
        {"meeting_q": "protection", "status": "open", "after": "abc"},
        headers={"HX-Request": "true"},
    )

    choices = response.context["choices"]
    assert len(choices) == selectors.MEETING_MATCHES
    assert response.context["more"] is True
    assert "add a word to narrow the list" in response.text
    shown = {meeting.pk for meeting, _url in choices}
    assert draft.pk not in shown  # a focal point does not see draft meetings
    assert without_decisions.pk not in shown
    meeting, url = choices[0]
    assert url == reverse("decisions:list") + f"?status=open&meeting={meeting.pk}"


def test_a_meeting_the_person_may_not_see_is_no_filter(client, electorate):
    from tests.factories import MeetingFactory

    draft = MeetingFactory(title="Secret preparation", status="draft")
    _decision_at(draft, electorate.chair)
    elsewhere = open_decision(by=electorate.chair)
    client.force_login(electorate.fp_a)

    response = client.get(reverse("decisions:list"), {"meeting": draft.pk})

    assert response.context["form"].chosen_meeting is None
    assert elsewhere in response.context["decisions"]  # no filter on it
    assert f'value="{draft}"' not in response.text


def test_meeting_suggestions_cost_the_same_queries_with_more_meetings(
    client, electorate, django_assert_num_queries
):
    url = reverse("decisions:meeting_suggestions")
    client.force_login(electorate.fp_a)
    for index in range(3):
        _decision_at(_held(f"Labour meeting {index}"), electorate.chair)
    client.get(url, {"meeting_q": "labour"})  # process-wide caches warm up once

    with django_assert_num_queries(SUGGESTION_QUERIES):
        assert len(client.get(url, {"meeting_q": "labour"}).context["choices"]) == 3
    for index in range(3, 40):
        _decision_at(_held(f"Labour meeting {index}"), electorate.chair)
    with django_assert_num_queries(SUGGESTION_QUERIES):
        assert len(client.get(url, {"meeting_q": "labour"}).context["choices"]) == 20


# Measured with 3 and with 40 meetings: user, roles (session and network: the cache), the
# meetings found (their decisions in an EXISTS), the snippets of core.search.find.
SUGGESTION_QUERIES = 4


def test_register_years_are_every_year_newest_first(electorate):
    for year, sequence in ((2019, 1), (2019, 2), (2023, 1), (2021, 5)):
        Decision.objects.create(title=f"{year}/{sequence}", year=year, sequence=sequence)
    Decision.objects.create(title="Draft without a year")

    assert selectors.register_years() == [2023, 2021, 2019]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_register_years_probe_the_index_instead_of_reading_every_decision(electorate):
    from django.test.utils import CaptureQueriesContext

    Decision.objects.bulk_create(
        Decision(title=f"Old {index}", year=2000 + index % 5, sequence=index)
        for index in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE decisions_decision")
    with CaptureQueriesContext(connection) as queries:
        assert selectors.register_years() == [2004, 2003, 2002, 2001, 2000]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + queries.captured_queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Only Scan Backward using decision_year_sequence" in plan
    assert "Seq Scan on decisions_decision" not in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranked search is PostgreSQL's")
def test_a_search_ranks_the_newest_matches_only(electorate):
    from decisions.querysets import SEARCH_CANDIDATES

    total = SEARCH_CANDIDATES + 30
    Decision.objects.bulk_create(
        Decision(
            title=f"Recruitment {index}",
            text="recruitment " * (1 + index % 3),
            year=2020,
            sequence=index + 1,
            reference=f"R/{index}",
            status="adopted",
            procedure="meeting",
        )
        for index in range(total)
    )

    found = list(selectors.decision_register(electorate.fp_a, query="recruitment"))

    assert len(found) == SEARCH_CANDIDATES
    assert {d.sequence for d in found} == set(range(31, total + 1))  # the newest
    ranks = [d.search_rank for d in found]
    assert ranks == sorted(ranks, reverse=True)


def test_register_queries_are_constant_in_decisions(client, electorate, django_assert_num_queries):
    def add(count):
        for index in range(count):
            decision = open_decision(by=electorate.chair, title=f"Decision {index}")
            _record(decision, electorate, ("concur", "object"))

    client.force_login(electorate.fp_b)
    url = reverse("decisions:list")
    add(5)
    client.get(url)  # process-wide caches (content types, the network) warm up once

    with django_assert_num_queries(QUERIES):
        assert len(client.get(url).context["decisions"]) == 5
    add(55)
    with django_assert_num_queries(QUERIES):
        assert len(client.get(url).context["decisions"]) == 25
    with django_assert_num_queries(QUERIES):
        assert client.get(url, {"q": "decision", "status": "open"}).status_code == 200


# Measured with 5 and with 60 decisions, the same for the first page and a search: user, roles
# (session and network: the cache), years, the page with its tallies, the capped count.
QUERIES = 5


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
