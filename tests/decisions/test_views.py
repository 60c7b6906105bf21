"""The decision pages as people use them: register, decision page, position form, exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from decisions import services
from decisions.models import Decision, Position
from members.models import Organisation
from tests.factories import DecisionFactory, UserFactory, focal_point, member_agency, open_decision

pytestmark = pytest.mark.django_db


def _detail(decision):
    return reverse("decisions:detail", args=[decision.pk])


def test_focal_point_records_her_agencys_position_through_the_page(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.fp_a)

    page = client.get(_detail(decision))
    assert page.status_code == 200
    assert f"<bdi>{electorate.agency_a.acronym}</bdi>'s position" in page.text

    response = client.post(
        reverse("decisions:position", args=[decision.pk]),
        {"stance": "object", "reason": "Budget lines missing", "comment": "Happy to discuss"},
    )

    assert response.status_code == 302
    position = Position.objects.get(decision=decision)
    assert (position.organisation, position.stance, position.reason) == (
        electorate.agency_a,
        "object",
        "Budget lines missing",
    )
    page = client.get(_detail(decision))
    assert "Budget lines missing" in page.text
    assert "Change position" in page.text


def test_an_objection_without_reason_is_a_form_error_not_a_position(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.fp_a)

    response = client.post(
        reverse("decisions:position", args=[decision.pk]), {"stance": "object"}, follow=True
    )

    # The page comes back with the error at the field (and the choice kept), not a redirect.
    assert response.status_code == 400
    assert "An objection needs a reason." in response.text
    assert not Position.objects.exists()


def test_a_focal_point_cannot_record_another_agencys_position(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.fp_a)

    response = client.post(
        reverse("decisions:position", args=[decision.pk]),
        {"stance": "concur", "organisation": electorate.agency_b.pk},
    )

    # Refused: agency B is not among the agencies she may choose (a form error, nothing saved).
    assert response.status_code == 400
    assert "is not one of the available choices" in response.text
    assert not Position.objects.filter(organisation=electorate.agency_b).exists()
    assert not Position.objects.filter(organisation=electorate.agency_a).exists()


@pytest.mark.parametrize("role", ["rco_admin", "agency_staff", "guest", "referral_officer"])
def test_staff_guests_and_the_rco_cannot_record_positions(client, electorate, role):
    decision = open_decision(by=electorate.chair)
    client.force_login(UserFactory(organisation=electorate.agency_a, roles=[role]))

    response = client.post(reverse("decisions:position", args=[decision.pk]), {"stance": "concur"})

    assert response.status_code == 403
    assert not Position.objects.exists()


def test_a_co_chair_cannot_record_on_behalf_under_written_procedure(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.chair)

    client.post(
        reverse("decisions:position_on_behalf", args=[decision.pk]),
        {"behalf-stance": "concur", "behalf-organisation": electorate.agency_b.pk},
    )

    assert not Position.objects.exists()


def test_guests_do_not_see_decisions_and_members_do_not_see_drafts(client, electorate):
    draft = DecisionFactory()
    client.force_login(UserFactory(roles=["guest"]))
    assert client.get(reverse("decisions:list")).status_code == 403

    client.force_login(electorate.fp_b)
    assert client.get(_detail(draft)).status_code == 404
    assert draft.title not in client.get(reverse("decisions:list")).text

    client.force_login(electorate.chair)
    assert client.get(_detail(draft)).status_code == 200


def test_a_page_load_after_the_deadline_closes_nothing(client, electorate):
    decision = open_decision(by=electorate.chair)
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(electorate.chair)

    page = client.get(_detail(decision))

    assert "Deadline passed" in page.text
    decision.refresh_from_db()
    assert decision.status == "open"


def test_tally_fragment_for_htmx_polling(client, electorate):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    client.force_login(electorate.fp_b)

    response = client.get(
        reverse("decisions:tally", args=[decision.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'hx-trigger="every 10s"' in response.text
    assert 'data-testid="count-concur">1<' in response.text
    assert 'data-testid="count-missing">2<' in response.text
    assert "left" in response.text


def test_closed_decision_stops_polling_and_shows_the_outcome_with_reasons(client, electorate):
    decision = open_decision(by=electorate.chair)
    for person in (electorate.chair, electorate.fp_a):
        services.position_record(
            decision=decision, organisation=person.organisation, stance="concur", by=person
        )
    services.position_record(
        decision=decision,
        organisation=electorate.agency_b,
        stance="object",
        reason="Mandate concerns",
        by=electorate.fp_b,
    )
    client.force_login(electorate.chair)
    client.post(reverse("decisions:close", args=[decision.pk]))

    page = client.get(_detail(decision))

    assert "Not adopted" in page.text
    assert f"{electorate.agency_b.acronym} objected: “Mandate concerns”" in page.text
    assert "hx-trigger" not in page.text
    assert "decisions:position" not in page.text and "Record position" not in page.text


def test_edit_is_refused_once_the_text_is_locked(client, electorate):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    client.force_login(electorate.chair)

    response = client.post(
        reverse("decisions:edit", args=[decision.pk]),
        {"title": "Changed", "text": "Changed", "procedure": "written"},
    )

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.title != "Changed"


def test_extend_with_a_bad_date_is_a_form_error(client, electorate):
    decision = open_decision(by=electorate.chair)
    client.force_login(electorate.chair)

    response = client.post(
        reverse("decisions:extend", args=[decision.pk]), {"new_deadline": "soon", "reason": ""}
    )

    assert response.status_code == 400
    assert "is-invalid" in response.text


def test_co_chair_drafts_and_opens_a_decision_through_the_pages(client, electorate):
    client.force_login(electorate.chair)
    # A silence procedure gives at least five working days (the network's default notice).
    deadline = timezone.localtime(timezone.now() + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        reverse("decisions:create"),
        {
            "title": "Joint advocacy",
            "text": "We agree.",
            "procedure": "silence",
            "deadline": deadline,
        },
    )
    decision = Decision.objects.get(title="Joint advocacy")
    assert response["Location"] == _detail(decision)

    client.post(reverse("decisions:open", args=[decision.pk]), {"deadline": deadline})

    decision.refresh_from_db()
    assert decision.status == "open"
    assert decision.reference.endswith("/001")
    assert "Silence procedure" in client.get(_detail(decision)).text


def test_register_filters_and_full_text_search(client, electorate):
    recruitment = open_decision(
        by=electorate.chair,
        title="Statement on recruitment",
        text="The network calls for the elimination of recruitment fees.",
    )
    open_decision(
        by=electorate.chair, title="Health plan", text="Adopts the plan.", procedure="silence"
    )
    client.force_login(electorate.fp_a)
    url = reverse("decisions:list")

    assert "Statement on recruitment" in client.get(url, {"q": "fees"}).text
    assert "Health plan" not in client.get(url, {"q": "fees"}).text
    assert "Health plan" in client.get(url, {"procedure": "silence"}).text
    assert "Statement on recruitment" not in client.get(url, {"procedure": "silence"}).text
    assert "Health plan" not in client.get(url, {"status": "adopted"}).text
    assert "Health plan" in client.get(url, {"year": recruitment.year}).text
    assert client.get(url, {"year": "not-a-year", "status": "bogus"}).status_code == 200
    assert recruitment.title in client.get(url, {"q": recruitment.reference}).text


def test_csv_export_has_every_visible_decision_and_neutralises_formulas(client, electorate):
    open_decision(by=electorate.chair, title='=HYPERLINK("http://evil")')
    open_decision(by=electorate.chair, title="Plain title")
    client.force_login(electorate.fp_a)

    response = client.get(reverse("decisions:export_csv"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Title", "Status"]
    titles = {row[1] for row in rows[1:]}
    assert titles == {'\'=HYPERLINK("http://evil")', "Plain title"}


def test_excel_export_reads_back_with_openpyxl(
    client, electorate, django_capture_on_commit_callbacks
):
    from core.models import Job

    decision = open_decision(by=electorate.chair, title="Excel decision")
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    client.force_login(electorate.fp_b)

    # The button asks for the file; a background job writes it (decisions.exports).
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            reverse("decisions:export_xlsx") + "?status=open", {"form_token": "f" * 32}
        )
    job = Job.objects.get(requested_by=electorate.fp_b)
    assert asked["Location"] == job.get_absolute_url()
    response = client.get(reverse("core:file_download", args=[job.result.uuid]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "Reference"
    record = dict(zip(header, rows[1], strict=True))
    assert record["Reference"] == decision.reference
    assert record["Title"] == "Excel decision"
    assert record["Status"] == "Open"
    assert (record["Electorate"], record["Concur"]) == (3, 1)
    assert len(rows) == 2


def test_printable_record_lists_every_agency_and_the_history(client, electorate):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    client.force_login(electorate.fp_b)

    page = client.get(reverse("decisions:record", args=[decision.pk]))

    assert page.status_code == 200
    for agency in electorate.agencies:
        assert agency.acronym in page.text
    assert "History of positions" in page.text


def test_dashboard_shows_decisions_awaiting_my_agencys_position(client, electorate):
    decision = open_decision(by=electorate.chair, title="Awaiting you")
    client.force_login(electorate.fp_a)

    assert "Awaiting you" in client.get(reverse("core:dashboard")).text

    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    page = client.get(reverse("core:dashboard")).text
    assert "Awaiting you" not in page
    assert "recorded a position on every open decision" in page


def test_register_query_count_does_not_grow_with_decisions(
    client, electorate, django_assert_num_queries
):
    for index in range(30):
        decision = open_decision(by=electorate.chair, title=f"Decision {index}")
        services.position_record(
            decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
        )
    client.force_login(electorate.fp_b)
    client.get(reverse("decisions:list"))  # process-wide caches warm up once

    with django_assert_num_queries(5):
        response = client.get(reverse("decisions:list"))
    assert response.status_code == 200
    assert 'rel="next"' in response.text
    assert 'rel="prev"' not in response.text


def test_decision_page_with_40_agencies_has_bounded_queries(
    client, network, django_assert_max_num_queries
):
    people = [focal_point() for _ in range(39)]
    from tests.factories import co_chair

    chair = co_chair()
    decision = open_decision(by=chair)
    for index, person in enumerate(people):
        stance = ["concur", "stand_aside", "object"][index % 3]
        services.position_record(
            decision=decision,
            organisation=person.organisation,
            stance=stance,
            reason="Reason" if stance == "object" else "",
            by=person,
        )
    assert decision.electorate.count() == 40
    client.force_login(people[0])

    with django_assert_max_num_queries(20):
        response = client.get(_detail(decision))
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        client.get(reverse("decisions:tally", args=[decision.pk]))
    with django_assert_max_num_queries(15):
        client.get(reverse("decisions:record", args=[decision.pk]))


def test_stakeholders_outside_the_electorate_cannot_record(client, electorate):
    decision = open_decision(by=electorate.chair)
    latecomer = focal_point(member_agency())  # joined after the decision opened
    client.force_login(latecomer)

    client.post(reverse("decisions:position", args=[decision.pk]), {"stance": "concur"})

    assert not Position.objects.filter(organisation=latecomer.organisation).exists()
    assert Organisation.objects.filter(pk=latecomer.organisation.pk).exists()


def test_polling_a_closed_decision_reloads_the_page_to_show_the_outcome(client, electorate):
    decision = open_decision(by=electorate.chair)
    services.decision_withdraw(decision=decision, reason="Superseded", by=electorate.chair)
    client.force_login(electorate.fp_a)

    response = client.get(
        reverse("decisions:tally", args=[decision.pk]), headers={"HX-Request": "true"}
    )

    assert response["HX-Refresh"] == "true"
