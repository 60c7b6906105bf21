"""Bugs found by walking through the workplan pages as co-chairs and focal points would."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import DeliverableFactory, WorkplanFactory
from workplan import services
from workplan.models import Workplan

pytestmark = pytest.mark.django_db

BANNER = "Copy unfinished deliverables"


def test_the_copy_forward_banner_goes_once_everything_unfinished_was_carried_over(client, chair):
    last_year = WorkplanFactory(year=2040)
    DeliverableFactory(workplan=last_year, status="at_risk", title="Unfinished")
    DeliverableFactory(workplan=last_year, status="completed", title="Done")
    client.force_login(chair)
    services.workplan_create(year=2041, by=chair)
    assert BANNER in client.get(reverse("workplan:detail", args=[2041])).text

    # Created with "start with last year's unfinished deliverables": nothing left to copy.
    Workplan.objects.filter(year=2041).delete()
    services.workplan_create(year=2041, copy_forward=True, by=chair)

    page = client.get(reverse("workplan:detail", args=[2041])).text
    assert "Unfinished" in page
    assert BANNER not in page


def test_no_copy_forward_banner_when_last_year_was_all_finished(client, chair):
    last_year = WorkplanFactory(year=2042)
    DeliverableFactory(workplan=last_year, status="completed")
    services.workplan_create(year=2043, by=chair)
    client.force_login(chair)

    assert BANNER not in client.get(reverse("workplan:detail", args=[2043])).text


def test_endorse_and_share_pages_are_offered_only_when_the_step_applies(client, chair):
    workplan = WorkplanFactory(year=2044)
    DeliverableFactory(workplan=workplan)
    client.force_login(chair)
    endorse = reverse("workplan:endorse", args=[2044])
    share = reverse("workplan:share", args=[2044])

    # A draft cannot be shared yet.
    response = client.get(share, follow=True)
    assert response.redirect_chain == [(workplan.get_absolute_url(), 302)]
    assert "Only an endorsed workplan can be shared with the UNCT." in response.text
    assert client.get(endorse).status_code == 200

    services.workplan_endorse(workplan=workplan, endorsed_on=date(2026, 1, 10), by=chair)

    response = client.get(endorse, follow=True)
    assert response.redirect_chain == [(workplan.get_absolute_url(), 302)]
    assert "Only a draft workplan can be endorsed." in response.text
    assert client.get(share).status_code == 200


def test_co_chairs_and_the_rco_see_the_networks_deliverables_at_risk_on_their_dashboard(
    client, chair, lead_agency, lead_focal, staff
):
    from django.utils import timezone

    from tests.factories import UserFactory

    this_year = WorkplanFactory(year=timezone.localdate().year)
    DeliverableFactory(
        workplan=this_year, lead_agency=lead_agency, status="at_risk", title="Stalled study"
    )
    DeliverableFactory(
        workplan=this_year, lead_agency=lead_agency, status="on_track", title="Fine study"
    )
    rco = UserFactory(roles=["rco_admin"])

    for person in (chair, rco):
        client.force_login(person)
        page = client.get(reverse("core:dashboard")).text
        network = page.split('id="workplan-network-attention"')[1].split("</ul>")[0]
        assert "Stalled study" in network
        assert "Fine study" not in network

    # A focal point of another agency and agency staff keep their own view.
    client.force_login(lead_focal)
    page = client.get(reverse("core:dashboard")).text
    assert 'id="workplan-network-attention"' not in page
    assert "Stalled study" in page.split('id="workplan-attention"')[1].split("</ul>")[0]
    client.force_login(staff)
    assert "Stalled study" not in client.get(reverse("core:dashboard")).text


def test_a_huge_progress_note_is_a_form_error(client, lead_agency, lead_focal):
    deliverable = DeliverableFactory(workplan=WorkplanFactory(year=2045), lead_agency=lead_agency)
    client.force_login(lead_focal)

    response = client.post(
        reverse("workplan:progress_update", args=[deliverable.pk]),
        {"date": "2026-01-05", "status_after": "at_risk", "note": "x" * 100_000},
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in response.text
    assert not deliverable.updates.exists()


def test_the_excel_export_keeps_text_starting_with_equals_as_text(client, chair, excel_export):
    from workplan.models import Funding

    deliverable = DeliverableFactory(
        workplan=WorkplanFactory(year=2046), title='=HYPERLINK("http://evil.example","Click")'
    )
    Funding.objects.create(deliverable=deliverable, source="=1+2", amount=100, status="pledged")
    client.force_login(chair)

    workbook = excel_export(2046)

    title = workbook["Deliverables"]["B2"]
    source = workbook["Funding"]["D2"]
    assert (title.value, title.data_type) == ('=HYPERLINK("http://evil.example","Click")', "s")
    assert (source.value, source.data_type) == ("=1+2", "s")


def test_a_workplan_is_not_endorsed_before_its_endorsing_decision_was_adopted(client, chair):
    from datetime import timedelta

    from django.utils import timezone

    from decisions.models import Decision

    adopted = Decision.objects.create(
        title="Adoption of the workplan",
        text="Adopted.",
        procedure="meeting",
        status="adopted",
        reference="UNNM-BH/2026/090",
        year=2026,
        sequence=90,
        opened_at=timezone.now() - timedelta(days=2),
        closed_at=timezone.now() - timedelta(days=1),
    )
    workplan = WorkplanFactory(year=2047)
    DeliverableFactory(workplan=workplan)
    client.force_login(chair)
    day_before = timezone.localdate(adopted.closed_at) - timedelta(days=1)

    response = client.post(
        reverse("workplan:endorse", args=[2047]),
        {"endorsed_on": day_before.isoformat(), "decision": adopted.pk},
    )

    assert response.status_code == 400
    assert "cannot be endorsed before the decision that endorsed it" in response.text
    workplan.refresh_from_db()
    assert workplan.is_draft
    response = client.post(
        reverse("workplan:endorse", args=[2047]),
        {"endorsed_on": timezone.localdate().isoformat(), "decision": adopted.pk},
    )
    assert response.status_code == 302
    workplan.refresh_from_db()
    assert workplan.endorsed_by_decision == adopted
