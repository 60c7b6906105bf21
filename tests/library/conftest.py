"""A small network for the library: two co-chairs, two member agencies, staff, a guest."""

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.roles import Role
from tests.factories import UserFactory, co_chair, focal_point, member_agency


@dataclass
class Library:
    chair: object
    other_chair: object
    secretariat: object
    focal: object
    other_focal: object
    staff: object
    guest: object
    admin: object
    agency: object
    other_agency: object


@pytest.fixture
def lib(db):
    chair = co_chair(full_name="Chair IOM")
    other_chair = co_chair(full_name="Chair ILO")
    agency = member_agency(acronym="UNHCR")
    other_agency = member_agency(acronym="WHO")
    return Library(
        chair=chair,
        other_chair=other_chair,
        secretariat=UserFactory(roles=[Role.SECRETARIAT], organisation=chair.organisation),
        focal=focal_point(agency, full_name="Focal UNHCR"),
        other_focal=focal_point(other_agency, full_name="Focal WHO"),
        staff=UserFactory(roles=[Role.AGENCY_STAFF], organisation=agency),
        guest=UserFactory(roles=[Role.GUEST]),
        admin=UserFactory(is_staff=True, is_superuser=True),
        agency=agency,
        other_agency=other_agency,
    )


@cache
def pdf_bytes(text="Domestic workers deserve a weekly rest day."):
    """A real PDF with `text` in it, rendered by WeasyPrint (core.pdf)."""
    from core.pdf import render_pdf

    return render_pdf(
        "library/print/demo_product.html",
        {
            "title": "Policy brief",
            "kind": "Policy brief",
            "agency": "ILO",
            "year": 2026,
            "paragraphs": [text],
        },
        language="en",
    )


def pdf_upload(name="brief.pdf", text="Domestic workers deserve a weekly rest day."):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def make_product(
    by, *, lead_agency=None, title="Policy options for migrant domestic workers", **fields
):
    from library import services

    return services.product_create(
        by=by,
        kind=fields.pop("kind", "policy_brief"),
        title=title,
        summary=fields.pop("summary", "Recommendations on social protection."),
        lead_agency=lead_agency or by.organisation,
        **fields,
    )


def in_review(lib, product=None, *, days=7):
    from library import services

    product = product or make_product(lib.focal)
    if not product.versions.exists():
        services.version_upload(product=product, upload=pdf_upload(), by=lib.chair)
    return services.review_start(
        product=product, comment_deadline=timezone.localdate() + timedelta(days=days), by=lib.chair
    )


def close_decision(decision, *, adopted=True):
    """Every agency of the electorate takes a position (one objects unless adopted); closed."""
    from decisions.services import decision_close, position_record
    from members.models import Appointment

    members = list(decision.electorate.select_related("organisation"))
    for index, member in enumerate(members):
        person = (
            Appointment.objects.active()
            .filter(organisation=member.organisation)
            .order_by("-kind")
            .first()
            .person
        )
        objects = not adopted and index == 0
        position_record(
            decision=decision,
            organisation=member.organisation,
            stance="object" if objects else "concur",
            reason="Section 2 needs rework." if objects else "",
            by=person,
        )
    chair = next(
        Appointment.objects.active().get(organisation=member.organisation).person
        for member in members
        if member.organisation.memberships.filter(role="co_chair").exists()
    )
    return decision_close(decision=decision, by=chair)


def endorsed(lib, product=None):
    from decisions.services import decision_open
    from library import services

    product = in_review(lib, product)
    product = services.endorsement_propose(product=product, by=lib.chair)
    decision = decision_open(
        decision=product.endorsement_decision,
        by=lib.chair,
        deadline=timezone.now() + timedelta(days=8),
    )
    close_decision(decision)
    product.refresh_from_db()
    return product


def published(lib, product=None, audience="public"):
    from library import services

    product = endorsed(lib, product)
    return services.product_publish(
        product=product, audience=audience, published_on=timezone.localdate(), by=lib.chair
    )
