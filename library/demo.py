"""Demo knowledge products: a published policy brief with its PDF, a policy paper in review with
members' comments, an action plan drafted by a focal point.

The PDF is rendered with WeasyPrint (core.pdf); its text is extracted by the library's job once
seeding commits, so search finds words inside it.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import ToRObjective
from core.pdf import render_pdf
from workplan.models import Deliverable, GCMObjective

from . import services
from .models import KnowledgeProduct

CO_CHAIR = "iom.focal@example.org"
ILO_CHAIR = "ilo.focal@example.org"
UNHCR = "unhcr.focal@example.org"
WHO = "who.alternate@example.org"

BRIEF_TITLE = "Protecting migrant domestic workers: policy options for Bahrain"
BRIEF_PARAGRAPHS = [
    "Migrant domestic workers remain outside several protections of the labour law. This brief "
    "sets out policy options to extend social protection, regulate recruitment fees and give "
    "access to complaint mechanisms.",
    "Recommendations: adopt a standard unified contract; abolish recruitment fees charged to "
    "workers in line with ILO Convention 181; guarantee a weekly rest day; ensure access to "
    "shelters and legal aid for workers in situations of abuse.",
    "This brief is a technical contribution of the UN Network on Migration to the regional and "
    "global UN Networks on Migration (Global Compact for Migration objective 6).",
]
PAPER_TITLE = "Health of migrant workers: access to primary health care"
PLAN_TITLE = "Joint action plan on counter-trafficking referral, 2026-2027"


def _pdf(title, kind, agency, year, paragraphs):
    content = render_pdf(
        "library/print/demo_product.html",
        {"title": title, "kind": kind, "agency": agency, "year": year, "paragraphs": paragraphs},
        language="en",
        title=title,
    )
    return SimpleUploadedFile(
        title.lower().replace(" ", "-").replace(":", "")[:60] + ".pdf",
        content,
        content_type="application/pdf",
    )


def _links(product, *, tor=(), gcm=(), deliverables=0):
    product.tor_objectives.set(ToRObjective.objects.filter(number__in=tor))
    product.gcm_objectives.set(GCMObjective.objects.filter(number__in=gcm))
    if deliverables:
        product.deliverables.set(
            Deliverable.objects.order_by("-workplan__year", "number")[:deliverables]
        )


def seed(context):
    chair = context.people.get(CO_CHAIR)
    if chair is None or KnowledgeProduct.objects.exists():
        return
    today = context.today
    iom, ilo = context.organisation("IOM"), context.organisation("ILO")
    ilo_chair = context.people.get(ILO_CHAIR, chair)

    # 1. A policy brief, endorsed by an adopted decision and published to the public.
    brief = services.product_create(
        by=ilo_chair,
        kind=KnowledgeProduct.Kind.POLICY_BRIEF,
        title=BRIEF_TITLE,
        summary=BRIEF_PARAGRAPHS[0],
        year=today.year,
        lead_agency=ilo,
        agencies=[iom],
        authors=[ilo_chair],
        languages=["en", "ar"],
    )
    _links(brief, tor=[2, 4], gcm=[6], deliverables=1)
    services.version_upload(
        product=brief,
        upload=_pdf(BRIEF_TITLE, "Policy brief", "ILO", today.year, BRIEF_PARAGRAPHS),
        note="Final layout",
        by=chair,
    )
    services.review_start(product=brief, comment_deadline=today, by=chair)
    _endorse_by_adopted_decision(brief, chair, context)
    brief.refresh_from_db()
    if brief.status == KnowledgeProduct.Status.ENDORSED:
        services.product_publish(
            product=brief, audience=KnowledgeProduct.Audience.PUBLIC, published_on=today, by=chair
        )
        services.submission_record(product=brief, regional_on=today, by=chair)

    # 2. A policy paper in review, with comments of two agencies.
    paper = services.product_create(
        by=chair,
        kind=KnowledgeProduct.Kind.POLICY_PAPER,
        title=PAPER_TITLE,
        summary=(
            "Options for universal access of migrant workers to primary health care, including "
            "sexual and reproductive health, drawn from the agencies' programme experience."
        ),
        year=today.year,
        lead_agency=context.organisation("WHO") if "WHO" in context.organisations else iom,
        agencies=[iom],
        languages=["en"],
    )
    _links(paper, tor=[2, 4], gcm=[15])
    services.version_upload(
        product=paper,
        upload=_pdf(
            PAPER_TITLE,
            "Policy paper",
            paper.lead_agency.acronym,
            today.year,
            [paper.summary, "Draft for comment by the member agencies of the network."],
        ),
        note="First draft for comment",
        by=chair,
    )
    services.review_start(product=paper, comment_deadline=today + timedelta(days=14), by=chair)
    for email, body in (
        (UNHCR, "Please add refugees and asylum seekers among the groups covered in section 2."),
        (WHO, "The figures on coverage in section 3 come from the 2024 survey; cite it."),
    ):
        person = context.people.get(email)
        if person is not None:
            services.comment_add(product=paper, body=body, by=person)

    # 3. An action plan drafted by IOM, not yet in review.
    plan = services.product_create(
        by=chair,
        kind=KnowledgeProduct.Kind.ACTION_PLAN,
        title=PLAN_TITLE,
        summary="Steps and responsibilities for referring victims of trafficking between agencies.",
        year=today.year,
        lead_agency=iom,
        languages=["en", "ar"],
    )
    _links(plan, tor=[4, 5], gcm=[10])
    context.log.append("Library: 3 knowledge products (published, in review, draft)")


def _endorse_by_adopted_decision(product, chair, context):
    """The demo's adopted decision on the brief: proposed, opened, every agency concurs, closed."""
    from decisions.services import decision_close, decision_open, position_record
    from members.models import Appointment

    services.endorsement_propose(product=product, by=chair)
    product.refresh_from_db()
    decision = decision_open(
        decision=product.endorsement_decision,
        by=chair,
        deadline=timezone.now() + timedelta(days=7),
    )
    for member in decision.electorate.select_related("organisation"):
        appointment = (
            Appointment.objects.active()
            .filter(organisation=member.organisation)
            .order_by("-kind")  # the focal point before the alternate
            .select_related("person")
            .first()
        )
        if appointment is None:
            return
        position_record(
            decision=decision,
            organisation=member.organisation,
            stance="concur",
            by=appointment.person,
        )
    decision_close(decision=decision, by=chair)
