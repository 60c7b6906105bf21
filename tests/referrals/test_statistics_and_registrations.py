"""Anonymous statistics with small cells suppressed; 2FA for officers; the list's query bound;
the navigation entry, dashboard panel, report section and demo seeder."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from core import registry
from referrals import selectors
from referrals.models import Referral
from referrals.services import new_reference

from .conftest import FICTIONAL_NAME, make_referral

pytestmark = pytest.mark.django_db


def _bulk(
    world,
    count,
    *,
    to="UNHCR",
    status="sent",
    services=("protection",),
    urgency="normal",
    sent_at=None,
    sender=None,
):
    now = sent_at or timezone.now()
    Referral.objects.bulk_create(
        Referral(
            reference=new_reference(),
            from_organisation=sender or world.organisation("IOM"),
            to_organisation=world.organisation(to) if isinstance(to, str) else to,
            urgency=urgency,
            services=list(services),
            status=status,
            created_by=world.users["iom_referrals"],
            sent_at=now,
            acknowledge_due_at=now,
            full_name=f"Bulk {n}",
        )
        for n in range(count)
    )


def test_small_cells_are_suppressed_and_no_total_is_given(rworld):
    _bulk(rworld, 7, to="UNHCR")
    _bulk(rworld, 2, to="UNICEF", services=("psychosocial",), urgency="emergency")
    tables = {table["title"]: dict(table["rows"]) for table in selectors.statistics()}
    pairs = tables["By agencies (referring → receiving)"]
    assert pairs["IOM → UNICEF"] == "<5"
    # A single small cell could be recomputed from the other table's total: its partner is hidden.
    assert pairs["IOM → UNHCR"] == "\u2013"
    urgency = tables["By urgency"]
    assert urgency["Emergency"] == "<5"
    assert not [label for rows in tables.values() for label in rows if "otal" in label]


def test_statistics_count_each_requested_service_once_per_referral(rworld):
    _bulk(rworld, 6, services=("protection", "legal_aid"))
    _bulk(rworld, 5, services=("legal_aid", "protection"))
    _bulk(rworld, 7, services=("legal_aid",))
    tables = {table["title"]: dict(table["rows"]) for table in selectors.statistics()}
    assert tables["By service requested"] == {"Protection": "11", "Legal aid": "18"}
    assert tables["By status"] == {"Sent": "18"}


def test_statistics_list_the_largest_agency_pairs_then_the_rest_in_one_row(rworld):
    from members.models import Organisation

    receivers = Organisation.objects.bulk_create(
        Organisation(acronym=f"P{n:02d}", name=f"Partner {n}", kind=Organisation.Kind.UN_AGENCY)
        for n in range(selectors.STATISTICS_PAIRS + 5)
    )
    for n, receiver in enumerate(receivers):
        _bulk(rworld, 40 - n, to=receiver)
    pairs = dict(
        {table["title"]: table["rows"] for table in selectors.statistics()}[
            "By agencies (referring → receiving)"
        ]
    )
    assert len(pairs) == selectors.STATISTICS_PAIRS + 1
    assert pairs["IOM → P00"] == "40"  # the largest first
    assert "IOM → P30" not in pairs
    # The five smallest pairs (10 down to 6 referrals) are one row.
    assert pairs["5 other pairs of agencies"] == str(10 + 9 + 8 + 7 + 6)


def test_statistics_page_shows_one_year_at_a_time(
    rworld, client, django_assert_num_queries, settings
):
    from datetime import datetime

    settings.REFERRALS_STATISTICS_CACHE_SECONDS = 0  # counted on every request here

    this_year = timezone.localdate().year
    tz = timezone.get_current_timezone()
    _bulk(rworld, 6, to="UNICEF", sent_at=datetime(this_year - 2, 6, 1, tzinfo=tz))
    _bulk(rworld, 7, to="UNHCR")
    client.force_login(rworld.users["rco"])
    url = reverse("referrals:statistics")

    def pairs(response):
        (table,) = [t for t in response.context["tables"] if t["title"].startswith("By agencies")]
        return dict(table["rows"])

    assert pairs(client.get(url)) == {"IOM → UNHCR": "7"}
    assert pairs(client.get(url, {"year": this_year - 2})) == {"IOM → UNICEF": "6"}
    assert pairs(client.get(url, {"year": "all"})) == {"IOM → UNHCR": "7", "IOM → UNICEF": "6"}
    page = client.get(url, {"year": "1999"})  # not offered: this year
    assert page.status_code == 200 and pairs(page) == {"IOM → UNHCR": "7"}
    assert page.context["years"] == [this_year, this_year - 1, this_year - 2]
    # Counted by the database: the same queries for 13 referrals and for 2,000 more.
    with django_assert_num_queries(STATISTICS_QUERIES):
        client.get(url, {"year": "all"})
    _bulk(rworld, 1000, to="UNICEF", services=("protection", "legal_aid"))
    _bulk(rworld, 1000, to="ILO", sent_at=datetime(this_year - 1, 3, 1, tzinfo=tz))
    with django_assert_num_queries(STATISTICS_QUERIES):
        response = client.get(url, {"year": "all"})
    assert pairs(response)["IOM → ILO"] == "1000"


STATISTICS_QUERIES = 7


def test_statistics_page_keeps_its_counts_for_a_while_and_says_when_made(rworld, client):
    from django.core.cache import cache

    _bulk(rworld, 7, to="UNHCR")
    client.force_login(rworld.users["rco"])
    url = reverse("referrals:statistics")

    def pairs():
        response = client.get(url)
        (table,) = [t for t in response.context["tables"] if t["title"].startswith("By agencies")]
        return dict(table["rows"]), response.content.decode()

    counted, page = pairs()
    assert counted == {"IOM → UNHCR": "7"}
    assert "counted again every 10 minutes" in page
    _bulk(rworld, 3, to="UNHCR")
    assert pairs()[0] == {"IOM → UNHCR": "7"}  # the counts of a few minutes ago
    cache.clear()  # as when they expire
    assert pairs()[0] == {"IOM → UNHCR": "10"}


def test_statistics_page_for_co_chairs_and_the_rco_only(rworld, client):
    _bulk(rworld, 6)
    _bulk(rworld, 1, to="UNICEF", services=("psychosocial",))
    for key, status in [
        ("ilo_focal", 200),
        ("rco", 200),
        ("unhcr_focal", 403),
        ("iom_referrals", 403),
        ("admin", 403),
    ]:
        client.force_login(rworld.users[key])
        response = client.get(reverse("referrals:statistics"))
        assert response.status_code == status, key
    client.force_login(rworld.users["rco"])
    page = client.get(reverse("referrals:statistics")).content.decode()
    assert "&lt;5" in page
    assert "Bulk" not in page


def test_officers_need_two_factor_to_open_the_module(rworld, client, settings):
    from allauth.mfa.models import Authenticator

    referral = make_referral(rworld)
    officer = rworld.users["unhcr_referrals"]
    Authenticator.objects.filter(user=officer).delete()
    client.force_login(officer)
    for url in [reverse("referrals:index"), referral.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    settings.REFERRALS_REQUIRE_MFA = False  # the DEBUG demo
    assert client.get(reverse("referrals:index")).status_code == 200


def test_list_queries_are_bounded_with_2000_referrals(rworld, client, django_assert_num_queries):
    _bulk(rworld, 2000)
    client.force_login(rworld.users["unhcr_referrals"])
    client.get(reverse("referrals:index"))  # process-wide caches warm up once
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("referrals:index"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/referrals/R-') == 50
    incoming = client.get(reverse("referrals:index"), {"box": "incoming"}).context["page_obj"]
    for _page in range(3):
        params = {"box": "incoming", "after": incoming.next_cursor}
        with django_assert_num_queries(LIST_QUERIES):
            incoming = client.get(reverse("referrals:index"), params).context["page_obj"]
        assert len(incoming) == 50


def test_the_referral_list_pages_by_cursor_through_every_referral_once(rworld, client):
    from referrals.models import Referral
    from tests.keyset import walk_pages

    _bulk(rworld, 130)
    officer = rworld.users["unhcr_referrals"]
    client.force_login(officer)

    pages = walk_pages(client, reverse("referrals:index"), rows="referrals")

    listed = [referral.pk for page in pages for referral in page]
    visible = Referral.objects.visible_to(officer).order_by("-created_at", "-pk")
    assert listed == list(visible.values_list("pk", flat=True))
    assert len(pages) > 2


# Measured with 2,000 referrals, the same on the first page and the pages after it: user, roles,
# officer appointments (the access check and the list), the page and its next row (the session
# and the network come from the cache).
LIST_QUERIES = 5


def test_navigation_for_officers_and_statistics_readers_only(rworld):
    (entry,) = [e for e in registry.navigation.entries() if e.key == "referrals"]
    for key, expected in [
        ("iom_referrals", True),
        ("unicef_referrals", True),
        ("rco", True),
        ("iom_focal", True),
        ("unhcr_focal", False),
        ("undp_staff", False),
        ("admin", False),
        ("guest", False),
    ]:
        assert entry.may_open(rworld.users[key]) is expected, key


def test_dashboard_panel_shows_waiting_and_overdue_without_names(rworld, client):
    referral = make_referral(rworld)
    Referral.objects.filter(pk=referral.pk).update(acknowledge_due_at=timezone.now())
    client.force_login(rworld.users["unhcr_referrals"])
    page = client.get(reverse("core:dashboard")).content.decode()
    assert referral.reference in page
    assert 'id="referrals-overdue"' in page
    assert FICTIONAL_NAME not in page
    panels = registry.panels_for(rworld.users["undp_staff"])
    assert not [p for p in panels if p.template_name.startswith("referrals/")]


def test_report_section_is_anonymous_and_suppressed(rworld):
    _bulk(rworld, 3)
    today = timezone.localdate()
    period = registry.Period(date(today.year, 1, 1), date(today.year, 12, 31))
    sections = registry.report_sections_for(period, registry.Audience.NETWORK, "en")
    (section,) = [s for s in sections if s.key == "referrals"]
    cells = [cell for table in section.tables for row in table.rows for cell in row]
    assert "<5" in cells and "3" not in cells
    assert not [
        s
        for s in registry.report_sections_for(period, registry.Audience.GOVERNMENT, "en")
        if s.key == "referrals"
    ]


def test_demo_seeder_puts_referrals_in_every_state(demo_world):
    from referrals import demo
    from referrals.models import ReferralOfficerAppointment

    demo.seed(demo_world)
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == {s for s, _ in Referral.Status.choices}
    officers = set(
        ReferralOfficerAppointment.objects.active().values_list("person__email", flat=True)
    )
    assert {"iom.referrals@example.org", "unhcr.referrals@example.org"} <= officers
    count = Referral.objects.count()
    demo.seed(demo_world)
    assert Referral.objects.count() == count
