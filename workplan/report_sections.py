"""The workplan section of the network's reports (registered in core.registry.report_sections)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.charts import Series, stacked_bar_chart
from core.models import ToRObjective
from core.registry import Section, Table

from . import rules
from .models import Deliverable, Funding, GCMObjective, ProgressUpdate

ZERO = Decimal("0")


def _in_period(period):
    """Deliverables of the years the period covers whose quarters overlap it."""
    condition = Q(pk__in=[])
    for year in range(period.start.year, period.end.year + 1):
        first = max(period.start, date(year, 1, 1))
        last = min(period.end, date(year, 12, 31))
        condition |= Q(
            workplan__year=year,
            start_quarter__lte=rules.quarter_of(last),
            end_quarter__gte=rules.quarter_of(first),
        )
    return Deliverable.objects.filter(condition)


def _money(value):
    return "USD " + formats.number_format(value or ZERO, 0, use_l10n=True, force_grouping=True)


def _status_counts(relation=""):
    """Counts of deliverables by status: of the rows, or through `relation` ("deliverables")."""

    def status(value):
        return Q(**{f"{relation}__status" if relation else "status": value})

    field = relation or "pk"
    return {
        "total": Count(field, distinct=True),
        "completed": Count(field, filter=status("completed"), distinct=True),
        "on_track": Count(field, filter=status("on_track"), distinct=True),
        "attention": Count(
            field,
            filter=status("at_risk") | status("delayed"),
            distinct=True,
        ),
        "not_started": Count(field, filter=status("not_started"), distinct=True),
    }


def workplan_section(period, audience, language):
    """Progress by ToR objective, status and agency; funding secured against required; GCM."""
    deliverables = _in_period(period)
    ids = deliverables.values("pk")
    totals = deliverables.aggregate(budget=Sum("budget_required"), **_status_counts())
    if not totals["total"]:
        return None
    money = Funding.objects.filter(deliverable__in=ids).aggregate(
        confirmed=Sum("amount", filter=Q(status=Funding.Status.CONFIRMED)),
        pledged=Sum("amount", filter=Q(status=Funding.Status.PLEDGED)),
    )
    budget = totals["budget"] or ZERO
    confirmed = money["confirmed"] or ZERO
    pledged = money["pledged"] or ZERO
    updates = ProgressUpdate.objects.filter(
        deliverable__in=ids, date__gte=period.start, date__lte=period.end
    ).count()
    by_objective = (
        ToRObjective.objects.filter(deliverables__in=ids)
        .annotate(**_status_counts("deliverables"))
        .order_by("number")
    )
    by_status = (
        deliverables.order_by()
        .values("status")
        .annotate(count=Count("pk"), budget=Sum("budget_required"))
    )
    secured_by_status = dict(
        Funding.objects.filter(deliverable__in=ids, status=Funding.Status.CONFIRMED)
        .order_by()
        .values_list("deliverable__status")
        .annotate(total=Sum("amount"))
    )
    by_agency = (
        deliverables.order_by()
        .values("lead_agency__acronym")
        .annotate(budget=Sum("budget_required"), **_status_counts())
        .order_by("lead_agency__acronym")
    )
    secured_by_agency = dict(
        Funding.objects.filter(deliverable__in=ids, status=Funding.Status.CONFIRMED)
        .order_by()
        .values_list("deliverable__lead_agency__acronym")
        .annotate(total=Sum("amount"))
    )
    gcm = (
        GCMObjective.objects.filter(deliverables__in=ids)
        .annotate(served=Count("deliverables", distinct=True))
        .order_by("number")
    )
    listed = (
        deliverables.select_related("workplan", "lead_agency")
        .with_last_update()
        .order_by("workplan__year", "number")
    )
    by_objective = list(by_objective)
    budget_by_objective = dict(
        deliverables.order_by()
        .values_list("tor_objectives__number")
        .annotate(total=Sum("budget_required"))
    )
    secured_by_objective = dict(
        Funding.objects.filter(deliverable__in=ids, status=Funding.Status.CONFIRMED)
        .order_by()
        .values_list("deliverable__tor_objectives__number")
        .annotate(total=Sum("amount"))
    )
    statuses = dict(Deliverable.Status.choices)
    with translation.override(language):
        return Section(
            key="workplan",
            title=_("Workplan progress"),
            figures=[
                (_("Deliverables in the period"), totals["total"]),
                (_("Completed"), totals["completed"]),
                (_("On track"), totals["on_track"]),
                (_("At risk or delayed"), totals["attention"]),
                (_("Budget required"), _money(budget)),
                (_("Funds secured"), _money(confirmed)),
                (_("Funds pledged"), _money(pledged)),
                (_("Funding gap"), _money(max(budget - confirmed, ZERO))),
                (_("Progress updates"), updates),
            ],
            tables=[
                Table(
                    columns=[
                        _("ToR objective"),
                        _("Deliverables"),
                        _("Completed"),
                        _("On track"),
                        _("At risk or delayed"),
                        _("Not started"),
                    ],
                    rows=[
                        [
                            f"{o.number}. {o.label}",
                            o.total,
                            o.completed,
                            o.on_track,
                            o.attention,
                            o.not_started,
                        ]
                        for o in by_objective
                    ],
                    caption=_("Progress by ToR objective"),
                ),
                Table(
                    columns=[_("Status"), _("Deliverables"), _("Budget required"), _("Secured")],
                    rows=[
                        [
                            str(statuses[row["status"]]),
                            row["count"],
                            _money(row["budget"]),
                            _money(secured_by_status.get(row["status"])),
                        ]
                        for row in sorted(
                            by_status, key=lambda row: list(statuses).index(row["status"])
                        )
                    ],
                    caption=_("Deliverables by status"),
                ),
                Table(
                    columns=[
                        _("Lead agency"),
                        _("Deliverables"),
                        _("Completed"),
                        _("At risk or delayed"),
                        _("Budget required"),
                        _("Secured"),
                    ],
                    rows=[
                        [
                            row["lead_agency__acronym"],
                            row["total"],
                            row["completed"],
                            row["attention"],
                            _money(row["budget"]),
                            _money(secured_by_agency.get(row["lead_agency__acronym"])),
                        ]
                        for row in by_agency
                    ],
                    caption=_("Progress and funding by lead agency"),
                ),
                Table(
                    columns=[_("GCM objective"), _("Deliverables serving it")],
                    rows=[[f"{o.number}. {o.label}", o.served] for o in gcm],
                    caption=_("GCM objectives served"),
                ),
                Table(
                    columns=[_("Code"), _("Deliverable"), _("Lead"), _("Status"), _("Updated")],
                    rows=[
                        [
                            d.code,
                            d.title,
                            d.lead_agency.acronym,
                            str(statuses[d.status]),
                            formats.date_format(d.last_update_on) if d.last_update_on else "",
                        ]
                        for d in listed
                    ],
                    caption=_("Deliverables"),
                ),
            ],
            charts=_charts(by_objective, budget_by_objective, secured_by_objective),
            order=40,
        )


def _charts(by_objective, budget_by_objective, secured_by_objective):
    """Progress and funding by ToR objective, drawn (called in the section's language)."""
    if not by_objective:
        return []
    labels = {o.number: f"{o.number}. {o.label}" for o in by_objective}
    progress = stacked_bar_chart(
        _("Progress by ToR objective"),
        [
            (labels[o.number], [o.completed, o.on_track, o.attention, o.not_started])
            for o in by_objective
        ],
        series=[
            Series(_("Completed"), "#009e73"),
            Series(_("On track"), "#0072b2"),
            Series(_("At risk or delayed"), "#d55e00"),
            Series(_("Not started"), "#999999"),
        ],
        value_format="integer",
        description=_("The deliverables of each ToR objective, by status."),
    )
    funding = []
    for number, label in labels.items():
        required = budget_by_objective.get(number) or ZERO
        secured = secured_by_objective.get(number) or ZERO
        funding.append((label, [secured, max(required - secured, ZERO)]))
    funded = stacked_bar_chart(
        _("Funding by ToR objective"),
        funding,
        series=[Series(_("Secured"), "#009e73"), Series(_("Gap"), "#e69f00")],
        value_format="money",
        unit="USD",
        description=_(
            "For each ToR objective, the confirmed funds and the gap to the budget its "
            "deliverables require; together they make the budget required."
        ),
    )
    return [progress, funded]
