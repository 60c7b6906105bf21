"""Read models of the workplan pages, exports and dashboard (all the query shaping is here)."""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.models import ToRObjective
from members.models import Organisation
from members.roles import represented_organisation_ids

from . import rules
from .models import (
    Deliverable,
    Funding,
    GCMObjective,
    ProgressUpdate,
    ThematicArea,
    Workplan,
)

ZERO = Decimal("0.00")


def workplans_for(user):
    return Workplan.objects.visible_to(user).annotate(
        deliverable_count=Count("deliverables", distinct=True),
        open_count=Count(
            "deliverables",
            filter=~Q(deliverables__status__in=rules.CLOSED_STATUSES),
            distinct=True,
        ),
        attention_count=Count(
            "deliverables",
            filter=Q(deliverables__status__in=rules.ATTENTION_STATUSES),
            distinct=True,
        ),
    )


def has_deliverables_to_carry_over(workplan):
    """Whether last year's plan has unfinished deliverables not yet copied into this draft."""
    if not workplan.is_draft:
        return False
    copied = workplan.deliverables.filter(copied_from__isnull=False).values("copied_from_id")
    return (
        Deliverable.objects.filter(workplan__year=workplan.year - 1)
        .open()
        .exclude(pk__in=copied)
        .exists()
    )


def deliverables_of(workplan, *, sdg_targets=True):
    """The workplan's deliverables with everything a row of a list or export shows.

    `sdg_targets=False` for the pages, whose table does not show them (one query less).
    """
    links = ["tor_objectives", "gcm_objectives", *(["sdg_targets"] if sdg_targets else [])]
    return (
        workplan.deliverables.select_related("lead_agency", "thematic_area", "workplan")
        .prefetch_related(
            *links,
            Prefetch("supporting_agencies", queryset=Organisation.objects.order_by("acronym")),
        )
        .with_funding()
        .with_last_update()
        .order_by("number")
    )


# --- Reference data and the labels of a page of deliverables -------------------------------------

# The ToR objectives, GCM objectives and thematic areas change only through the admin and data
# migrations (workplan.apps forgets them on either), yet every year page showed them from four
# queries. A version in the key: a change to what is cached changes every key.
REFERENCE_KEY = "workplan:reference:1"
REFERENCE_SECONDS = 24 * 60 * 60


def reference_rows():
    """The ToR objectives, GCM objectives and thematic areas: {"tor", "gcm", "areas"} lists."""
    rows = cache.get(REFERENCE_KEY)
    if rows is None:
        rows = {
            "tor": list(ToRObjective.objects.all()),
            "gcm": list(GCMObjective.objects.all()),
            "areas": list(ThematicArea.objects.all()),
        }
        cache.set(REFERENCE_KEY, rows, REFERENCE_SECONDS)
    return rows


def forget_reference_rows(**kwargs):
    """A signal receiver: a reference row was saved or deleted, or migrations ran."""
    cache.delete(REFERENCE_KEY)


def with_links(deliverables):
    """The deliverables (a list) with what the deliverable table shows besides their own row.

    `tor_list`, `gcm_list`, `supporting_list` and `status_label`: one query over the three link
    tables, where three prefetches (each with its join) were three; the objectives come from the
    cached reference rows.
    """
    deliverables = list(deliverables)
    ids = [deliverable.pk for deliverable in deliverables]
    links = Deliverable.tor_objectives.through.objects.filter(deliverable__in=ids).values_list(
        "deliverable_id", Value("tor"), "torobjective_id", Value("")
    )
    links = links.union(
        Deliverable.gcm_objectives.through.objects.filter(deliverable__in=ids).values_list(
            "deliverable_id", Value("gcm"), "gcmobjective_id", Value("")
        ),
        Deliverable.supporting_agencies.through.objects.filter(deliverable__in=ids).values_list(
            "deliverable_id", Value("agency"), "organisation_id", "organisation__acronym"
        ),
        all=True,
    )
    reference = reference_rows()
    objectives = {
        "tor": {row.pk: row for row in reference["tor"]},
        "gcm": {row.pk: row for row in reference["gcm"]},
    }
    found = {pk: {"tor": [], "gcm": [], "agency": []} for pk in ids}
    if ids:
        for deliverable_id, kind, pk, acronym in links:
            if kind == "agency":
                found[deliverable_id][kind].append(Organisation(pk=pk, acronym=acronym))
            else:
                found[deliverable_id][kind].append(objectives[kind][pk])
    # get_status_display() rebuilt the choices dict for every row (a fifth of a row's rendering).
    status_labels = {value: str(label) for value, label in Deliverable.Status.choices}
    for deliverable in deliverables:
        deliverable.status_label = status_labels.get(deliverable.status, deliverable.status)
        mine = found[deliverable.pk]
        deliverable.tor_list = sorted(mine["tor"], key=lambda row: row.number)
        deliverable.gcm_list = sorted(mine["gcm"], key=lambda row: row.number)
        deliverable.supporting_list = sorted(mine["agency"], key=lambda row: row.acronym)
    return deliverables


