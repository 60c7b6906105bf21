"""Demo workplans: last year's, completed and shared, and this year's, endorsed and under way."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import ToRObjective
from members.models import Appointment

from . import rules, services
from .models import Deliverable, GCMObjective, SDGTarget, ThematicArea, Workplan

S = Deliverable.Status

# title, description, ToR objectives, GCM objectives, SDG targets, thematic area, lead,
# supporting, start quarter, end quarter, status, budget, [(kind, source, amount, status)]
CURRENT = [
    (
        "National referral mechanism for victims of trafficking: standard operating procedures",
        "Review and update the SOPs of the national referral mechanism with the Ministry of "
        "Interior and the LMRA, and train frontline officers on their use.",
        [2, 5],
        [10, 7],
        ["8.7", "5.2", "16.2"],
        "trafficking",
        "IOM",
        ["UNODC", "UNHCR", "MOI", "LMRA"],
        1,
        3,
        S.COMPLETED,
        "85000",
        [
            ("donor", "US Department of State (J/TIP)", "60000", "confirmed"),
            ("agency", "IOM", "25000", "confirmed"),
        ],
    ),
    (
        "Joint research on fair recruitment costs in the Bahrain-South Asia corridors",
        "A joint study of recruitment fees and related costs paid by migrant workers, with "
        "recommendations for the Labour Market Regulatory Authority.",
        [1, 6],
        [6, 1],
        ["10.7", "8.8"],
        "labour-migration",
        "ILO",
        ["IOM", "LMRA", "GFBTU"],
        1,
        4,
        S.ON_TRACK,
        "120000",
        [
            ("donor", "Swiss Agency for Development and Cooperation", "70000", "confirmed"),
            ("agency", "ILO", "20000", "confirmed"),
            ("donor", "European Union", "20000", "pledged"),
        ],
    ),
    (
        "Capacity building for labour inspectors on forced labour indicators",
        "Three training cycles for LMRA and Ministry of Labour inspectors on the ILO forced labour "
        "indicators and case referral.",
        [1, 2],
        [6, 10],
        ["8.7", "8.8"],
        "labour-migration",
        "ILO",
        ["UNODC", "MOL"],
        2,
        4,
        S.AT_RISK,
        "65000",
        [("agency", "ILO", "15000", "confirmed")],
    ),
    (
        "Migrant health access assessment",
        "Assess access of migrant workers to primary health care and health insurance schemes, "
        "including sexual and reproductive health services.",
        [2, 6],
        [15],
        ["3.8", "10.7"],
        "health",
        "WHO",
        ["UNFPA", "IOM", "MOH"],
        1,
        3,
        S.COMPLETED,
        "55000",
        [
            ("agency", "WHO", "30000", "confirmed"),
            ("pooled_fund", "Migration MPTF", "25000", "confirmed"),
        ],
    ),
    (
        "Information campaign on the rights of domestic workers",
        "Multilingual campaign (Arabic, English, Hindi, Tagalog, Amharic, Sinhala) on rights, "
        "complaint channels and the flexible work permit.",
        [2],
        [3, 6],
        ["8.8", "5.2"],
        "labour-migration",
        "UN Women",
        ["ILO", "IOM", "MWPS"],
        2,
        4,
        S.DELAYED,
        "40000",
        [
            ("agency", "UN Women", "10000", "confirmed"),
            ("donor", "Government of Canada", "15000", "pledged"),
        ],
    ),
    (
        "Child-sensitive procedures for unaccompanied migrant children",
        "Guidance and training for social workers and police on identifying and referring "
        "unaccompanied and separated migrant children.",
        [2, 5],
        [7, 13],
        ["16.2", "16.9"],
        "trafficking",
        "UNICEF",
        ["UNHCR", "IOM"],
        2,
        4,
        S.AT_RISK,
        "50000",
        [("agency", "UNICEF", "20000", "confirmed")],
    ),
    (
        "Policy brief on the Global Compact for Migration review in Bahrain",
        "A policy brief on progress against the GCM objectives for the International Migration "
        "Review Forum, shared with the regional network.",
        [4, 8],
        [1, 23],
        ["10.7", "17.18"],
        "migration-development",
        "IOM",
        ["ILO", "UNDP", "RCO"],
        1,
        2,
        S.COMPLETED,
        "15000",
        [("agency", "IOM", "15000", "confirmed")],
    ),
    (
        "Bi-annual updates to the Government on programme delivery",
        "Two briefings to the relevant ministries on the network's programme delivery and the "
        "impediments the UNCT should address.",
        [3],
        [23],
        ["17.18"],
        "other",
        "RCO",
        ["IOM", "ILO"],
        2,
        4,
        S.ON_TRACK,
        "0",
        [],
    ),
    (
        "Remittance cost mapping and financial literacy for migrant workers",
        "Map remittance costs from Bahrain to the main corridors and pilot financial literacy "
        "sessions with banks and exchange houses.",
        [1, 6],
        [20, 19],
        ["10.c"],
        "migration-development",
        "UNDP",
        ["IOM", "BCCI"],
        2,
        4,
        S.ON_TRACK,
        "70000",
        [("agency", "UNDP", "35000", "confirmed"), ("donor", "World Bank", "20000", "pledged")],
    ),
    (
        "Strengthening migration data: labour market and migration statistics",
        "Support the LMRA and the Information & eGovernment Authority to publish disaggregated "
        "migration statistics aligned with international recommendations.",
        [1, 6],
        [1],
        ["17.18", "10.7"],
        "migration-development",
        "IOM",
        ["UNFPA", "LMRA"],
        1,
        4,
        S.ON_TRACK,
        "90000",
        [
            ("agency", "IOM", "40000", "confirmed"),
            ("pooled_fund", "Migration MPTF", "30000", "confirmed"),
        ],
    ),
    (
        "Prosecution and victim protection training for judges and prosecutors",
        "Workshops for the judiciary and the Public Prosecution on trafficking cases and victim "
        "protection, based on the UNODC model law.",
        [2, 5],
        [10, 11],
        ["8.7", "16.2"],
        "trafficking",
        "UNODC",
        ["IOM", "OHCHR"],
        3,
        4,
        S.ON_TRACK,
        "45000",
        [("agency", "UNODC", "45000", "confirmed")],
    ),
    (
        "Alternatives to immigration detention: review of practice",
        "A review of current practice and options for non-custodial alternatives, with a "
        "roundtable with the Ministry of Interior.",
        [2, 5],
        [13],
        ["10.7"],
        "other",
        "OHCHR",
        ["UNHCR", "UNICEF"],
        4,
        4,
        S.NOT_STARTED,
        "30000",
        [],
    ),
    (
        "Heat stress and occupational safety guidance for outdoor migrant workers",
        "Guidance and awareness materials on the summer midday work ban and heat stress, with "
        "employers' and workers' organisations.",
        [2, 6],
        [6, 15],
        ["8.8", "3.8"],
        "health",
        "ILO",
        ["WHO", "BCCI", "GFBTU"],
        2,
        3,
        S.COMPLETED,
        "25000",
        [("agency", "ILO", "25000", "confirmed")],
    ),
    (
        "Reproductive health services for migrant women",
        "Outreach and information sessions on reproductive health services for women migrant "
        "workers through community organisations.",
        [2],
        [15, 7],
        ["3.8", "5.2"],
        "health",
        "UNFPA",
        ["WHO", "UN Women"],
        2,
        4,
        S.DELAYED,
        "35000",
        [("agency", "UNFPA", "10000", "pledged")],
    ),
    (
        "Social protection for migrant workers: end-of-service and unemployment insurance",
        "A technical note on extending social protection to migrant workers, including the "
        "end-of-service benefit reform.",
        [1, 6],
        [22],
        ["1.3", "8.8"],
        "labour-migration",
        "ILO",
        ["UNDP"],
        3,
        4,
        S.ON_TRACK,
        "30000",
        [("agency", "ILO", "30000", "confirmed")],
    ),
    (
        "Workplan resource mobilisation strategy",
        "A resource mobilisation strategy for the network's joint initiatives, with a donor "
        "mapping and a pipeline of joint proposals.",
        [7],
        [23],
        ["17.18"],
        "other",
        "RCO",
        ["IOM", "ILO", "UNDP"],
        1,
        2,
        S.COMPLETED,
        "10000",
        [("agency", "RCO", "10000", "confirmed")],
    ),
    (
        "Climate, environment and mobility scoping note",
        "A scoping note on environmental drivers of migration in the region of origin of migrant "
        "workers in Bahrain.",
        [4],
        [2],
        ["10.7"],
        "migration-development",
        "UNEP",
        ["IOM", "UN-Habitat"],
        4,
        4,
        S.NOT_STARTED,
        "20000",
        [],
    ),
    (
        "Consular cooperation and documentation for migrants in irregular situation",
        "Coordination with embassies of countries of origin on travel documents and proof of "
        "identity for migrants during the grace period.",
        [2, 5],
        [4, 14, 21],
        ["16.9", "10.7"],
        "labour-migration",
        "IOM",
        ["UNHCR", "MOI"],
        1,
        4,
        S.AT_RISK,
        "60000",
        [("agency", "IOM", "20000", "confirmed"), ("donor", "European Union", "25000", "pledged")],
    ),
    (
        "Network website and knowledge products repository",
        "Publish the network's policy briefs and action plans and share them with the regional "
        "and global networks.",
        [4, 8],
        [3, 17],
        ["17.18"],
        "other",
        "UNDP",
        ["RCO"],
        2,
        3,
        S.COMPLETED,
        "8000",
        [("agency", "UNDP", "8000", "confirmed")],
    ),
]

LAST_YEAR = [
    ("Mapping of services for migrants in vulnerable situations", "IOM", [2, 5], [7], "other"),
    ("Labour law awareness sessions for employers", "ILO", [2], [6], "labour-migration"),
    ("Trafficking in persons national action plan review", "UNODC", [2, 5], [10], "trafficking"),
    ("COVID-19 vaccination outreach to migrant workers", "WHO", [2], [15], "covid19"),
    ("Joint submission to the regional review of the GCM", "IOM", [4], [23], "other"),
    ("Child protection case management training", "UNICEF", [2, 5], [13], "trafficking"),
    ("Gender analysis of labour migration", "UN Women", [1], [6], "labour-migration"),
]


def _focal_point(organisation):
    appointment = (
        Appointment.objects.active()
        .filter(organisation=organisation)
        .order_by("-kind")
        .select_related("person")
        .first()
    )
    return appointment.person if appointment else None


def _on(day, today):
    return min(day, today)


def _seed_last_year(context, author):
    year = context.today.year - 1
    if Workplan.objects.filter(year=year).exists():
        return
    workplan = services.workplan_create(
        year=year, title=f"Workplan of the Network {year}", by=author
    )
    areas = {area.code: area for area in ThematicArea.objects.all()}
    for index, (title, lead, tor, gcm, area) in enumerate(LAST_YEAR):
        organisation = context.organisation(lead)
        deliverable = services.deliverable_create(
            workplan=workplan,
            by=author,
            title=title,
            description="",
            thematic_area=areas[area],
            lead_agency=organisation,
            tor_objectives=ToRObjective.objects.filter(number__in=tor),
            gcm_objectives=GCMObjective.objects.filter(number__in=gcm),
            start_quarter=1 + index % 3,
            end_quarter=4,
            budget_required=Decimal(20000 + 5000 * index),
        )
        services.funding_add(
            deliverable=deliverable,
            source=lead,
            source_kind="agency",
            amount=deliverable.budget_required,
            status="confirmed",
            by=author,
        )
        services.deliverable_post_update(
            deliverable=deliverable,
            note="Delivered as planned; final report shared with the network.",
            status=S.COMPLETED,
            on=date(year, 12, 10),
            by=_focal_point(organisation) or author,
        )
    services.workplan_endorse(workplan=workplan, endorsed_on=date(year, 2, 12), by=author)
    services.workplan_share_with_unct(workplan=workplan, shared_on=date(year, 2, 26), by=author)


def _seed_current_year(context, author):
    today = context.today
    year = today.year
    if Workplan.objects.filter(year=year).exists():
        return
    workplan = services.workplan_create(
        year=year,
        title=f"Workplan of the Network {year}",
        introduction=(
            "The deliverables the UN Network on Migration commits to this year, tied to the "
            "objectives of its Terms of Reference and to the Global Compact for Migration."
        ),
        by=author,
    )
    areas = {area.code: area for area in ThematicArea.objects.all()}
    current_quarter = rules.quarter_of(today)
    for row in CURRENT:
        (
            title,
            description,
            tor,
            gcm,
            sdg,
            area,
            lead,
            supporting,
            start,
            end,
            status,
            budget,
            fundings,
        ) = row
        organisation = context.organisation(lead)
        deliverable = services.deliverable_create(
            workplan=workplan,
            by=author,
            title=title,
            description=description,
            thematic_area=areas[area],
            lead_agency=organisation,
            supporting_agencies=[context.organisation(acronym) for acronym in supporting],
            tor_objectives=ToRObjective.objects.filter(number__in=tor),
            gcm_objectives=GCMObjective.objects.filter(number__in=gcm),
            sdg_targets=SDGTarget.objects.filter(target__in=sdg),
            start_quarter=start,
            end_quarter=end,
            budget_required=Decimal(budget),
        )
        for kind, source, amount, funding_status in fundings:
            services.funding_add(
                deliverable=deliverable,
                source=source,
                source_kind=kind,
                amount=Decimal(amount),
                status=funding_status,
                by=author,
            )
        if status == S.NOT_STARTED or start > current_quarter:
            continue
        writer = _focal_point(organisation) or author
        started = rules.quarter_start(year, start)
        services.deliverable_post_update(
            deliverable=deliverable,
            note="Work started: terms of reference agreed with the supporting agencies.",
            status=S.ON_TRACK,
            on=_on(started + timedelta(days=20), today),
            by=writer,
        )
        if status != S.ON_TRACK:
            services.deliverable_post_update(
                deliverable=deliverable,
                note=_STATUS_NOTES[status],
                status=status,
                on=_on(today - timedelta(days=12), today),
                by=writer,
            )
    decision = _endorsing_decision(year)
    endorsed_on = (
        timezone.localtime(decision.closed_at).date()
        if decision is not None and decision.closed_at
        else _on(date(year, 1, 29), today)
    )
    services.workplan_endorse(
        workplan=workplan, endorsed_on=endorsed_on, decision=decision, by=author
    )


def _endorsing_decision(year):
    """The decisions demo adopts "the Network's annual workplan": link it when it is there."""
    from decisions.models import Decision

    return (
        Decision.objects.filter(status="adopted", title__icontains="workplan", year=year)
        .order_by("-pk")
        .first()
    )


_STATUS_NOTES = {
    S.AT_RISK: "Funding is not yet confirmed for the second half; activities may slip.",
    S.DELAYED: "The partner ministry asked to postpone the launch to next quarter.",
    S.COMPLETED: "Completed; the final product was shared with the network.",
    S.CANCELLED: "Cancelled by agreement of the co-chairs.",
}


def seed(context):
    author = context.people.get("iom.focal@example.org")
    if author is None:
        return
    _seed_last_year(context, author)
    _seed_current_year(context, author)
    context.log.append(
        "Workplan: "
        + ", ".join(
            f"{w.year} ({w.get_status_display()}, {w.deliverables.count()} deliverables)"
            for w in Workplan.objects.order_by("year")
        )
        + "."
    )
