"""One search across the portal: what it finds, for whom, and at what cost."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from core import registry
from core.search import Query, excerpt, find, highlight, parse_query
from decisions.models import Decision, Position
from meetings.models import AgendaItem, Minutes, Participant
from tests.conftest import DEMO_USERS
from tests.factories import (
    AgendaItemFactory,
    DecisionFactory,
    DeliverableFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
    open_decision,
    past_meeting,
)
from tests.permission_matrix import ROLES
from workplan.models import ProgressUpdate

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored vectors are PostgreSQL's"
)


def _search(client, user, q, **params):
    client.force_login(user)
    response = client.get(reverse("core:search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def _found(response, kind=None):
    """The result URLs of a search page, of one kind or of all."""
    return {
        result.url
        for group in response.context["groups"]
        if kind is None or group["provider"].key == kind
        for result in group["results"]
    }


def _approve(minutes_meeting, body, status=Minutes.Status.APPROVED):
    return Minutes.objects.create(
        meeting=minutes_meeting,
        body=body,
        status=status,
        approved_on=date(2026, 1, 10) if status == Minutes.Status.APPROVED else None,
        approval_method="meeting" if status == Minutes.Status.APPROVED else "",
    )


# --- Parsing the query ------------------------------------------------------------------------


def test_a_query_is_words_without_tsquery_syntax():
    query = parse_query("  recruitment  o'brien \\ & | !  fees  Recruitment ")

    assert query.terms == ("recruitment", "obrien", "fees")


def test_a_query_of_one_letter_is_too_short_to_search():
    assert not parse_query("a")
    assert not parse_query("  ")
    assert not parse_query("!! ??")
    assert parse_query("ab")
    assert parse_query("عمل")


@pytest.mark.parametrize(
    "text",
    [
        "a\x00b network",
        "___",
        "' OR 1=1 --",
        "\\' & | ! ( ) <-> :* ",
        "foo:bar & baz",
        "\ue000mark\ue001",
        "x" * 5000,
        "<script>alert(1)</script>",
        "اتجار!",
    ],
)
def test_any_text_is_a_query_and_never_an_error(client, demo_world, text):
    open_decision(by=demo_world.users["iom_focal"], title="Network decision")

    response = _search(client, demo_world.users["iom_focal"], text)

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_highlighting_escapes_the_text_and_marks_the_words():
    html = highlight("<b>Fees</b> & recruitment", Query("fees", ("fees",)))

    assert html == "&lt;b&gt;<mark>Fees</mark>&lt;/b&gt; &amp; recruitment"


def test_an_excerpt_starts_near_the_first_match():
    text = "word " * 200 + "the recruitment fees " + "word " * 200

    html = excerpt(text, parse_query("recruitment"))

    assert html.startswith("… ")
    assert "<mark>recruitment</mark>" in html
    assert len(html) < 300


# --- What it finds ----------------------------------------------------------------------------


def test_search_finds_a_word_of_approved_minutes_and_opens_the_minutes(client, demo_world):
    meeting = past_meeting(title="Regular meeting of March")
    _approve(
        meeting,
        "<h3>Discussion</h3><p>The network discussed the <strong>kafala</strong> sponsorship "
        "reform &amp; wages at length.</p>",
    )
    draft = past_meeting(title="Regular meeting of April")
    _approve(draft, "Kafala again, in a draft.", status=Minutes.Status.DRAFT)

    response = _search(client, demo_world.users["iom_focal"], "kafala")

    assert _found(response, "meetings") == {reverse("meetings:minutes", args=[meeting.pk])}
    (result,) = response.context["groups"][0]["results"]
    # The minutes are HTML: the snippet is their text, escaped once, the word marked.
    assert "<mark>kafala</mark>" in result.snippet.lower()
    assert "reform &amp; wages" in result.snippet
    assert "<p>" not in result.snippet and "&lt;" not in result.snippet


def test_search_finds_a_meeting_by_an_accepted_agenda_item(client, demo_world):
    meeting = past_meeting(title="Extraordinary meeting")
    AgendaItemFactory(meeting=meeting, title="Heat stress of outdoor workers")
    AgendaItemFactory(meeting=past_meeting(), title="Heat proposals", status="declined")

    response = _search(client, demo_world.users["undp_staff"], "heat")

    assert _found(response, "meetings") == {meeting.get_absolute_url()}


def test_search_finds_a_decision_by_the_reason_of_an_objection(client, demo_world):
    iom = demo_world.users["iom_focal"]
    decision = open_decision(by=iom, title="Joint statement on visas")
    Position.objects.create(
        decision=decision,
        organisation=demo_world.organisation("UNHCR"),
        stance="object",
        reason="The statement ignores refoulement risks.",
        recorded_by=demo_world.users["unhcr_focal"],
    )

    response = _search(client, demo_world.users["who_alternate"], "refoulement")

    assert _found(response, "decisions") == {decision.get_absolute_url()}
    (result,) = response.context["groups"][0]["results"]
    assert "<mark>refoulement</mark>" in result.snippet


def test_search_finds_a_decision_by_reference_and_by_the_start_of_a_word(client, demo_world):
    iom = demo_world.users["iom_focal"]
    decision = open_decision(by=iom, title="Recruitment fees", text="Zero recruitment fees.")
    other = open_decision(by=iom, title="Health insurance")

    assert _found(_search(client, iom, "recruit"), "decisions") == {decision.get_absolute_url()}
    assert _found(_search(client, iom, other.reference), "decisions") == {other.get_absolute_url()}


def test_search_finds_a_deliverable_by_its_text_and_by_a_progress_note(client, demo_world):
    iom = demo_world.users["iom_focal"]
    described = DeliverableFactory(description="A mapping of shelters for domestic workers.")
    noted = DeliverableFactory(title="Training of labour inspectors")
    ProgressUpdate.objects.create(
        deliverable=noted,
        note="Two shelters visited in May.",
        status_before="on_track",
        status_after="on_track",
        author=iom,
    )

    response = _search(client, iom, "shelters")

    assert _found(response, "deliverables") == {
        described.get_absolute_url(),
        noted.get_absolute_url(),
    }


def test_arabic_queries_find_arabic_text(client, demo_world):
    iom = demo_world.users["iom_focal"]
    decision = open_decision(
        by=iom, title="بيان مشترك بشأن العمال المنزليين", text="تعتمد الشبكة البيان المرفق."
    )
    meeting = past_meeting(title="الاجتماع الدوري")
    _approve(meeting, "ناقشت الشبكة حماية العمال المهاجرين من الاتجار بالبشر.")
    open_decision(by=iom, title="Domestic workers", text="English only.")

    response = _search(client, iom, "العمال")

    assert _found(response) == {
        decision.get_absolute_url(),
        reverse("meetings:minutes", args=[meeting.pk]),
    }
    # The start of an Arabic word is enough, as in English.
    assert _found(_search(client, iom, "المهاج")) == {
        reverse("meetings:minutes", args=[meeting.pk])
    }


def test_search_finds_organisations_and_people_of_the_directory(client, demo_world):
    organisation = OrganisationFactory(acronym="QPA", name="Quarry Pensions Authority")
    person = UserFactory(
        organisation=organisation, full_name="Layla Quenneville", job_title="Director"
    )

    member = _search(client, demo_world.users["undp_staff"], "pensions quarr")
    people = _search(client, demo_world.users["undp_staff"], "quennev")

    assert _found(member, "organisations") == {organisation.get_absolute_url()}
    assert _found(people, "people") == {organisation.get_absolute_url()}
    assert [r.title for g in people.context["groups"] for r in g["results"]] == [person.full_name]


def test_only_members_find_people_by_email_address(client, demo_world):
    organisation = demo_world.organisation("IOM")
    UserFactory(organisation=organisation, full_name="Omar Saleh", email="osaleh@iom.example")

    assert _found(_search(client, demo_world.users["undp_staff"], "osaleh"), "people")
    assert not _found(_search(client, demo_world.users["guest"], "osaleh"), "people")
    assert _found(_search(client, demo_world.users["guest"], "Saleh"), "people")


def test_snippets_are_escaped_text_with_marked_words(client, demo_world):
    iom = demo_world.users["iom_focal"]
    open_decision(
        by=iom,
        title="Scripts <b>bold</b>",
        text='Fees < 5 & "more" <img src=x onerror=alert(1)> the phishing warning.',
    )

    response = _search(client, iom, "phishing")

    (result,) = response.context["groups"][0]["results"]
    assert "<img" not in result.snippet
    assert "&lt; 5 &amp;" in result.snippet
    assert "<mark>phishing</mark>" in result.snippet
    page = response.content.decode()
    assert "<img src=x" not in page
    assert "Scripts &lt;b&gt;bold&lt;/b&gt;" in page


def test_the_top_bar_has_a_labelled_search_box(client, demo_world):
    client.force_login(demo_world.users["undp_staff"])

    page = client.get(reverse("core:dashboard")).content.decode()

    assert 'role="search"' in page
    assert '<label class="visually-hidden" for="portal-search-q">' in page


def test_an_empty_or_too_short_query_says_so(client, demo_world):
    user = demo_world.users["undp_staff"]

    assert "Type a word or two" in _search(client, user, "").content.decode()
    assert "at least two letters" in _search(client, user, "x").content.decode()
    assert "Nothing you may open matches" in _search(client, user, "zzqqxx").content.decode()


# --- Results grouped by kind, and a page per kind -------------------------------------------


def test_results_are_grouped_by_kind_with_a_link_to_more(client, demo_world):
    iom = demo_world.users["iom_focal"]
    for index in range(7):
        DecisionFactory(title=f"Labour mobility {index}")
    MeetingFactory(title="Labour mobility meeting", status="scheduled")

    response = _search(client, iom, "mobility")

    groups = {group["provider"].key: group for group in response.context["groups"]}
    assert list(groups) == ["meetings", "decisions"]
    assert len(groups["decisions"]["results"]) == 5
    assert groups["decisions"]["more"] is True
    assert "kind=decisions" in response.content.decode()


def test_a_kind_is_paged_through_without_repeating_a_result(client, demo_world):
    iom = demo_world.users["iom_focal"]
    for index in range(45):
        DecisionFactory(title=f"Labour mobility {index}")

    pages = [_search(client, iom, "mobility", kind="decisions", page=page) for page in (1, 2, 3)]

    found = [_found(page) for page in pages]
    assert [len(urls) for urls in found] == [20, 20, 5]
    assert len(found[0] | found[1] | found[2]) == 45
    assert pages[0].context["next_page"] == 2
    assert pages[2].context["next_page"] is None


def test_a_page_beyond_the_results_or_not_a_number_is_no_error(client, demo_world):
    user = demo_world.users["iom_focal"]
    DecisionFactory(title="Labour mobility")

    assert _search(client, user, "mobility", kind="decisions", page="9").context["groups"] == []
    assert _found(_search(client, user, "mobility", kind="decisions", page="x"))
    assert _found(_search(client, user, "mobility", kind="nonsense"))


def test_a_provider_without_offset_is_paged_by_the_registry(demo_world):
    calls = []

    def numbers(user, query, limit):
        calls.append(limit)
        return [registry.SearchResult(kind="n", title=str(n), url=f"/{n}") for n in range(limit)]

    provider = registry.SearchProvider(key="n", label="Numbers", search=numbers)

    results = provider.results(demo_world.users["rco"], "word", limit=3, offset=6)

    assert [result.title for result in results] == ["6", "7", "8"]
    assert calls == [9]


# --- Only what the person may open ------------------------------------------------------------

WORD = "xylograph"


def _everything_with_the_word(world):
    """Objects of every kind holding WORD, as the URL each result must open."""
    iom, unhcr = world.users["iom_focal"], world.users["unhcr_focal"]
    guest = world.users["guest"]
    invited = MeetingFactory(title=f"{WORD} consultation", status="scheduled")
    Participant.objects.create(meeting=invited, person=guest, kind="guest")
    not_invited = past_meeting(title="Another meeting")
    AgendaItemFactory(meeting=not_invited, title=f"The {WORD} study")
    draft_meeting = MeetingFactory(title=f"Draft {WORD} meeting", status="draft")
    with_minutes = past_meeting(title="Minuted meeting")
    _approve(with_minutes, f"The {WORD} was presented.")
    invited_minutes = past_meeting(title="Guest's minuted meeting")
    Participant.objects.create(meeting=invited_minutes, person=guest, kind="guest")
    _approve(invited_minutes, f"A {WORD} for the guests.")
    opened = open_decision(by=iom, title=f"The {WORD} decision")
    draft_decision = DecisionFactory(title=f"A draft {WORD}")
    objected = open_decision(by=iom, title="Plain decision")
    Position.objects.create(
        decision=objected,
        organisation=world.organisation("UNHCR"),
        stance="object",
        reason=f"No {WORD} was shared.",
        recorded_by=unhcr,
    )
    deliverable = DeliverableFactory(description=f"A {WORD} of services.")
    organisation = OrganisationFactory(acronym="XYL", name=f"{WORD.title()} Institute")
    UserFactory(organisation=world.organisation("UNHCR"), full_name="Dana", job_title=WORD)
    return {
        invited.get_absolute_url(),
        not_invited.get_absolute_url(),
        draft_meeting.get_absolute_url(),
        reverse("meetings:minutes", args=[with_minutes.pk]),
        reverse("meetings:minutes", args=[invited_minutes.pk]),
        opened.get_absolute_url(),
        draft_decision.get_absolute_url(),
        objected.get_absolute_url(),
        deliverable.get_absolute_url(),
        organisation.get_absolute_url(),
        world.organisation("UNHCR").get_absolute_url(),
    }


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_search_finds_exactly_what_the_searcher_may_open(client, demo_world, role):
    candidates = _everything_with_the_word(demo_world)
    user = demo_world.person(DEMO_USERS[role])
    client.force_login(user)
    may_open = {url for url in candidates if client.get(url).status_code == 200}

    found = _found(_search(client, user, WORD))

    assert found == may_open
    for url in found:
        assert client.get(url).status_code == 200, url


def test_a_guest_finds_only_the_meetings_they_are_invited_to(client, demo_world):
    _everything_with_the_word(demo_world)

    response = _search(client, demo_world.users["guest"], WORD)

    kinds = {group["provider"].key for group in response.context["groups"]}
    assert kinds == {"meetings", "organisations", "people"}
    titles = {result.title for result in response.context["groups"][0]["results"]}
    assert titles == {f"{WORD} consultation", "Guest's minuted meeting"}


def test_another_agency_finds_no_draft_and_a_drafter_does(client, demo_world):
    draft = DecisionFactory(title=f"A draft {WORD}")

    assert draft.get_absolute_url() not in _found(
        _search(client, demo_world.users["unhcr_focal"], WORD)
    )
    assert draft.get_absolute_url() in _found(_search(client, demo_world.users["iom_focal"], WORD))


def test_search_needs_a_signed_in_person(client, db):
    response = client.get(reverse("core:search"), {"q": "network"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- At scale ---------------------------------------------------------------------------------


def _many_rows(count):
    """`count` rows across the kinds, every one holding the word 'mobility'."""
    meetings = MeetingFactory._meta.model.objects.bulk_create(
        MeetingFactory.build(title=f"Mobility meeting {index}", status="held")
        for index in range(count // 4)
    )
    AgendaItem.objects.bulk_create(
        AgendaItemFactory.build(meeting=meeting, position=1, title="Labour mobility")
        for meeting in meetings
    )
    Decision.objects.bulk_create(
        DecisionFactory.build(title=f"Mobility decision {index}") for index in range(count // 2)
    )


def test_the_search_page_runs_a_fixed_number_of_queries_on_many_rows(
    client, demo_world, django_assert_num_queries
):
    _many_rows(10_000)
    for index in range(30):
        DeliverableFactory(title=f"Mobility deliverable {index}")
    user = demo_world.users["iom_focal"]
    client.force_login(user)
    url = reverse("core:search")
    client.get(url, {"q": "mobility"})  # process-wide caches warm up once

    # The session, the person, the network, roles and appointments; then for each kind its rows
    # and a snippet query per source until every row has a highlighted one (titles match here:
    # meetings, decisions and deliverables each try all their sources); knowledge products,
    # organisations and people find nothing, one query each.
    with django_assert_num_queries(QUERIES_GROUPED):
        response = client.get(url, {"q": "mobility"})
    assert [len(group["results"]) for group in response.context["groups"]] == [5, 5, 5]

    with django_assert_num_queries(QUERIES_ONE_KIND):
        response = client.get(url, {"q": "mobility", "kind": "decisions", "page": 3})
    assert len(response.context["groups"][0]["results"]) == 20


QUERIES_GROUPED = 14
QUERIES_ONE_KIND = 5


@postgresql_only
@pytest.mark.parametrize(
    "table",
    [
        "meetings_meeting",
        "meetings_agendaitem",
        "meetings_minutes",
        "decisions_decision",
        "decisions_position",
        "workplan_deliverable",
        "workplan_progressupdate",
    ],
)
def test_each_kind_is_searched_through_its_gin_index(demo_world, table):
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    from core.search import Source

    source = Source(model.objects.all(), fields=())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = source.matching(parse_query("mobility")).order_by().explain()

    assert f"Bitmap Index Scan on {table}_search_vector" in plan


def test_find_returns_nothing_for_an_empty_query(demo_world):
    assert find(Decision.objects.all(), parse_query(""), sources=[], limit=10) == []


def _decisions_source():
    from core.search import Source

    return [Source(Decision.objects.all(), fields=("reference", "title", "text", "rationale"))]


@postgresql_only
def test_a_common_word_is_ranked_among_the_newest_rows_without_the_gin_bitmap(
    demo_world, monkeypatch
):
    # A word in every row: the probe of the newest rows finds enough, the GIN index (which
    # would mark every row before any LIMIT, in the table's physical order) is not read.
    monkeypatch.setattr("core.search.PROBE_ROWS", 6)
    monkeypatch.setattr("core.search.PROBE_ENOUGH", 3)
    monkeypatch.setattr("core.search.CANDIDATES", 4)
    decisions = [DecisionFactory(title=f"Mobility decision {index}") for index in range(12)]

    hits = find(
        Decision.objects.all(), parse_query("mobility"), sources=_decisions_source(), limit=20
    )

    newest = sorted((decision.pk for decision in decisions), reverse=True)[:4]
    assert sorted((hit.obj.pk for hit in hits), reverse=True) == newest


@postgresql_only
def test_a_rare_word_is_found_through_the_index_beyond_the_newest_rows(demo_world, monkeypatch):
    monkeypatch.setattr("core.search.PROBE_ROWS", 5)
    monkeypatch.setattr("core.search.PROBE_ENOUGH", 3)
    oldest = DecisionFactory(title="Zanzibar corridor")
    DecisionFactory.create_batch(8, title="Another subject")
    newer = DecisionFactory(title="Zanzibar ports")

    hits = find(
        Decision.objects.all(), parse_query("zanzibar"), sources=_decisions_source(), limit=20
    )

    assert {hit.obj.pk for hit in hits} == {oldest.pk, newer.pk}
