"""The knowledge-product lifecycle: draft → in review → endorsed (by decision) → published."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from library import services
from library.models import KnowledgeProduct, ProductComment
from tests.factories import DecisionFactory

from .conftest import close_decision, endorsed, in_review, make_product, pdf_upload, published

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_focal_point_drafts_for_own_agency_only(lib):
    product = make_product(lib.focal)
    assert product.status == "draft"
    assert product.lead_agency == lib.agency
    with pytest.raises(DomainError):
        make_product(lib.focal, lead_agency=lib.other_agency)
    with pytest.raises(DomainError):
        make_product(lib.staff, lead_agency=lib.agency)
    with pytest.raises(DomainError):
        make_product(lib.guest, lead_agency=lib.agency)


def test_secretariat_and_co_chairs_draft_for_any_agency(lib):
    assert make_product(lib.secretariat, lead_agency=lib.other_agency).pk
    assert make_product(lib.chair, lead_agency=lib.agency).pk


def test_unknown_language_is_refused(lib):
    with pytest.raises(DomainError):
        make_product(lib.focal, languages=["en", "xx"])
    assert make_product(lib.focal, languages=["en", "ar"]).languages == ["en", "ar"]


def test_only_managers_put_a_draft_in_review(lib):
    product = make_product(lib.focal)
    services.version_upload(product=product, upload=pdf_upload(), by=lib.focal)
    for person in (lib.focal, lib.staff, lib.guest, lib.admin):
        with pytest.raises(DomainError):
            services.review_start(product=product, comment_deadline=TODAY(), by=person)
    product = services.review_start(product=product, comment_deadline=TODAY(), by=lib.secretariat)
    assert product.status == "in_review"
    assert AuditEntry.objects.filter(action="library.product.in_review").exists()


def test_review_needs_a_file_and_a_future_deadline(lib):
    product = make_product(lib.focal)
    with pytest.raises(DomainError, match="Upload"):
        services.review_start(product=product, comment_deadline=TODAY(), by=lib.chair)
    services.version_upload(product=product, upload=pdf_upload(), by=lib.focal)
    with pytest.raises(DomainError, match="past"):
        services.review_start(
            product=product, comment_deadline=TODAY() - timedelta(days=1), by=lib.chair
        )


def test_putting_in_review_asks_members_for_comments_by_email(
    lib, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        in_review(lib)
    recipients = {address for message in mailoutbox for address in message.to}
    assert lib.focal.email in recipients and lib.other_focal.email in recipients
    assert lib.guest.email not in recipients
    assert any("For comment" in message.subject for message in mailoutbox)


def test_members_comment_while_the_comment_period_is_open(lib):
    product = in_review(lib)
    services.comment_add(product=product, body="Add refugees to section 2.", by=lib.staff)
    services.comment_add(product=product, body="Cite the 2024 survey.", by=lib.other_focal)
    assert ProductComment.objects.filter(product=product).count() == 2
    with pytest.raises(DomainError):
        services.comment_add(product=product, body="Hello", by=lib.guest)
    with pytest.raises(DomainError):
        services.comment_add(product=product, body="  ", by=lib.staff)


def test_comments_close_after_the_deadline(lib):
    product = in_review(lib)
    KnowledgeProduct.objects.filter(pk=product.pk).update(
        comment_deadline=TODAY() - timedelta(days=1)
    )
    product.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        services.comment_add(product=product, body="Late comment.", by=lib.staff)


def test_no_comments_on_a_draft(lib):
    product = make_product(lib.focal)
    with pytest.raises(DomainError):
        services.comment_add(product=product, body="Too early.", by=lib.staff)


def test_adopted_decision_endorses_the_product(lib):
    product = endorsed(lib)
    assert product.status == "endorsed"
    assert product.endorsed_on == timezone.localdate(product.endorsement_decision.closed_at)
    assert product.endorsement_decision.status == "adopted"
    entry = AuditEntry.objects.get(action="library.product.endorsed")
    assert entry.data["decision"] == product.endorsement_decision.pk


def test_decision_not_adopted_returns_the_product_to_review_with_a_note(lib):
    from decisions.services import decision_open

    product = in_review(lib)
    product = services.endorsement_propose(product=product, by=lib.chair)
    decision = decision_open(
        decision=product.endorsement_decision,
        by=lib.chair,
        deadline=timezone.now() + timedelta(days=8),
    )
    close_decision(decision, adopted=False)
    product.refresh_from_db()
    assert product.status == "in_review"
    assert product.endorsement_decision is None
    assert product.refused_decision == decision
    assert AuditEntry.objects.filter(action="library.product.endorsement_refused").exists()
    # It may be proposed again, by a new decision.
    services.endorsement_propose(product=product, by=lib.chair)


def test_linking_an_adopted_decision_endorses_at_once(lib):
    product = in_review(lib)
    decision = services.endorsement_propose(product=product, by=lib.chair).endorsement_decision
    from decisions.services import decision_open

    decision_open(decision=decision, by=lib.chair, deadline=timezone.now() + timedelta(days=8))
    close_decision(decision)
    second = in_review(lib, make_product(lib.focal, title="Second brief"))
    second = services.endorsement_propose(product=second, decision=decision, by=lib.chair)
    assert second.status == "endorsed"


def test_only_co_chairs_propose_for_endorsement_and_only_once(lib):
    product = in_review(lib)
    for person in (lib.focal, lib.staff, lib.secretariat, lib.guest):
        with pytest.raises(DomainError):
            services.endorsement_propose(product=product, by=person)
    services.endorsement_propose(product=product, by=lib.chair)
    with pytest.raises(DomainError):
        services.endorsement_propose(product=product, by=lib.other_chair)


def test_a_closed_not_adopted_decision_cannot_be_linked(lib):
    product = in_review(lib)
    decision = DecisionFactory(status="withdrawn", created_by=lib.chair)
    with pytest.raises(DomainError):
        services.endorsement_propose(product=product, decision=decision, by=lib.chair)


def test_a_draft_cannot_be_endorsed(lib):
    product = make_product(lib.focal)
    with pytest.raises(DomainError):
        services.endorsement_propose(product=product, by=lib.chair)


def test_no_return_to_draft_while_a_decision_is_pending(lib):
    product = services.endorsement_propose(product=in_review(lib), by=lib.chair)
    with pytest.raises(DomainError):
        services.return_to_draft(product=product, by=lib.chair)


def test_return_to_draft_keeps_the_comments(lib):
    product = in_review(lib)
    services.comment_add(product=product, body="Rework section 1.", by=lib.staff)
    product = services.return_to_draft(product=product, by=lib.secretariat, reason="Rework")
    assert product.status == "draft"
    assert product.comments.count() == 1


def test_publication_needs_endorsement(lib):
    product = in_review(lib)
    with pytest.raises(DomainError):
        services.product_publish(
            product=product, audience="public", published_on=TODAY(), by=lib.chair
        )


def test_publication_records_audience_and_date(lib):
    product = published(lib, audience="un_networks")
    assert product.status == "published"
    assert product.audience == "un_networks"
    assert product.published_on == TODAY()


def test_only_managers_publish(lib):
    product = endorsed(lib)
    for person in (lib.focal, lib.staff, lib.guest):
        with pytest.raises(DomainError):
            services.product_publish(
                product=product, audience="public", published_on=TODAY(), by=person
            )


def test_submission_to_un_networks_only_beyond_the_network(lib):
    network_only = published(lib, audience="network")
    with pytest.raises(DomainError):
        services.submission_record(product=network_only, regional_on=TODAY(), by=lib.chair)
    shared = published(lib, make_product(lib.focal, title="Shared brief"), audience="un_networks")
    shared = services.submission_record(
        product=shared, regional_on=TODAY(), global_on=TODAY(), by=lib.chair
    )
    assert shared.submitted_regional_on == shared.submitted_global_on == TODAY()
    with pytest.raises(DomainError):
        services.submission_record(
            product=shared, regional_on=TODAY() + timedelta(days=1), by=lib.chair
        )


def test_focal_point_edits_own_draft_not_others(lib):
    product = make_product(lib.focal)
    services.product_update(product=product, title="Revised title", by=lib.focal)
    with pytest.raises(DomainError):
        services.product_update(product=product, title="Hijacked", by=lib.other_focal)
    with pytest.raises(DomainError):
        services.product_update(product=product, lead_agency=lib.other_agency, by=lib.focal)
    product.refresh_from_db()
    assert product.title == "Revised title"


def test_endorsed_product_content_is_frozen(lib):
    product = endorsed(lib)
    with pytest.raises(DomainError):
        services.product_update(product=product, title="Changed after endorsement", by=lib.chair)
    with pytest.raises(DomainError):
        services.version_upload(product=product, upload=pdf_upload("v9.pdf"), by=lib.focal)
    # The secretariat still adds the final layout of the endorsed text.
    services.version_upload(product=product, upload=pdf_upload("layout.pdf"), by=lib.chair)


def test_database_refuses_a_published_product_without_audience(lib):
    from django.db import IntegrityError, transaction

    product = make_product(lib.focal)
    with pytest.raises(IntegrityError), transaction.atomic():
        KnowledgeProduct.objects.filter(pk=product.pk).update(
            status="published", endorsed_on=TODAY(), published_on=TODAY(), audience=""
        )


def test_content_is_frozen_while_a_decision_on_it_is_pending(lib):
    product = services.endorsement_propose(product=in_review(lib), by=lib.chair)
    with pytest.raises(DomainError):
        services.product_update(product=product, title="Changed under decision", by=lib.chair)
    with pytest.raises(DomainError):
        services.version_upload(product=product, upload=pdf_upload("late.pdf"), by=lib.chair)
