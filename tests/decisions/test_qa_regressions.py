"""Bugs found by walking through the decision pages as co-chairs and focal points would."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from decisions import services
from decisions.models import DeadlineExtension, Decision, Position
from tests.factories import DecisionFactory, open_decision

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def _local(moment):
    return timezone.localtime(moment).strftime(LOCAL)


def test_a_decision_at_a_meeting_cannot_be_opened_with_a_deadline_in_the_past(client, electorate):
    # The scheduler closes open decisions whose deadline has passed: such a decision would be
    # closed at once, "not adopted" for lack of positions, without anyone having had a say.
    draft = DecisionFactory(procedure="meeting", deadline=None)
    client.force_login(electorate.chair)

    response = client.post(
        reverse("decisions:open", args=[draft.pk]),
        {"deadline": _local(timezone.now() - timedelta(days=3))},
    )

    assert response.status_code == 400
    assert "The deadline must be in the future." in response.text
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    with pytest.raises(DomainError):
        services.decision_open(
            decision=draft, by=electorate.chair, deadline=timezone.now() - timedelta(hours=1)
        )
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and draft.reference == ""


def test_an_invalid_position_keeps_what_was_typed_and_shows_the_error_at_the_field(
    client, electorate
):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.fp_a)

    response = client.post(
        reverse("decisions:position", args=[decision.pk]),
        {"stance": "object", "reason": "", "comment": "We need to consult headquarters"},
    )

    assert response.status_code == 400
    assert "An objection needs a reason." in response.text
    assert re.search(r'<input [^>]*value="object"[^>]*id="id_stance_2"[^>]* checked', response.text)
    assert "We need to consult headquarters" in response.text
    assert not Position.objects.exists()


def test_reasons_and_comments_have_a_length_limit(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.fp_a)

    response = client.post(
        reverse("decisions:position", args=[decision.pk]),
        {"stance": "object", "reason": "x" * 100_000},
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters" in response.text
    assert not Position.objects.exists()

    client.force_login(electorate.chair)
    response = client.post(
        reverse("decisions:extend", args=[decision.pk]),
        {"new_deadline": _local(decision.deadline + timedelta(days=3)), "reason": "y" * 100_000},
    )
    assert response.status_code == 400
    assert not DeadlineExtension.objects.exists()
    response = client.post(
        reverse("decisions:withdraw", args=[decision.pk]), {"reason": "z" * 100_000}
    )
    assert response.status_code == 400
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN


def test_an_extension_that_does_not_move_the_deadline_later_is_a_form_error(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.chair)
    url = reverse("decisions:extend", args=[decision.pk])

    earlier = client.post(
        url, {"new_deadline": _local(decision.deadline - timedelta(days=1)), "reason": "More time"}
    )
    past = client.post(url, {"new_deadline": "2020-01-01T10:00", "reason": "More time"})

    for response in (earlier, past):
        assert response.status_code == 400
        assert "The new deadline must be later than the current one" in response.text
        # What was typed is still there to correct.
        assert "More time" in response.text
    assert not DeadlineExtension.objects.exists()


def test_the_close_page_is_not_offered_while_agencies_have_no_position(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.chair)
    url = reverse("decisions:close", args=[decision.pk])

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(decision.get_absolute_url(), 302)]
    assert "Every agency has a position" not in response.text
    assert "Not every agency has a position yet" in response.text

    for agency, person in (
        (electorate.chair_agency, electorate.chair),
        (electorate.agency_a, electorate.fp_a),
        (electorate.agency_b, electorate.fp_b),
    ):
        services.position_record(decision=decision, organisation=agency, stance="concur", by=person)
    response = client.get(url)
    assert response.status_code == 200
    assert "Every agency has a position" in response.text


def test_a_revision_with_a_deadline_in_the_past_is_a_form_error(client, electorate):
    decision = open_decision(by=electorate.chair)
    services.decision_withdraw(decision=decision, reason="Redraft", by=electorate.chair)
    client.force_login(electorate.chair)

    response = client.post(
        reverse("decisions:revise", args=[decision.pk]),
        {
            "title": "Revised",
            "text": "Revised text",
            "procedure": "written",
            "deadline": "2020-01-01T10:00",
        },
    )

    assert response.status_code == 400
    assert "The deadline must be in the future." in response.text
    assert not Decision.objects.filter(replaces=decision).exists()


def test_the_dashboard_does_not_ask_for_positions_after_the_deadline(client, electorate):
    decision = open_decision(by=electorate.chair, title="Past its deadline")
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    client.force_login(electorate.fp_a)

    page = client.get(reverse("core:dashboard")).text

    assert "Past its deadline" not in page


def test_one_bad_filter_value_does_not_drop_the_other_filters(client, electorate):
    open_decision(by=electorate.chair, title="Open one")
    DecisionFactory(title="Draft one")
    client.force_login(electorate.chair)

    page = client.get(reverse("decisions:list"), {"status": "open", "year": "abc"}).text

    assert "Open one" in page
    assert "Draft one" not in page


def test_history_shows_comments_and_the_record_marks_silence_only_once_closed(client, electorate):
    decision = open_decision(by=electorate.chair, procedure="silence")
    services.position_record(
        decision=decision,
        organisation=electorate.agency_a,
        stance="stand_aside",
        comment="Pending our regional office",
        by=electorate.fp_a,
    )
    client.force_login(electorate.fp_b)

    history = client.get(decision.get_absolute_url()).text.split('data-testid="history"')[1]
    assert "Pending our regional office" in history
    record = client.get(reverse("decisions:record", args=[decision.pk])).text
    assert "Silent (counts as concurring)" not in record
    assert "No position" in record


def test_the_open_page_is_offered_for_drafts_only(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.chair)

    response = client.get(reverse("decisions:open", args=[decision.pk]), follow=True)

    assert response.redirect_chain == [(decision.get_absolute_url(), 302)]
    assert "Only a draft can be opened." in response.text
    assert client.get(reverse("decisions:open", args=[DecisionFactory().pk])).status_code == 200


def test_the_co_chairs_dashboard_lists_decisions_ready_to_close(client, electorate):
    ready = open_decision(by=electorate.chair, title="Everyone answered")
    open_decision(by=electorate.chair, title="Still waiting")
    for agency, person in (
        (electorate.chair_agency, electorate.chair),
        (electorate.agency_a, electorate.fp_a),
        (electorate.agency_b, electorate.fp_b),
    ):
        services.position_record(decision=ready, organisation=agency, stance="concur", by=person)

    client.force_login(electorate.chair)
    page = client.get(reverse("core:dashboard")).text
    section = page.split('data-testid="ready-to-close"')[1].split("</div>")[0]
    assert "Everyone answered" in section
    assert reverse("decisions:close", args=[ready.pk]) in section
    assert "Still waiting" not in section

    # A focal point who is not a co-chair is not offered to close anything.
    client.force_login(electorate.fp_a)
    assert 'data-testid="ready-to-close"' not in client.get(reverse("core:dashboard")).text
