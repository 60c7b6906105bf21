"""Rules that must not let people into dead ends (issue 12 §4): a silence procedure with minutes of
notice, a close page that hides who has not answered, an export that leaves out silence
concurrences, and no way for co-chairs to remind the agencies without a position."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from decisions import rules, services
from decisions.models import Decision
from tests.factories import DecisionFactory, open_decision

pytestmark = pytest.mark.django_db


def _csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _expire(decision):
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    decision.refresh_from_db()


# --- Minimum notice: a setting of the network ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "weekend", "expected"),
    [
        (date(2026, 12, 3), 2, [4, 5], date(2026, 12, 7)),  # Thursday, Bahrain weekend Fri/Sat
        (date(2026, 11, 30), 5, [5, 6], date(2026, 12, 7)),  # Monday → next Monday
        (date(2026, 11, 30), 1, [], date(2026, 12, 1)),
    ],
)
def test_working_days_skip_the_networks_weekend(start, count, weekend, expected):
    assert rules.add_working_days(start, count, weekend) == expected


def test_silence_procedure_minimum_notice_is_a_network_setting(electorate, network):
    four_minutes = DecisionFactory(
        procedure="silence", deadline=timezone.now() + timedelta(minutes=4)
    )
    with pytest.raises(DomainError, match="at least 5 working days"):
        services.decision_open(decision=four_minutes, by=electorate.chair)
    four_minutes.refresh_from_db()
    assert four_minutes.status == "draft"

    network.silence_notice_working_days = 2
    network.weekend_days = []
    network.save()
    tomorrow = DecisionFactory(procedure="silence", deadline=timezone.now() + timedelta(days=1))
    with pytest.raises(DomainError, match="at least 2 working days"):
        services.decision_open(decision=tomorrow, by=electorate.chair)
    in_two_days = DecisionFactory(procedure="silence", deadline=timezone.now() + timedelta(days=2))
    assert services.decision_open(decision=in_two_days, by=electorate.chair).status == "open"


def test_written_procedure_minimum_notice_is_a_day_by_default(electorate, network):
    soon = DecisionFactory(procedure="written", deadline=timezone.now() + timedelta(minutes=4))
    with pytest.raises(DomainError, match="at least 1 day"):
        services.decision_open(decision=soon, by=electorate.chair)
    later = DecisionFactory(procedure="written", deadline=timezone.now() + timedelta(hours=25))
    assert services.decision_open(decision=later, by=electorate.chair).status == "open"


def test_open_page_says_why_a_short_silence_procedure_is_refused(client, electorate, network):
    decision = DecisionFactory(procedure="silence", deadline=timezone.now() + timedelta(hours=1))
    client.force_login(electorate.chair)
    response = client.post(reverse("decisions:open", args=[decision.pk]), {}, follow=True)
    assert "A silence procedure gives agencies at least 5 working days" in response.text
    decision.refresh_from_db()
    assert decision.status == "draft"


def test_open_page_states_the_networks_minimum_notice(client, electorate, network):
    network.silence_notice_working_days = 3
    network.save()
    decision = DecisionFactory(procedure="silence", deadline=timezone.now() + timedelta(days=9))
    client.force_login(electorate.chair)
    page = client.get(reverse("decisions:open", args=[decision.pk])).text
    assert "A silence procedure gives agencies at least 3 working days." in page


# --- The close page says who has not responded and what closing decides --------------------------


def test_close_confirmation_states_who_has_not_responded_and_the_outcome(client, electorate):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    _expire(decision)
    client.force_login(electorate.chair)

    page = client.get(reverse("decisions:close", args=[decision.pk])).text

    assert "Every agency has a position." not in page
    missing = sorted([electorate.chair_agency.acronym, electorate.agency_b.acronym])
    assert f"2 agencies have not responded: {', '.join(missing)}" in page
    assert "Closing now: the decision is not adopted." in page
    # What the page announced is what closing records.
    client.post(reverse("decisions:close", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == "not_adopted" and decision.outcome["not_responded"] == missing


def test_close_confirmation_under_silence_says_silence_counts_as_concurring(client, electorate):
    decision = open_decision(by=electorate.chair, procedure="silence")
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    _expire(decision)
    client.force_login(electorate.chair)

    page = client.get(reverse("decisions:close", args=[decision.pk])).text

    assert "2 agencies have not responded and count as concurring" in page
    assert "Closing now: the decision is adopted by full consensus." in page


# --- The register export carries the page's outcome ----------------------------------------------


def test_register_export_carries_silence_concurrences(client, electorate):
    decision = open_decision(by=electorate.chair, procedure="silence")
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    _expire(decision)
    services.decision_close(decision=decision, by=None)
    decision.refresh_from_db()
    client.force_login(electorate.fp_b)

    response = client.get(reverse("decisions:export_csv"))

    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    (row,) = rows
    silent = sorted([electorate.chair_agency.acronym, electorate.agency_b.acronym])
    assert row["Counted as concurring (silence)"] == ", ".join(silent)
    assert row["Counted as concurring (silence)"] == ", ".join(decision.outcome["silent"])
    page = client.get(decision.get_absolute_url()).text
    assert f"Silence procedure — counted as concurring: {', '.join(silent)}" in page


def test_register_export_lists_who_has_not_responded_on_an_open_decision(client, electorate):
    open_decision(by=electorate.chair, procedure="silence")
    client.force_login(electorate.fp_b)
    rows = list(csv.DictReader(io.StringIO(_csv_text(client.get(reverse("decisions:export_csv"))))))
    assert rows[0]["No position"] == ", ".join(sorted(a.acronym for a in electorate.agencies))


# --- Co-chairs remind those who have not responded -----------------------------------------------


def test_co_chairs_remind_those_who_have_not_responded(
    client, electorate, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    client.force_login(electorate.chair)
    url = reverse("decisions:remind", args=[decision.pk])
    assert (
        "Remind the 2 agencies that have not responded"
        in client.get(decision.get_absolute_url()).text
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "A reminder is on its way to 2 agencies" in response.text
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([electorate.chair.email, electorate.fp_b.email])
    assert electorate.fp_a.email not in recipients
    entry = AuditEntry.objects.get(action="decisions.reminder.sent")
    assert entry.actor == electorate.chair and len(entry.data["agencies"]) == 2
    (line,) = [r.getMessage() for r in caplog.records if "reminded" in r.getMessage()]
    assert f"user {electorate.chair.pk} reminded 2 agencies" in line


def test_reminding_is_rate_limited(
    client, electorate, mailoutbox, django_capture_on_commit_callbacks
):
    decision = open_decision(by=electorate.chair)
    services.decision_remind_unanswered(decision=decision, by=electorate.chair)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError, match="reminded recently"),
    ):
        services.decision_remind_unanswered(decision=decision, by=electorate.chair)
    assert mailoutbox == []
    assert AuditEntry.objects.filter(action="decisions.reminder.sent").count() == 1


def test_only_co_chairs_may_remind(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.fp_a)
    assert client.post(reverse("decisions:remind", args=[decision.pk])).status_code == 403
    with pytest.raises(DomainError):
        services.decision_remind_unanswered(decision=decision, by=electorate.fp_a)
    assert not AuditEntry.objects.filter(action="decisions.reminder.sent").exists()
