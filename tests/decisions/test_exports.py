"""The register exports (issue 13): the CSV from one query whose outcome columns are SQL held to
the consensus rule, constant in queries; the Excel file as a background job for its requester."""

import csv
import io
import zoneinfo
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from core.models import Job
from decisions import exports, selectors, services
from decisions.models import Decision, ElectorateMember, Position
from members.models import Appointment
from members.roles import Role
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
    open_decision,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Off PostgreSQL (the SQLite default of `make run`) the outcome columns come from the rule itself.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the outcome columns are PostgreSQL SQL"
)


def _record(decision, agency, person, stance, reason=""):
    services.position_record(
        decision=decision, organisation=agency, stance=stance, reason=reason, by=person
    )


def _expire(decision):
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    decision.refresh_from_db()


def _close(decision):
    _expire(decision)
    services.decision_close(decision=decision, by=None)
    decision.refresh_from_db()
    return decision


def _every_kind_of_decision(electorate):
    """Open (written and silence), adopted, not adopted, closed under silence, withdrawn, draft."""
    e = electorate
    open_written = open_decision(by=e.chair, title="Open written")
    _record(open_written, e.agency_a, e.fp_a, "object", "Budget: lines missing; see annex")
    _record(open_written, e.chair_agency, e.chair, "concur")
    open_silence = open_decision(by=e.chair, title="Open silence", procedure="silence")
    _record(open_silence, e.agency_b, e.fp_b, "stand_aside")
    adopted = open_decision(by=e.chair, title="Adopted")
    for agency, person in ((e.chair_agency, e.chair), (e.agency_a, e.fp_a), (e.agency_b, e.fp_b)):
        _record(adopted, agency, person, "concur")
    not_adopted = open_decision(by=e.chair, title="Not adopted")
    _record(not_adopted, e.agency_b, e.fp_b, "object", "Not now")
    silent = open_decision(by=e.chair, title="Closed under silence", procedure="silence")
    _record(silent, e.agency_a, e.fp_a, "concur")
    withdrawn = open_decision(by=e.chair, title="Withdrawn")
    services.decision_withdraw(decision=withdrawn, reason="Superseded", by=e.chair)
    DecisionFactory(title="Draft")
    for decision in (adopted, not_adopted, silent):
        _close(decision)
    return {
        "open_written": open_written,
        "open_silence": open_silence,
        "adopted": adopted,
        "not_adopted": not_adopted,
        "silent": silent,
        "withdrawn": withdrawn,
    }


def _by_title(rows):
    """Each row by its title, as {English header: value}."""
    with translation.override("en"):
        names = [str(header) for header in exports.HEADERS]
    return {row[1]: dict(zip(names, row, strict=True)) for row in rows}


@postgresql_only
def test_the_sql_outcome_columns_are_the_rules(electorate):
    decisions = _every_kind_of_decision(electorate)
    e = electorate
    # A position held outside the electorate does not count in the outcome (the tally counts it).
    outsider = OrganisationFactory()
    Position.objects.create(
        decision=decisions["open_written"],
        organisation=outsider,
        stance="object",
        reason="Not a voter",
        recorded_by=e.chair,
    )

    in_sql = list(exports.register_rows(e.chair, {}, in_sql=True))
    by_rule = list(exports.register_rows(e.chair, {}, in_sql=False))

    assert in_sql == by_rule
    rows = _by_title(in_sql)
    assert set(rows) == {*(d.title for d in decisions.values()), "Draft"}
    # Open: what closing now would decide (selectors.projected_outcome, the page's rule).
    for key in ("open_written", "open_silence"):
        decision = decisions[key]
        projected = selectors.projected_outcome(decision)
        row = rows[decision.title]
        assert row["Objections"] == "; ".join(f"{a}: {r}" for a, r in projected.objecting)
        assert row["No position"] == ", ".join([*projected.not_responded, *projected.silent])
        assert row["Counted as concurring (silence)"] == ""
    assert rows["Open written"]["Objections"] == (
        f"{e.agency_a.acronym}: Budget: lines missing; see annex"
    )
    assert rows["Open silence"]["No position"] == ", ".join(
        sorted([e.chair_agency.acronym, e.agency_a.acronym])
    )
    # Closed: the outcome the rule stored at closing.
    for key in ("adopted", "not_adopted", "silent"):
        decision = decisions[key]
        row = rows[decision.title]
        outcome = decision.outcome
        assert row["Objections"] == "; ".join(
            f"{item['agency']}: {item['reason']}" for item in outcome["objecting"]
        )
        assert row["No position"] == ", ".join(outcome["not_responded"])
        assert row["Counted as concurring (silence)"] == ", ".join(outcome["silent"])
    assert rows["Not adopted"]["Objections"] == f"{e.agency_b.acronym}: Not now"
    assert rows["Closed under silence"]["Counted as concurring (silence)"] == ", ".join(
        sorted([e.chair_agency.acronym, e.agency_b.acronym])
    )
    for title in ("Withdrawn", "Draft"):
        assert rows[title]["Objections"] == rows[title]["No position"] == ""
    # The tallies are the register page's (every position held is counted there).
    for decision in selectors.decision_register(e.chair):
        row = rows[decision.title]
        assert row["Electorate"] == decision.electorate_count
        assert row["Concur"] == decision.concur_count
        assert row["Stand aside"] == decision.stand_aside_count
        assert row["Object"] == decision.object_count
    assert (rows["Open written"]["Electorate"], rows["Open written"]["Object"]) == (3, 2)
    assert (rows["Adopted"]["Concur"], rows["Open silence"]["Stand aside"]) == (3, 1)


