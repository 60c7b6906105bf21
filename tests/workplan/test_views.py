from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import Job, StoredFile, ToRObjective
from tests.factories import DeliverableFactory, FundingFactory, WorkplanFactory
from workplan.models import Deliverable, GCMObjective, SDGTarget, ThematicArea

pytestmark = pytest.mark.django_db

S = Deliverable.Status


@pytest.fixture
def deliverable(workplan, lead_agency):
    return DeliverableFactory(workplan=workplan, lead_agency=lead_agency, title="Labour study")


# --- Reading ------------------------------------------------------------------------------------


def test_members_read_the_list_and_guests_are_refused(client, workplan, deliverable, staff, guest):
    url = reverse("workplan:detail", args=[2026])
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert "Labour study" in response.text
    client.force_login(guest)
    assert client.get(url).status_code == 403
    assert client.get(deliverable.get_absolute_url()).status_code == 403


def test_unknown_year_and_deliverable_are_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("workplan:detail", args=[1999])).status_code == 404
    assert client.get(reverse("workplan:deliverable", args=[987654])).status_code == 404


def test_list_filters(client, staff, workplan, lead_agency, other_focal):
    gcm = GCMObjective.objects.get(number=10)
    DeliverableFactory(
        workplan=workplan, title="Trafficking SOPs", gcm_objectives=[gcm], status=S.AT_RISK
    )
    DeliverableFactory(
        workplan=workplan,
        title="Supported by other",
        supporting_agencies=[other_focal.organisation],
    )
    DeliverableFactory(workplan=workplan, title="Plain one")
    client.force_login(staff)
    url = reverse("workplan:detail", args=[2026])

    def titles(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {d.title for d in response.context["deliverables"]}

    assert titles(gcm=gcm.pk) == {"Trafficking SOPs"}
    assert titles(status="at_risk") == {"Trafficking SOPs"}
    assert titles(agency=other_focal.organisation.pk) == {"Supported by other"}
    assert titles(q="plain") == {"Plain one"}
    assert len(titles(tor=ToRObjective.objects.get(number=1).pk)) == 3
    # A bad filter value is ignored with a form error, never a 500.
    assert client.get(url, {"status": "nonsense"}).status_code == 200


def test_list_is_paginated(client, staff, workplan):
    for _ in range(30):
        DeliverableFactory(workplan=workplan)
    client.force_login(staff)
    first = client.get(reverse("workplan:detail", args=[2026]))
    after = {"after": first.context["page_obj"].next_cursor}
    response = client.get(reverse("workplan:detail", args=[2026]), after)
    assert first.context["page_obj"].count == 30
    assert len(response.context["deliverables"]) == 5
    assert 'rel="prev"' in response.text


def test_the_list_pages_by_cursor_in_number_order(client, staff, workplan):
    from tests.keyset import walk_pages

    for _ in range(55):
        DeliverableFactory(workplan=workplan)
    client.force_login(staff)

    pages = walk_pages(client, reverse("workplan:detail", args=[2026]), rows="deliverables")

    numbers = [d.number for page in pages for d in page]
    assert numbers == sorted(numbers) and len(set(numbers)) == 55


def test_agency_view_shows_what_it_leads_and_supports(
    client, staff, workplan, lead_agency, other_focal
):
    DeliverableFactory(workplan=workplan, lead_agency=lead_agency, title="Led by lead")
    DeliverableFactory(
        workplan=workplan,
        lead_agency=other_focal.organisation,
        supporting_agencies=[lead_agency],
        title="Supported by lead",
    )
    client.force_login(staff)
    response = client.get(reverse("workplan:agency", args=[2026, lead_agency.pk]))
    assert [d.title for d in response.context["led"]] == ["Led by lead"]
    assert [d.title for d in response.context["supported"]] == ["Supported by lead"]
    overview = client.get(reverse("workplan:agencies", args=[2026]))
    rows = {a.acronym: (a.led, a.supported) for a in overview.context["agencies"]}
    assert rows == {"LEAD": (1, 1), "OTHER": (1, 0)}


def test_agencies_of_another_year_are_not_offered_or_listed(
    client, staff, workplan, lead_agency, other_focal
):
    from tests.factories import OrganisationFactory, WorkplanFactory

    DeliverableFactory(workplan=workplan, lead_agency=lead_agency)
    last_year = WorkplanFactory(year=2025)
    elsewhere = OrganisationFactory(acronym="PAST")
    DeliverableFactory(
        workplan=last_year, lead_agency=elsewhere, supporting_agencies=[other_focal.organisation]
    )
    DeliverableFactory(
        workplan=workplan, lead_agency=lead_agency, supporting_agencies=[other_focal.organisation]
    )
    client.force_login(staff)

    form = client.get(reverse("workplan:detail", args=[2026])).context["filter_form"]
    overview = client.get(reverse("workplan:agencies", args=[2026])).context["agencies"]

    assert list(form.fields["agency"].queryset) == [lead_agency, other_focal.organisation]
    assert {a.acronym: (a.led, a.supported) for a in overview} == {
        "LEAD": (2, 0),
        "OTHER": (0, 1),
    }


def test_the_timeline_pages_by_cursor_through_every_deliverable_by_area(client, staff, workplan):
    from workplan.models import ThematicArea
    from workplan.selectors import TIMELINE_PAGE_SIZE

    areas = list(ThematicArea.objects.order_by("order", "pk")[:3])
    for index in range(TIMELINE_PAGE_SIZE + 30):
        DeliverableFactory(
            workplan=workplan,
            thematic_area=areas[index % 3],
            start_quarter=1 + index % 4,
            end_quarter=4,
        )
    client.force_login(staff)
    url = reverse("workplan:timeline", args=[2026])

    rows, params = [], {}
    while True:
        response = client.get(url, params)
        rows += [d for group in response.context["groups"].values() for d in group]
        page = response.context["page_obj"]
        if not page.has_next:
            break
        params = {"after": page.next_cursor}

    assert len(rows) == TIMELINE_PAGE_SIZE + 30
    keys = [(areas.index(d.thematic_area), d.start_quarter, d.end_quarter, d.number) for d in rows]
    assert keys == sorted(keys)


def test_timeline_marks_the_quarters(client, staff, workplan):
    DeliverableFactory(workplan=workplan, start_quarter=2, end_quarter=3, title="Mid-year")
    client.force_login(staff)
    response = client.get(reverse("workplan:timeline", args=[2026]))
    (deliverable,) = [d for group in response.context["groups"].values() for d in group]
    assert deliverable.quarters == [False, True, True, False]
    assert response.text.count('class="tl-on status-not_started') == 2


def test_summary_counts_and_funding_by_objective_and_status(client, staff, workplan):
    tor2 = ToRObjective.objects.get(number=2)
    first = DeliverableFactory(
        workplan=workplan, budget_required=Decimal("100"), tor_objectives=[tor2], status=S.AT_RISK
    )
    FundingFactory(deliverable=first, amount=Decimal("30"), status="confirmed")
    FundingFactory(deliverable=first, amount=Decimal("50"), status="pledged")
    second = DeliverableFactory(
        workplan=workplan, budget_required=Decimal("40"), tor_objectives=[tor2], status=S.AT_RISK
    )
    FundingFactory(deliverable=second, amount=Decimal("60"), status="confirmed")
    client.force_login(staff)
    response = client.get(reverse("workplan:summary", args=[2026]))
    summary = response.context["summary"]
    assert summary["total"].count == 2
    assert summary["total"].budget == Decimal("140")
    assert summary["total"].confirmed == Decimal("90")
    assert summary["total"].pledged == Decimal("50")
    # 70 missing on the first; the second's surplus of 20 does not fund the first.
    assert summary["total"].gap == Decimal("70.00")
    by_tor = {t.key.number: t for t in summary["by_tor"]}
    assert (by_tor[2].count, by_tor[2].gap, by_tor[1].count) == (2, Decimal("70.00"), 0)
    by_status = {t.key: t for t in summary["by_status"]}
    assert by_status["at_risk"].count == 2 and by_status["on_track"].count == 0
    assert response.text.count("<svg") >= 3
    assert "pledges are shown separately" in response.text


def test_gcm_coverage_lists_served_and_untouched_objectives(client, staff, workplan):
    data = GCMObjective.objects.get(number=1)
    trafficking = GCMObjective.objects.get(number=10)
    funded = DeliverableFactory(
        workplan=workplan, gcm_objectives=[data, trafficking], budget_required=Decimal("500")
    )
    FundingFactory(deliverable=funded, amount=Decimal("200"))
    DeliverableFactory(workplan=workplan, gcm_objectives=[trafficking])
    client.force_login(staff)
    response = client.get(reverse("workplan:gcm_coverage", args=[2026]))
    coverage = response.context["coverage"]
    rows = {row.key.number: row for row in coverage["rows"]}
    assert len(rows) == 23
    assert (rows[1].count, rows[1].confirmed) == (1, Decimal("200"))
    assert rows[10].count == 2
    assert {row.key.number for row in coverage["untouched"]} == set(range(1, 24)) - {1, 10}
    assert "Eradicate trafficking" in response.text


def test_reference_page(client, staff):
    client.force_login(staff)
    response = client.get(reverse("workplan:reference"))
    assert response.status_code == 200
    assert "Whole-of-society approach" in response.text


# --- Changing -----------------------------------------------------------------------------------


def _deliverable_post(lead_agency, **overrides):
    data = {
        "title": "Fair recruitment study",
        "description": "A study.",
        "tor_objectives": [ToRObjective.objects.get(number=1).pk],
        "gcm_objectives": [GCMObjective.objects.get(number=6).pk],
        "sdg_targets": [SDGTarget.objects.get(target="8.8").pk],
        "thematic_area": ThematicArea.objects.get(code="labour-migration").pk,
        "lead_agency": lead_agency.pk,
        "start_quarter": 1,
        "end_quarter": 2,
        "budget_required": "12500.50",
    }
    data.update(overrides)
    return data


def test_co_chair_adds_a_deliverable(client, chair, workplan, lead_agency):
    client.force_login(chair)
    response = client.post(
        reverse("workplan:deliverable_create", args=[2026]), _deliverable_post(lead_agency)
    )
    deliverable = Deliverable.objects.get(title="Fair recruitment study")
    assert response.status_code == 302 and response["Location"] == deliverable.get_absolute_url()
    assert deliverable.budget_required == Decimal("12500.50")
    assert deliverable.sdg_targets.get().target == "8.8"


def test_bad_deliverable_input_is_a_form_error(client, chair, workplan, lead_agency):
    client.force_login(chair)
    url = reverse("workplan:deliverable_create", args=[2026])
    response = client.post(url, _deliverable_post(lead_agency, start_quarter=3, end_quarter=1))
    assert response.status_code == 400
    assert "end quarter cannot come before" in response.text
    response = client.post(url, _deliverable_post(lead_agency, budget_required="-5"))
    assert response.status_code == 400
    response = client.post(url, _deliverable_post(lead_agency, tor_objectives=[]))
    assert response.status_code == 400
    response = client.post(
        url, _deliverable_post(lead_agency, supporting_agencies=[lead_agency.pk])
    )
    assert response.status_code == 400
    assert not Deliverable.objects.exists()


def test_focal_points_cannot_add_or_edit_deliverables(
    client, lead_focal, workplan, deliverable, lead_agency
):
    client.force_login(lead_focal)
    response = client.post(
        reverse("workplan:deliverable_create", args=[2026]), _deliverable_post(lead_agency)
    )
    assert response.status_code == 403
    edit = reverse("workplan:deliverable_edit", args=[deliverable.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _deliverable_post(lead_agency, title="Hijacked")).status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.title == "Labour study"


def test_co_chair_edits_a_deliverable(client, chair, deliverable, lead_agency):
    client.force_login(chair)
    response = client.post(
        reverse("workplan:deliverable_edit", args=[deliverable.pk]),
        _deliverable_post(lead_agency, title="Labour study, revised"),
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.title == "Labour study, revised"
    assert deliverable.status == S.NOT_STARTED


def test_lead_focal_point_posts_progress(client, lead_focal, deliverable):
    client.force_login(lead_focal)
    detail = client.get(deliverable.get_absolute_url())
    assert detail.context["can_update"] and not detail.context["can_edit"]
    response = client.post(
        reverse("workplan:progress_update", args=[deliverable.pk]),
        {"date": date.today().isoformat(), "status_after": "at_risk", "note": "Funds late"},
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.status == S.AT_RISK
    page = client.get(deliverable.get_absolute_url())
    assert "Funds late" in page.text


def test_wrong_organisation_and_wrong_role_cannot_post_progress(
    client, other_focal, staff, deliverable
):
    url = reverse("workplan:progress_update", args=[deliverable.pk])
    data = {"date": date.today().isoformat(), "status_after": "completed", "note": "Done"}
    for person in (other_focal, staff):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
        assert not client.get(deliverable.get_absolute_url()).context["can_update"]
    deliverable.refresh_from_db()
    assert deliverable.status == S.NOT_STARTED


def test_progress_form_errors(client, lead_focal, deliverable):
    client.force_login(lead_focal)
    url = reverse("workplan:progress_update", args=[deliverable.pk])
    response = client.post(url, {"date": "2999-01-01", "status_after": "bogus", "note": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"date", "status_after", "note"}


def test_funding_add_and_remove(client, chair, lead_focal, deliverable):
    url = reverse("workplan:funding_add", args=[deliverable.pk])
    data = {"source_kind": "donor", "source": "EU", "amount": "2500", "status": "pledged"}
    client.force_login(lead_focal)
    assert client.post(url, data).status_code == 403
    client.force_login(chair)
    assert client.post(url, {**data, "amount": "-1"}).status_code == 400
    assert client.post(url, data).status_code == 302
    funding = deliverable.fundings.get()
    assert (funding.amount, funding.status) == (Decimal("2500.00"), "pledged")
    client.force_login(lead_focal)
    remove = reverse("workplan:funding_remove", args=[funding.pk])
    assert client.post(remove).status_code == 403
    client.force_login(chair)
    assert client.post(remove).status_code == 302
    assert not deliverable.fundings.exists()


def test_workplan_lifecycle_through_the_pages(client, chair, lead_focal):
    client.force_login(lead_focal)
    assert client.post(reverse("workplan:create"), {"year": 2031}).status_code == 403
    client.force_login(chair)
    response = client.post(reverse("workplan:create"), {"year": 2031, "copy_forward": "on"})
    assert response.status_code == 400  # no 2030 workplan to carry over from
    response = client.post(reverse("workplan:create"), {"year": 2031, "title": "Plan 2031"})
    assert response.status_code == 302
    endorse = reverse("workplan:endorse", args=[2031])
    response = client.post(endorse, {"endorsed_on": "2031-01-10"})
    assert response.status_code == 400  # the date is in the future (or there is no deliverable)
    workplan = WorkplanFactory(year=2024)
    DeliverableFactory(workplan=workplan)
    response = client.post(reverse("workplan:endorse", args=[2024]), {"endorsed_on": "2024-02-01"})
    assert response.status_code == 302
    response = client.post(reverse("workplan:share", args=[2024]), {"shared_on": "2024-02-05"})
    assert response.status_code == 302
    workplan.refresh_from_db()
    assert (workplan.status, workplan.shared_on) == ("shared", date(2024, 2, 5))


def test_copy_forward_page(client, chair):
    last = WorkplanFactory(year=2025)
    DeliverableFactory(workplan=last, status=S.DELAYED, title="Unfinished")
    WorkplanFactory(year=2026)
    client.force_login(chair)
    response = client.post(reverse("workplan:copy_forward", args=[2026]), follow=True)
    assert "1 unfinished deliverable was carried over from 2025" in response.text
    assert Deliverable.objects.filter(workplan__year=2026, title="Unfinished").exists()


# --- Exports ------------------------------------------------------------------------------------


def test_excel_export_cell_by_cell(client, staff, workplan, lead_agency, other_focal, excel_export):
    deliverable = DeliverableFactory(
        workplan=workplan,
        number=7,
        title="Recruitment fees study",
        description="Study of fees.",
        lead_agency=lead_agency,
        supporting_agencies=[other_focal.organisation],
        tor_objectives=ToRObjective.objects.filter(number__in=[1, 6]),
        gcm_objectives=GCMObjective.objects.filter(number=6),
        thematic_area=ThematicArea.objects.get(code="labour-migration"),
        start_quarter=2,
        end_quarter=3,
        status=S.AT_RISK,
        budget_required=Decimal("120000.00"),
    )
    deliverable.sdg_targets.set(SDGTarget.objects.filter(target__in=["8.8", "10.7"]))
    FundingFactory(deliverable=deliverable, source="SDC", amount=Decimal("70000"))
    FundingFactory(deliverable=deliverable, source="EU", amount=Decimal("20000"), status="pledged")
    client.force_login(staff)
    workbook = excel_export(2026)
    sheet = workbook["Deliverables"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["Code"] == "2026-07"
    assert row["Title"] == "Recruitment fees study"
    assert row["Description"] == "Study of fees."
    assert row["Status"] == "At risk"
    assert row["Lead agency"] == "LEAD"
    assert row["Supporting agencies"] == "OTHER"
    assert row["ToR objectives"] == "1. Joint programming; 6. Case referral"
    assert row["GCM objectives"] == "6. Recruitment and decent work"
    assert row["SDG targets"] == "8.8, 10.7"
    assert row["Thematic area"].startswith("Labour migration governance")
    assert (row["Start quarter"], row["End quarter"]) == ("Q2", "Q3")
    assert row["Budget required (USD)"] == 120000
    assert row["Confirmed funds (USD)"] == 70000
    assert row["Pledged funds (USD)"] == 20000
    assert row["Funding gap (USD)"] == 50000
    assert sheet.max_row == 2
    funding = workbook["Funding"]
    assert [c.value for c in funding[2]][:6] == [
        "2026-07",
        "Recruitment fees study",
        "Donor",
        "SDC",
        70000,
        "Confirmed",
    ]
    assert [c.value for c in funding[3]][3:6] == ["EU", 20000, "Pledged"]


def test_pdf_export_is_generated_by_a_job_and_downloaded_through_core(
    client, staff, workplan, mailoutbox, django_capture_on_commit_callbacks
):
    titles = ["Migrant health access assessment", "Referral mechanism SOPs"]
    for title in titles:
        DeliverableFactory(workplan=workplan, title=title)
    client.force_login(staff)
    url = reverse("workplan:export_pdf", args=[2026])
    page = client.get(url)
    assert page.status_code == 200
    assert "Generate PDF" in page.content.decode()
    token = page.context["form_token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"form_token": token}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    job = Job.objects.get(kind="workplan.pdf")
    assert job.status == Job.Status.SUCCEEDED
    assert job.requested_by == staff
    download = reverse("core:file_download", args=[job.result.uuid])
    # The fragment the htmx request got was rendered before the job ran; the status page now
    # offers the download.
    status = client.get(reverse("core:job_status", args=[job.uuid]), headers={"HX-Request": "true"})
    assert download in status.content.decode()
    # A second click on the same rendered form does not make a second job.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"form_token": token}, headers={"HX-Request": "true"})
    assert Job.objects.count() == 1
    assert StoredFile.objects.filter(kind="workplan.pdf").count() == 1
    assert [message.to for message in mailoutbox] == [[staff.email]]

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    content = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    text = " ".join(text.split())
    for title in titles:
        assert title in text
    assert "Workplan 2026" in text


def test_the_excel_export_is_built_by_a_job_and_downloaded_through_core(
    client, staff, guest, workplan, mailoutbox, django_capture_on_commit_callbacks
):
    DeliverableFactory(workplan=workplan, title="Referral mechanism SOPs")
    client.force_login(staff)
    url = reverse("workplan:export_xlsx", args=[2026])
    page = client.get(url)
    assert "Generate Excel" in page.content.decode()
    token = page.context["form_token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"form_token": token}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    # A second click on the same rendered form does not make a second job.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"form_token": token}, headers={"HX-Request": "true"})
    job = Job.objects.get(kind="workplan.xlsx")
    assert (job.status, job.requested_by) == (Job.Status.SUCCEEDED, staff)
    assert [message.to for message in mailoutbox] == [[staff.email]]
    download = reverse("core:file_download", args=[job.result.uuid])
    assert download in client.get(url).content.decode()  # the page offers the latest file

    response = client.get(download)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook["Deliverables"]["B2"].value == "Referral mechanism SOPs"
    assert StoredFile.objects.filter(kind="workplan.xlsx").count() == 1
    # Another reader's file is not theirs to download; a guest reads no workplan.
    client.force_login(guest)
    assert client.get(download).status_code == 404


def test_exports_are_refused_to_guests(client, guest, workplan):
    client.force_login(guest)
    assert client.get(reverse("workplan:export_xlsx", args=[2026])).status_code == 403
    assert client.get(reverse("workplan:export_pdf", args=[2026])).status_code == 403


def test_endorsement_links_the_adopted_decision(client, chair):
    from tests.factories import DecisionFactory

    adopted = DecisionFactory(
        title="Endorsement of the 2024 workplan", status="adopted", reference="UNNM/2024/003"
    )
    DecisionFactory(title="Still a draft")
    workplan = WorkplanFactory(year=2024)
    DeliverableFactory(workplan=workplan)
    client.force_login(chair)
    url = reverse("workplan:endorse", args=[2024])
    form = client.get(url).context["form"]
    assert list(form.fields["decision"].queryset) == [adopted]
    response = client.post(url, {"endorsed_on": "2024-02-01", "decision": adopted.pk})
    assert response.status_code == 302
    workplan.refresh_from_db()
    assert workplan.endorsed_by_decision == adopted
    page = client.get(workplan.get_absolute_url())
    assert "UNNM/2024/003" in page.text
