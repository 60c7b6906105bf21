"""Scale dataset (seed_scale): a workplan for every year of the span, with its deliverables."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from core.models import ToRObjective
from core.scaling import bulk_create

from .models import Deliverable, GCMObjective, ThematicArea, Workplan

SUPPORTING = 2


def seed(context):
    size, rng = context.size, context.rng
    this_year = timezone.localdate().year
    years = range(this_year - size.years + 2, this_year + 2)
    existing = set(Workplan.objects.values_list("year", flat=True))
    bulk_create(
        Workplan,
        [
            Workplan(
                year=year,
                title=f"Workplan of the Network {year}",
                status=Workplan.Status.ENDORSED if year < this_year else Workplan.Status.DRAFT,
                endorsed_on=date(year - 1, 12, 15) if year < this_year else None,
            )
            for year in years
            if year not in existing
        ],
    )
    workplans = list(Workplan.objects.filter(year__in=years).order_by("year"))
    numbers = defaultdict(
        int,
        Deliverable.objects.filter(workplan__in=workplans)
        .values("workplan")
        .annotate(last=Max("number"))
        .values_list("workplan", "last"),
    )
    areas = list(ThematicArea.objects.all())
    tor = list(ToRObjective.objects.all())
    gcm = list(GCMObjective.objects.all())
    demo = context.agencies[: context.demo_agency_count]
    deliverables = []
    for index in range(size.deliverables):
        workplan = workplans[index % len(workplans)]
        numbers[workplan.pk] += 1
        start = 1 + index % 4
        # Half are led by a demo agency: the demo accounts lead deliverables in every year.
        lead = rng.choice(demo) if index % 2 == 0 else rng.choice(context.agencies)
        deliverables.append(
            Deliverable(
                workplan=workplan,
                number=numbers[workplan.pk],
                title=f"Deliverable {numbers[workplan.pk]} of {workplan.year}",
                thematic_area=rng.choice(areas),
                lead_agency=lead,
                start_quarter=start,
                end_quarter=rng.randint(start, 4),
                status=rng.choice(Deliverable.Status.values),
                budget_required=Decimal(rng.randrange(5_000, 200_000, 500)),
            )
        )
    bulk_create(Deliverable, deliverables)
    tor_links, gcm_links, supporting = [], [], []
    for deliverable in deliverables:
        tor_links.append(
            Deliverable.tor_objectives.through(
                deliverable=deliverable, torobjective=rng.choice(tor)
            )
        )
        if gcm:
            gcm_links.append(
                Deliverable.gcm_objectives.through(
                    deliverable=deliverable, gcmobjective=rng.choice(gcm)
                )
            )
        drawn = rng.sample(context.agencies, SUPPORTING + 1)
        others = [agency for agency in drawn if agency.pk != deliverable.lead_agency_id]
        supporting.extend(
            Deliverable.supporting_agencies.through(deliverable=deliverable, organisation=agency)
            for agency in others[:SUPPORTING]
        )
    bulk_create(Deliverable.tor_objectives.through, tor_links)
    bulk_create(Deliverable.gcm_objectives.through, gcm_links)
    bulk_create(Deliverable.supporting_agencies.through, supporting)
    context.log.append(
        f"Workplans: {len(workplans)}, deliverables: {len(deliverables)}, supporting agencies: "
        f"{len(supporting)}."
    )
