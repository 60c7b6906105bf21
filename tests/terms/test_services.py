"""Amendments of the Terms of Reference take effect only through an adopted consensus decision."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from core.models import AuditEntry
from decisions import services as decision_services
from terms import services
from terms.models import Amendment, Review, TermsVersion

from .conftest import all_concur, in_days


def _amend(first_version, by, new="quarterly", title="Quarterly meetings"):
    text = first_version.text.replace(
        "Meeting Frequency: Bi-monthly", f"Meeting Frequency: {new.capitalize()}"
    )
    assert text != first_version.text
    return services.amendment_create(title=title, text=text, summary="Fewer meetings.", by=by)


def _propose(amendment, by):
    return services.amendment_propose(
        amendment=amendment, by=by, procedure="written", deadline=in_days(10)
    )


def test_the_first_version_is_seeded_from_the_reference_text(first_version):
    assert first_version.is_current
    assert first_version.effective_on == date(2020, 9, 1)
    assert "These Terms of Reference may be amended or modified in writing" in first_version.text
    assert "^[SEP]" not in first_version.text
    assert TermsVersion.objects.current().get() == first_version


def test_a_tor_amendment_only_takes_effect_when_its_decision_is_adopted(people, first_version):
    amendment = _propose(_amend(first_version, people.chair), people.chair)
    decision = amendment.decision

    # Drafted and before the network: the current text has not changed.
    assert decision.status == "open"
    assert amendment.status == "proposed"
    assert TermsVersion.objects.current().get() == first_version
    assert "Fewer meetings." in decision.rationale
    # The decision states the changes; the full text stays with the amendment it links to.
    assert "[-Bi-monthly-] {+Quarterly+}" in decision.text
    assert amendment.get_absolute_url() in decision.text

    all_concur(decision)
    decision_services.decision_close(decision=decision, by=people.chair)

    amendment.refresh_from_db()
    current = TermsVersion.objects.current().get()
    assert amendment.status == "adopted"
    assert current.number == 2
    assert current.decision == decision
    assert current.amendment == amendment
    assert current.amended_by == people.chair
    assert "Meeting Frequency: Quarterly" in current.text
    first_version.refresh_from_db()
    assert not first_version.is_current
    assert AuditEntry.objects.filter(action="terms.version.adopted").count() == 1


def test_an_objection_leaves_the_current_version_in_force(people, first_version):
    amendment = _propose(_amend(first_version, people.chair), people.chair)
    all_concur(amendment.decision)
    # One objection blocks consensus.
    decision_services.position_record(
        decision=amendment.decision,
        organisation=people.fp_a.organisation,
        stance="object",
        reason="Bi-monthly meetings are needed.",
        by=people.fp_a,
    )
    decision_services.decision_close(decision=amendment.decision, by=people.chair)

    amendment.refresh_from_db()
    assert amendment.status == "not_adopted"
    assert TermsVersion.objects.current().get() == first_version
    assert TermsVersion.objects.count() == 1


def test_a_withdrawn_decision_withdraws_the_amendment(people, first_version):
    amendment = _propose(_amend(first_version, people.chair), people.chair)
    decision_services.decision_withdraw(
        decision=amendment.decision, reason="Text to be reworked", by=people.chair
    )

    amendment.refresh_from_db()
    assert amendment.status == "withdrawn"
    assert TermsVersion.objects.current().get() == first_version
    # Nothing is before the network any more: it may be drafted again and proposed.
    again = services.amendment_redraft(amendment=amendment, by=people.chair)
    assert (again.status, again.text, again.title) == ("draft", amendment.text, amendment.title)
    assert _propose(again, people.chair).status == "proposed"
    with pytest.raises(DomainError, match="not adopted"):
        services.amendment_redraft(amendment=again, by=people.chair)


def test_only_one_amendment_is_before_the_network_at_a_time(people, first_version):
    _propose(_amend(first_version, people.chair), people.chair)
    second = _amend(first_version, people.chair, new="monthly", title="Monthly")

    with pytest.raises(DomainError, match="Another amendment"):
        _propose(second, people.chair)
    second.refresh_from_db()
    assert second.status == "draft"
    assert second.decision is None


def test_the_database_allows_one_proposed_amendment(people, first_version):
    first = _propose(_amend(first_version, people.chair), people.chair)
    second = _amend(first_version, people.chair, new="monthly", title="Monthly")
    second.status = "proposed"
    second.decision = decision_services.decision_create(title="x", text="y", by=people.chair)

    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert first.status == "proposed"


def test_the_database_keeps_one_current_version(first_version):
    with pytest.raises(IntegrityError), transaction.atomic():
        TermsVersion.objects.create(
            number=2, text="x", effective_on=date(2026, 1, 1), is_current=True
        )


def test_a_draft_written_against_an_older_version_cannot_be_proposed(people, first_version):
    stale = _amend(first_version, people.chair, new="monthly", title="Monthly")
    adopted = _propose(_amend(first_version, people.chair), people.chair)
    all_concur(adopted.decision)
    decision_services.decision_close(decision=adopted.decision, by=people.chair)

    with pytest.raises(DomainError, match="changed since this draft"):
        _propose(stale, people.chair)

    # Edited (against the current version), it can.
    current = TermsVersion.objects.current().get()
    services.amendment_update(
        amendment=stale,
        title="Monthly",
        text=current.text.replace("Quarterly", "Monthly"),
        by=people.chair,
    )
    assert _propose(stale, people.chair).decision.status == "open"


def test_an_amendment_must_change_the_text(people, first_version):
    with pytest.raises(DomainError, match="same as the current version"):
        services.amendment_create(title="Nothing", text=first_version.text, by=people.chair)


def test_only_co_chairs_and_the_secretariat_draft_and_only_co_chairs_propose(people, first_version):
    with pytest.raises(DomainError):
        _amend(first_version, people.fp_a)
    draft = _amend(first_version, people.secretariat)
    with pytest.raises(DomainError, match="Only a co-chair"):
        _propose(draft, people.secretariat)
    assert _propose(draft, people.chair).status == "proposed"


def test_only_a_draft_can_be_changed_or_discarded(people, first_version):
    amendment = _propose(_amend(first_version, people.chair), people.chair)
    with pytest.raises(DomainError, match="Only a draft"):
        services.amendment_update(
            amendment=amendment, title="t", text=amendment.text + " more", by=people.chair
        )
    with pytest.raises(DomainError, match="Only a draft"):
        services.amendment_discard(amendment=amendment, by=people.chair)


def test_the_unct_submission_and_endorsement_are_recorded_with_their_dates(people, first_version):
    services.version_record_unct(
        version=first_version,
        submitted_on=date(2020, 9, 10),
        endorsed_on=date(2020, 10, 1),
        by=people.chair,
    )
    first_version.refresh_from_db()
    assert first_version.unct_submitted_on == date(2020, 9, 10)
    assert first_version.unct_endorsed_on == date(2020, 10, 1)
    assert AuditEntry.objects.filter(action="terms.version.unct_recorded").exists()

    with pytest.raises(DomainError, match="after it was submitted"):
        services.version_record_unct(
            version=first_version,
            submitted_on=date(2020, 9, 10),
            endorsed_on=date(2020, 9, 1),
            by=people.chair,
        )
    with pytest.raises(DomainError):
        services.version_record_unct(
            version=first_version, submitted_on=date(2020, 9, 10), by=people.fp_a
        )


def test_a_review_that_changes_nothing_is_recorded_for_the_due_anniversary(
    people, first_version, settings
):
    review = services.review_record(outcome="no_change", note="Still fit.", by=people.chair)

    # Today (the network's date) is past 1 September of this year, or of the year before.
    assert review.due_on.month == 9 and review.due_on.day == 1
    assert review.version == first_version
    with pytest.raises(DomainError, match="No review is due"):
        services.review_record(outcome="no_change", by=people.chair)
    assert Review.objects.count() == 1


def test_only_a_co_chair_records_the_review(people, first_version):
    with pytest.raises(DomainError):
        services.review_record(outcome="no_change", by=people.secretariat)


def test_a_review_proposing_an_amendment_names_it(people, first_version):
    with pytest.raises(DomainError, match="Choose the amendment"):
        services.review_record(outcome="amendment", by=people.chair)
    draft = _amend(first_version, people.chair)
    review = services.review_record(outcome="amendment", amendment=draft, by=people.chair)
    assert review.amendment == draft
    assert Amendment.objects.get(pk=draft.pk).status == "draft"


def test_a_database_without_any_version_gets_version_1_back_on_first_use(people):
    from terms.selectors import current_version

    TermsVersion.objects.all().delete()

    version = current_version()

    assert (version.number, version.is_current) == (1, True)
    assert version.effective_on == date(2020, 9, 1)
    assert current_version() == version
    assert TermsVersion.objects.count() == 1
