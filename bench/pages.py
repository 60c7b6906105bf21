"""The pages `make bench` measures: every page a user visits, in one list, easy to extend.

A page is a name, the demo account that opens it, and its address. An address is either a string
or a function of `Targets` (the rows of the dataset a page is about: a meeting, a decision, ...),
so the list holds no ids. A page whose address does not resolve (a module not merged yet) is
skipped with a note, not an error: add a page here as soon as its issue lands.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

RCO = "rco@example.org"
FOCAL = "iom.focal@example.org"
STAFF = "undp.staff@example.org"
REFERRAL_OFFICER = "iom.referrals@example.org"
# Signed in through the real login form; none of these needs a second factor under the bench's
# settings (bench/run.py: MFA_REQUIRED_FOR_ROLES and REFERRALS_REQUIRE_MFA are off).
ACCOUNTS = (RCO, FOCAL, STAFF, REFERRAL_OFFICER)


@dataclass(frozen=True)
class Page:
    name: str
    account: str | None  # None: opened without signing in (the calendar feed)
    address: object  # a path, or a function of Targets returning one
    # Part of the "mixed reads" run (what people browse); exports and feeds are not.
    browse: bool = True

    def path(self, targets):
        return self.address(targets) if callable(self.address) else self.address


def _year_choice():
    return timezone.localdate().year


class Targets:
    """The rows the pages are about, looked up once in the benchmark database."""

    def user(self, email):
        return get_user_model().objects.get(email=email)

    @cached_property
    def rco(self):
        return self.user(RCO)

    @cached_property
    def upcoming_meeting(self):
        from meetings.models import Meeting

        return (
            Meeting.objects.visible_to(self.rco)
            .filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
            .order_by("starts_at")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def past_meeting(self):
        """The latest held meeting with minutes: its page has the most to show."""
        from meetings.models import Meeting

        return (
            Meeting.objects.visible_to(self.rco)
            .filter(status=Meeting.Status.HELD, minutes__isnull=False)
            .order_by("-starts_at")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def closed_decision(self):
        from decisions.models import Decision

        return (
            Decision.objects.visible_to(self.rco)
            .filter(status=Decision.Status.ADOPTED)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def open_decision(self):
        from decisions.models import Decision

        return (
            Decision.objects.visible_to(self.user(FOCAL))
            .filter(status=Decision.Status.OPEN)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def decision_year(self):
        """A past year of the register, for the filtered view."""
        return _year_choice() - 2

    @cached_property
    def workplan_year(self):
        """This year's workplan when there is one, else the latest."""
        from workplan.models import Workplan

        years = list(Workplan.objects.values_list("year", flat=True))
        return _year_choice() if _year_choice() in years else max(years)

    @cached_property
    def deliverable(self):
        from workplan.models import Deliverable

        return (
            Deliverable.objects.filter(workplan__year=self.workplan_year)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def workplan_agency(self):
        """The agency that leads the most deliverables of the year: its page has the most rows."""
        from django.db.models import Count

        from workplan.models import Deliverable

        return (
            Deliverable.objects.filter(workplan__year=self.workplan_year)
            .values("lead_agency")
            .annotate(n=Count("pk"))
            .order_by("-n", "lead_agency")
            .values_list("lead_agency", flat=True)
            .first()
        )

    @cached_property
    def organisation(self):
        return self.organisation_of(FOCAL)

    def organisation_of(self, email):
        from members.models import Organisation

        return (
            Organisation.objects.filter(appointments__person__email=email)
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def referral(self):
        from referrals.models import Referral

        return (
            Referral.objects.visible_to(self.user(REFERRAL_OFFICER))
            .order_by("-pk")
            .values_list("reference", flat=True)
            .first()
        )

    @cached_property
    def report(self):
        from reports.models import Report

        return (
            Report.objects.visible_to(self.rco).order_by("-pk").values_list("pk", flat=True).first()
        )

    @cached_property
    def feed_token(self):
        """A fresh calendar feed address of the RCO account (only its digest is stored)."""
        from meetings.services import participation

        return participation.calendar_token_rotate(person=self.rco, by=self.rco).token

    @cached_property
    def deep_register_cursor(self):
        """Where page 500 of the register starts (25 a page), as a keyset cursor."""
        from core.pagination import cursor_after
        from decisions import selectors

        return cursor_after(
            selectors.decision_register(self.rco), ordering=selectors.REGISTER_ORDER, index=12_475
        )

    @cached_property
    def deep_meetings_cursor(self):
        """Where page 50 of all meetings starts, as a keyset cursor."""
        from core.pagination import cursor_after
        from meetings import selectors
        from meetings.models import Meeting
        from meetings.views import PAGE_SIZE

        return cursor_after(
            Meeting.objects.visible_to(self.rco),
            ordering=selectors.meeting_list_ordering("all"),
            index=49 * PAGE_SIZE - 1,
        )

    @cached_property
    def library_product(self):
        """The newest knowledge product the RCO administrator may read."""
        from library.models import KnowledgeProduct

        return (
            KnowledgeProduct.objects.visible_to(self.rco)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def bare_pk(self):
        return self.rco.pk


PAGES = [
    Page("Dashboard (RCO)", RCO, "/"),
    Page("Dashboard (focal point)", FOCAL, "/"),
    # Meetings
    Page("Meetings: upcoming", RCO, lambda t: reverse("meetings:list")),
    Page("Meetings: past", RCO, lambda t: reverse("meetings:list") + "?when=past"),
    Page(
        "Meetings: all, page 50",
        RCO,
        lambda t: reverse("meetings:list") + f"?when=all&after={t.deep_meetings_cursor}",
    ),
    Page(
        "Meeting: upcoming",
        RCO,
        lambda t: reverse("meetings:detail", args=[t.upcoming_meeting]),
    ),
    Page("Meeting: held", RCO, lambda t: reverse("meetings:detail", args=[t.past_meeting])),
    Page("Meeting: agenda", RCO, lambda t: reverse("meetings:agenda_print", args=[t.past_meeting])),
    Page("Meeting: minutes", RCO, lambda t: reverse("meetings:minutes", args=[t.past_meeting])),
    Page("Action points", RCO, lambda t: reverse("meetings:actions")),
    Page(
        "Calendar feed (personal)",
        None,
        lambda t: reverse("meetings:feed", args=[t.feed_token]),
        browse=False,
    ),
    # Decisions
    Page("Decisions register", RCO, lambda t: reverse("decisions:list")),
    Page(
        "Decisions: filtered",
        RCO,
        lambda t: reverse("decisions:list") + f"?status=adopted&year={t.decision_year}",
    ),
    Page("Decisions: search", RCO, lambda t: reverse("decisions:list") + "?q=recruitment"),
    Page(
        "Decisions: page 500",
        RCO,
        lambda t: reverse("decisions:list") + f"?after={t.deep_register_cursor}",
    ),
    Page("Decision: adopted", RCO, lambda t: reverse("decisions:detail", args=[t.closed_decision])),
    Page(
        "Decision: open (focal point)",
        FOCAL,
        lambda t: reverse("decisions:detail", args=[t.open_decision]),
    ),
    Page("Decisions CSV", RCO, lambda t: reverse("decisions:export_csv"), browse=False),
    # The Excel file is written by a background job (decisions.exports): what a request costs is
    # the page that asks for it; the job's own time is in docs/BENCHMARKS.md.
    Page("Decisions Excel: request page", RCO, lambda t: reverse("decisions:export_xlsx")),
    # Workplan
    Page("Workplans", RCO, lambda t: reverse("workplan:index")),
    Page("Workplan: year", RCO, lambda t: reverse("workplan:detail", args=[t.workplan_year])),
    Page("Workplan: summary", RCO, lambda t: reverse("workplan:summary", args=[t.workplan_year])),
    Page(
        "Workplan: GCM coverage",
        RCO,
        lambda t: reverse("workplan:gcm_coverage", args=[t.workplan_year]),
    ),
    Page("Workplan: timeline", RCO, lambda t: reverse("workplan:timeline", args=[t.workplan_year])),
    Page("Workplan: agencies", RCO, lambda t: reverse("workplan:agencies", args=[t.workplan_year])),
    Page(
        "Workplan: agency",
        RCO,
        lambda t: reverse("workplan:agency", args=[t.workplan_year, t.workplan_agency]),
    ),
    Page("Deliverable", RCO, lambda t: reverse("workplan:deliverable", args=[t.deliverable])),
    # The workbook is built by a background job (workplan.jobs); the page offers it.
    Page(
        "Workplan Excel (generate page)",
        RCO,
        lambda t: reverse("workplan:export_xlsx", args=[t.workplan_year]),
    ),
    # Members
    Page("Members directory", STAFF, lambda t: reverse("members:directory")),
    Page("Organisation", STAFF, lambda t: reverse("members:organisation", args=[t.organisation])),
    # Referrals (the referral officer; see ACCOUNTS about the second factor)
    Page("Referrals", REFERRAL_OFFICER, lambda t: reverse("referrals:index")),
    Page(
        "Referral",
        REFERRAL_OFFICER,
        lambda t: reverse("referrals:detail", args=[t.referral]),
    ),
    Page("Referral statistics", RCO, lambda t: reverse("referrals:statistics")),
    Page(
        "Referral statistics: all years",
        RCO,
        lambda t: reverse("referrals:statistics") + "?year=all",
    ),
    # Reports
    Page("Reports", RCO, lambda t: reverse("reports:list")),
    Page("Report", RCO, lambda t: reverse("reports:detail", args=[t.report])),
    # Pages of open issues: skipped with a note until their module is merged.
    Page("Search", RCO, "/search/?q=recruitment"),
    Page("Search: worst case", FOCAL, "/search/?q=network"),
    Page("Search: two words", FOCAL, "/search/?q=joint+position"),
    Page("Search: meetings, page 3", FOCAL, "/search/?q=network&kind=meetings&page=3"),
    Page("Library", RCO, "/library/"),
    Page("Library: product", RCO, lambda t: reverse("library:detail", args=[t.library_product])),
    Page("Network terms of reference", RCO, "/network/terms/"),
]


def bare_path(targets):
    """The bare view of core/bench.py (only routed with BENCH on)."""
    return f"/_bench/bare/{targets.bare_pk}/"


def resolve_pages(targets, pages=PAGES):
    """(page, path or None, note) for each page: None with a note when it cannot be measured."""
    resolved = []
    for page in pages:
        try:
            path = page.path(targets)
        except Exception as error:  # a missing row or route: reported, not fatal
            resolved.append((page, None, f"no address: {type(error).__name__}: {error}"))
            continue
        try:
            resolve(urlsplit(path).path)
        except Resolver404:
            resolved.append((page, None, "not in this portal's URLs yet"))
            continue
        resolved.append((page, path, ""))
    return resolved