def test_labels_dates_and_meetings_read_as_on_the_page(electorate):
    from meetings.generated import REGULAR_MEETING, regular_meeting_params

    starts = timezone.now().replace(hour=22, minute=30, second=0, microsecond=0)
    regular = MeetingFactory(
        title="Regular meeting",
        generated_kind=REGULAR_MEETING,
        generated_params=regular_meeting_params(timezone.localtime(starts)),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    plain = MeetingFactory(title="Extraordinary session")
    for meeting in (regular, plain):
        decision = open_decision(by=electorate.chair, title=f"At {meeting.title}")
        Decision.objects.filter(pk=decision.pk).update(meeting=meeting)

    # Languages, and a time zone half an hour off whole hours, read as the page reads them.
    for language, zone in (("en", "Asia/Bahrain"), ("ar", "Asia/Kolkata")):
        with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
            rows = _by_title(exports.register_rows(electorate.fp_a, {}))
            for meeting in (regular, plain):
                row = rows[f"At {meeting.title}"]
                assert row["Meeting"] == str(meeting)
                decision = Decision.objects.get(title=f"At {meeting.title}")
                assert row["Status"] == decision.get_status_display()
                assert row["Procedure"] == decision.get_procedure_display()
                assert row["Opened"] == timezone.localtime(decision.opened_at).strftime(
                    "%Y-%m-%d %H:%M"
                )
                assert row["Deadline"] == timezone.localtime(decision.deadline).strftime(
                    "%Y-%m-%d %H:%M"
                )
                assert row["Closed"] == ""
    assert str(regular) != "Regular meeting"  # worded from its month, not the stored title


def _many_decisions(electorate, count):
    """`count` open and closed decisions, each with an electorate of three and two positions."""
    e = electorate
    start = Decision.objects.count()
    decisions = Decision.objects.bulk_create(
        Decision(
            title=f"Bulk {index}",
            text="Text",
            reference=f"BULK/{index}",
            year=2020,
            sequence=1000 + index,
            status="open" if index % 2 else "adopted",
            procedure="written",
            deadline=timezone.now() + timedelta(days=3),
            opened_at=timezone.now(),
            closed_at=None if index % 2 else timezone.now(),
            outcome={}
            if index % 2
            else {"objecting": [{"agency": "X", "reason": "r"}], "not_responded": ["Y"]},
        )
        for index in range(start, start + count)
    )
    ElectorateMember.objects.bulk_create(
        ElectorateMember(decision=decision, organisation=agency)
        for decision in decisions
        for agency in e.agencies
    )
    Position.objects.bulk_create(
        Position(
            decision=decision,
            organisation=agency,
            stance=stance,
            reason="No" if stance == "object" else "",
            recorded_by=e.chair,
        )
        for decision in decisions
        for agency, stance in ((e.agency_a, "concur"), (e.agency_b, "object"))
    )


def _csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@postgresql_only
def test_the_csv_costs_the_same_queries_for_60_and_600_decisions(client, electorate):
    client.force_login(electorate.fp_a)
    url = reverse("decisions:export_csv")
    counts = {}
    for total in (60, 600):
        _many_decisions(electorate, total - Decision.objects.count())
        client.get(url)  # process-wide caches (content types, the network) warm up once
        with CaptureQueriesContext(connection) as queries:
            rows = _csv_rows(client.get(url))
        assert len(rows) == total + 1
        counts[total] = len(queries.captured_queries)

    assert counts == {60: CSV_QUERIES, 600: CSV_QUERIES}


# User, roles (session and network: the cache), the register's years, the savepoint the rows are
# read in, the rows, the savepoint released.
CSV_QUERIES = 6


@postgresql_only
def test_the_csv_reads_its_rows_in_one_query(client, electorate):
    _many_decisions(electorate, 30)
    client.force_login(electorate.fp_a)
    response = client.get(reverse("decisions:export_csv"))
    with CaptureQueriesContext(connection) as queries:
        b"".join(response.streaming_content)

    reads = [q["sql"] for q in queries.captured_queries if "decisions_decision" in q["sql"]]
    assert len(reads) == 1
    assert "decisions_electoratemember" in reads[0] and "decisions_position" in reads[0]


# --- The Excel file: a background job --------------------------------------------------------


def _ask_for_excel(client, params=None, token="a" * 32, **extra):
    url = reverse("decisions:export_xlsx")
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return client.post(url, {"form_token": token}, **extra)


def _workbook(client, job):
    response = client.get(reverse("core:file_download", args=[job.result.uuid]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_excel_file_is_written_by_a_job_with_the_registers_filters(
    client, electorate, django_capture_on_commit_callbacks, mailoutbox
):
    decisions = _every_kind_of_decision(electorate)
    client.force_login(electorate.fp_b)

    page = client.get(reverse("decisions:export_xlsx"), {"status": "open"})
    assert page.status_code == 200
    assert "Prepare the Excel file" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_for_excel(client, {"status": "open"})

    job = Job.objects.get(kind=exports.REGISTER_XLSX)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.requested_by == electorate.fp_b
    assert job.params["filters"]["status"] == "open"
    assert job.status == "succeeded" and job.result.content_type == XLSX
    assert "Decision register (Excel)" in client.get(job.get_absolute_url()).text
    assert [message.to for message in mailoutbox] == [[electorate.fp_b.email]]
    sheet = _workbook(client, job).active
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in exports.HEADERS]
    assert list(rows[0]) == header
    # The same rows as the CSV with the same filters, as the spreadsheet reads them back.
    expected = [
        [None if value == "" else value for value in row]
        for row in exports.register_rows(electorate.fp_b, {"status": "open"})
    ]
    assert [list(row) for row in rows[1:]] == expected
    assert {row[1] for row in rows[1:]} == {
        decisions["open_written"].title,
        decisions["open_silence"].title,
    }
    # The page shows the person's latest file for these filters.
    assert (
        "decision-register-"
        in client.get(reverse("decisions:export_xlsx"), {"status": "open"}).text
    )


def test_the_excel_file_holds_what_its_requester_may_see(
    client, electorate, django_capture_on_commit_callbacks
):
    DecisionFactory(title="A draft")
    open_decision(by=electorate.chair, title="Open to all")
    files = {}
    for person in (electorate.chair, electorate.fp_a):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            _ask_for_excel(client, token=f"{person.pk:032d}")
        job = Job.objects.get(requested_by=person)
        files[person] = {
            row[1] for row in _workbook(client, job).active.iter_rows(min_row=2, values_only=True)
        }

    assert files[electorate.chair] == {"A draft", "Open to all"}  # co-chairs see drafts
    assert files[electorate.fp_a] == {"Open to all"}


def test_only_the_requester_gets_the_job_and_its_file(
    client, electorate, django_capture_on_commit_callbacks
):
    DecisionFactory(title="A draft")
    client.force_login(electorate.chair)
    with django_capture_on_commit_callbacks(execute=True):
        _ask_for_excel(client)
    job = Job.objects.get()
    download = reverse("core:file_download", args=[job.result.uuid])
    assert client.get(download).status_code == 200

    # Another member (who may see decisions, not drafts) and a guest (no decisions at all).
    for other in (electorate.fp_a, UserFactory(roles=[Role.GUEST])):
        client.force_login(other)
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(download).status_code == 404
    guest = UserFactory(roles=[Role.GUEST])
    client.force_login(guest)
    assert client.get(reverse("decisions:export_xlsx")).status_code == 403
    assert _ask_for_excel(client, token="b" * 32).status_code == 403
    assert client.get(reverse("decisions:export_csv")).status_code == 403
    assert Job.objects.count() == 1
    # The requester who no longer may see decisions (their appointment ended) loses the file too.
    Appointment.objects.filter(person=electorate.chair).update(end_date=timezone.localdate())
    client.force_login(electorate.chair)
    assert client.get(download).status_code == 404


def test_the_job_checks_the_requester_again_when_it_runs(
    client, electorate, django_capture_on_commit_callbacks
):
    open_decision(by=electorate.chair, title="Open")
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    client.force_login(rco)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _ask_for_excel(client)
    rco.groups.clear()  # the role is taken away before the job runs
    for callback in callbacks:
        callback()

    job = Job.objects.get()
    assert job.status == "failed" and job.result is None
    assert "no longer see the decision register" in job.error


def test_sending_the_form_twice_makes_one_job(
    client, electorate, django_capture_on_commit_callbacks
):
    client.force_login(electorate.fp_a)
    with django_capture_on_commit_callbacks(execute=True):
        first = _ask_for_excel(client, {"procedure": "written"})
        second = _ask_for_excel(client, {"procedure": "written"})
        htmx = _ask_for_excel(client, {"procedure": "written"}, headers={"HX-Request": "true"})

    job = Job.objects.get()
    assert first["Location"] == second["Location"] == job.get_absolute_url()
    assert htmx.status_code == 200 and f"job-{job.uuid}" in htmx.text
    with django_capture_on_commit_callbacks(execute=True):
        _ask_for_excel(client, {"procedure": "written"}, token="c" * 32)
    assert Job.objects.count() == 2  # a new rendering of the form asks again