def page_deliverables(workplan):
    """The year's deliverables as a page of the list shows them (their links: `with_links`)."""
    return (
        workplan.deliverables.select_related("lead_agency", "thematic_area", "workplan")
        .with_funding()
        .with_last_update()
        .order_by("number")
    )


def filter_deliverables(queryset, *, tor=None, gcm=None, area=None, agency=None, status=None, q=""):
    if tor:
        queryset = queryset.filter(tor_objectives=tor)
    if gcm:
        queryset = queryset.filter(gcm_objectives=gcm)
    if area:
        queryset = queryset.filter(thematic_area=area)
    if agency:
        queryset = queryset.filter(
            Q(lead_agency=agency)
            | Q(
                pk__in=Deliverable.supporting_agencies.through.objects.filter(
                    organisation=agency
                ).values("deliverable")
            )
        )
    if status:
        queryset = queryset.filter(status=status)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return queryset


def deliverable_detail(user, pk):
    """One deliverable, looked up among those the person may see (else DoesNotExist → 404)."""
    return (
        Deliverable.objects.visible_to(user)
        .select_related("workplan", "lead_agency", "thematic_area", "copied_from__workplan")
        .prefetch_related(
            "tor_objectives",
            "gcm_objectives",
            "sdg_targets",
            "supporting_agencies",
            "fundings",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("author", "author_organisation"),
            ),
        )
        .get(pk=pk)
    )


# --- Per agency ---------------------------------------------------------------------------------


def agencies_of(workplan):
    """Agencies that lead or support a deliverable of the year.

    Two EXISTS, each an index lookup per agency: an OR over the two joins (lead, supporting)
    multiplied them for every year's deliverables before keeping this year's.
    """
    supporting = Deliverable.supporting_agencies.through.objects
    return Organisation.objects.filter(
        Exists(Deliverable.objects.filter(workplan=workplan, lead_agency=OuterRef("pk")))
        | Exists(supporting.filter(deliverable__workplan=workplan, organisation=OuterRef("pk")))
    )


def agencies_overview(workplan):
    """Each agency leading or supporting a deliverable of the year, with its counts.

    Two GROUP BYs over the year's rows, put together here: counted per agency in correlated
    subqueries, the supporting count walked every year's links of each of the network's agencies
    (a regional instance's 500 agencies: 300 ms at the stress size).
    """
    led = {
        row["lead_agency"]: row
        for row in Deliverable.objects.filter(workplan=workplan)
        .values("lead_agency")
        .annotate(
            led=Count("pk"), attention=Count("pk", filter=Q(status__in=rules.ATTENTION_STATUSES))
        )
        .order_by()
    }
    supported = dict(
        Deliverable.supporting_agencies.through.objects.filter(deliverable__workplan=workplan)
        .values_list("organisation")
        .annotate(count=Count("pk"))
        .order_by()
    )
    agencies = list(Organisation.objects.filter(pk__in={*led, *supported}).order_by("acronym"))
    for agency in agencies:
        counts = led.get(agency.pk, {})
        agency.led = counts.get("led", 0)
        agency.attention = counts.get("attention", 0)
        agency.supported = supported.get(agency.pk, 0)
    return agencies


# The agency page shows the first rows of each list; the year's list filtered on the agency has
# them all, a page at a time (an agency may lead hundreds of deliverables a year).
AGENCY_LIST_LIMIT = 25


def agency_deliverables(workplan, organisation):
    """The first deliverables the agency leads and supports in the year, and how many of each.

    One query (numbered per list and counted per list in window functions, the first
    `AGENCY_LIST_LIMIT` of each kept in SQL) and one for their links.
    """
    # Lead and supporting at once (a lead agency cannot also support its deliverable).
    supporting = Deliverable.supporting_agencies.through.objects.filter(
        organisation=organisation, deliverable__workplan=workplan
    )
    leads = Q(lead_agency=organisation)
    role = [ExpressionWrapper(leads, output_field=BooleanField())]
    rows = with_links(
        page_deliverables(workplan)
        .filter(leads | Q(pk__in=supporting.values("deliverable")))
        .annotate(
            rank=Window(RowNumber(), partition_by=role, order_by="number"),
            of=Window(Count("pk"), partition_by=role),
        )
        .filter(rank__lte=AGENCY_LIST_LIMIT)
    )
    led = [d for d in rows if d.lead_agency_id == organisation.pk]
    supported = [d for d in rows if d.lead_agency_id != organisation.pk]
    return {
        "led": led,
        "supported": supported,
        "led_count": led[0].of if led else 0,
        "supported_count": supported[0].of if supported else 0,
    }


# --- Timeline -----------------------------------------------------------------------------------


# The timeline's order, for its keyset pages (core.pagination): by area, then by quarters.
TIMELINE_ORDER = ["thematic_area__order", "thematic_area", "start_quarter", "end_quarter", "number"]
TIMELINE_PAGE_SIZE = 100


def timeline_deliverables(workplan):
    return workplan.deliverables.select_related("lead_agency", "thematic_area").order_by(
        *TIMELINE_ORDER
    )


def timeline(workplan, deliverables=None):
    """Deliverables by thematic area, each with its four quarters marked active or not.

    `deliverables`: the rows to show (a page of `timeline_deliverables`); all of them if None.
    """
    groups = OrderedDict()
    today = timezone.localdate()
    current = rules.quarter_of(today) if today.year == workplan.year else None
    if deliverables is None:
        deliverables = timeline_deliverables(workplan)
    for deliverable in deliverables:
        deliverable.quarters = [
            rules.is_active_in(deliverable.start_quarter, deliverable.end_quarter, quarter)
            for quarter in rules.QUARTERS
        ]
        groups.setdefault(deliverable.thematic_area, []).append(deliverable)
    return {"groups": groups, "current_quarter": current, "quarters": rules.QUARTERS}


# --- Summary and coverage -----------------------------------------------------------------------


@dataclass
class Tally:
    """Counts and money of a group of deliverables."""

    label: str = ""
    key: object = None
    count: int = 0
    budget: Decimal = ZERO
    confirmed: Decimal = ZERO
    pledged: Decimal = ZERO
    # Sum of the deliverables' gaps (a surplus on one does not fund another).
    gap: Decimal = ZERO

    def take(self, row):
        """Set the figures from one row of `_tallies`."""
        if row:
            self.count = row["n"]
            self.budget = row["budget"] or ZERO
            self.confirmed = row["confirmed"] or ZERO
            self.pledged = row["pledged"] or ZERO
            self.gap = row["gap"] or ZERO
        return self

    def plus(self, other):
        self.count += other.count
        self.budget += other.budget
        self.confirmed += other.confirmed
        self.pledged += other.pledged
        self.gap += other.gap
        return self

    @property
    def funded_share(self):
        return rules.funded_share(self.budget, self.confirmed)


# The column a tally groups by: the deliverable's own, or the objective of a link table's row.
_TALLY_KEYS = {
    "status": None,
    "thematic_area": None,
    "tor_objectives": "torobjective_id",
    "gcm_objectives": "gcmobjective_id",
}


def _tallies(workplan, *keys):
    """Count, budget, confirmed, pledged and gap of the year's deliverables per `keys`, in SQL.

    `keys`: a link (the ToR or GCM objectives) alone, or one or more of the deliverable's own
    columns (the rows then keyed by a tuple of their values).

    One aggregate over the year's rows, joined to the year's funding summed once per
    deliverable. `with_funding`'s correlated subqueries ran three times for each of the year's
    deliverables (5,000 at the stress size: 45 of the 60 ms of each tally).
    """
    key = keys[0]
    link_column = _TALLY_KEYS[key]
    deliverables = Deliverable._meta.db_table
    fundings = Funding._meta.db_table
    if link_column:
        links = Deliverable._meta.get_field(key).remote_field.through._meta.db_table
        group = f"link.{link_column}"
        join = f"JOIN {links} link ON link.deliverable_id = d.id"
    else:
        group = ", ".join(f"d.{Deliverable._meta.get_field(k).column}" for k in keys)
        join = ""
    sql = f"""
        SELECT {group},
               COUNT(*),
               SUM(d.budget_required),
               SUM(COALESCE(money.confirmed, 0)),
               SUM(COALESCE(money.pledged, 0)),
               SUM(GREATEST(d.budget_required - COALESCE(money.confirmed, 0), 0))
          FROM {deliverables} d
          {join}
          LEFT JOIN (
                SELECT f.deliverable_id,
                       SUM(f.amount) FILTER (WHERE f.status = %s) AS confirmed,
                       SUM(f.amount) FILTER (WHERE f.status = %s) AS pledged
                  FROM {fundings} f
                  JOIN {deliverables} funded ON funded.id = f.deliverable_id
                 WHERE funded.workplan_id = %s
                 GROUP BY f.deliverable_id
               ) money ON money.deliverable_id = d.id
         WHERE d.workplan_id = %s
         GROUP BY {group}
    """  # noqa: S608 (table and column names from the models, values as parameters)
    params = [Funding.Status.CONFIRMED, Funding.Status.PLEDGED, workplan.pk, workplan.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = ("n", "budget", "confirmed", "pledged", "gap")
        width = len(keys)
        return {
            (row[:width] if width > 1 else row[0]): dict(zip(names, row[width:], strict=True))
            for row in cursor.fetchall()
        }


def _plus(rows, index):
    """The rows of a two-key `_tallies` added up per the key at `index` (0 or 1)."""
    names = ("n", "budget", "confirmed", "pledged", "gap")
    sums = {}
    for keys, row in rows.items():
        mine = sums.setdefault(keys[index], dict.fromkeys(names, 0))
        for name in names:
            mine[name] += row[name] or 0
    return sums


def summary(workplan):
    """The year's figures in total, by status, by ToR objective and by thematic area.

    Status and area from one aggregate over both (each deliverable has one of each), the ToR
    objectives from another; the objectives and areas themselves from the cached reference rows.
    """
    both = _tallies(workplan, "status", "thematic_area")
    statuses, areas = _plus(both, 0), _plus(both, 1)
    tors = _tallies(workplan, "tor_objectives")
    reference = reference_rows()
    by_status = [
        Tally(label=label, key=value).take(statuses.get(value))
        for value, label in Deliverable.Status.choices
    ]
    total = Tally(label="total")
    for tally in by_status:  # each deliverable has exactly one status
        total.plus(tally)
    return {
        "total": total,
        "by_status": by_status,
        "by_tor": [Tally(label=str(o), key=o).take(tors.get(o.pk)) for o in reference["tor"]],
        "by_area": [
            Tally(label=str(a), key=a).take(areas[a.pk])
            for a in reference["areas"]
            if a.pk in areas
        ],
    }


def gcm_coverage(workplan):
    """Each of the 23 GCM objectives with the year's deliverables serving it."""
    served = _tallies(workplan, "gcm_objectives")
    rows = [Tally(label=str(o), key=o).take(served.get(o.pk)) for o in reference_rows()["gcm"]]
    return {
        "rows": rows,
        "covered": [row for row in rows if row.count],
        "untouched": [row for row in rows if not row.count],
    }


def fundings_of(workplan):
    return (
        Funding.objects.filter(deliverable__workplan=workplan)
        .select_related("deliverable__workplan")
        .order_by("deliverable__number", "-amount", "pk")
    )


# --- Dashboard ----------------------------------------------------------------------------------


NETWORK_ATTENTION_LIMIT = 6
PANEL_LIMIT = 8


def dashboard_for(user, *, today=None):
    """Deliverables the person's agencies lead that need attention or a progress update.

    Co-chairs, the secretariat and the RCO also see the network's other deliverables at risk or
    delayed this year (docs/PRODUCT.md §8: "deliverables at risk").
    """
    from .permissions import oversees_workplan

    organisation_ids = represented_organisation_ids(user)
    oversees = oversees_workplan(user)
    if not organisation_ids and not oversees:
        return None
    today = today or timezone.localdate()
    network_attention = []
    network_more = False
    if oversees:
        network_attention = list(
            Deliverable.objects.filter(workplan__year=today.year)
            .needing_attention()
            .exclude(lead_agency_id__in=organisation_ids)
            .select_related("workplan", "lead_agency")
            .order_by("number")[: NETWORK_ATTENTION_LIMIT + 1]
        )
        network_more = len(network_attention) > NETWORK_ATTENTION_LIMIT
        network_attention = network_attention[:NETWORK_ATTENTION_LIMIT]
    # A few rows of each list and whether there are more, chosen in SQL: an agency may lead
    # hundreds of deliverables a year.
    mine = Deliverable.objects.filter(
        workplan__year=today.year, lead_agency_id__in=organisation_ids
    ).select_related("workplan", "lead_agency")
    attention = list(mine.needing_attention().order_by("number")[: PANEL_LIMIT + 1])
    due = list(mine.update_due(today).order_by("number")[: PANEL_LIMIT + 1])
    return {
        "mine": bool(organisation_ids),
        "attention": attention[:PANEL_LIMIT],
        "attention_more": len(attention) > PANEL_LIMIT,
        "due": due[:PANEL_LIMIT],
        "due_more": len(due) > PANEL_LIMIT,
        # The year's list filtered to the agency, when the person represents one.
        "agency_id": next(iter(organisation_ids)) if len(organisation_ids) == 1 else None,
        "quarter": rules.quarter_of(today),
        "oversees": oversees,
        "network_attention": network_attention,
        "network_more": network_more,
        "year": today.year,
    }
