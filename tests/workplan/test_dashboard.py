from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DeliverableFactory, WorkplanFactory
from workplan import selectors
from workplan.models import ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year():
    return WorkplanFactory(year=timezone.localdate().year)


def test_dashboard_lists_my_agencys_deliverables_at_risk_or_delayed(
    client, this_year, lead_agency, lead_focal, other_focal
):
    DeliverableFactory(
        workplan=this_year, lead_agency=lead_agency, status="at_risk", title="Risky one"
    )
    DeliverableFactory(
        workplan=this_year, lead_agency=lead_agency, status="delayed", title="Late one"
    )
    DeliverableFactory(
        workplan=this_year, lead_agency=lead_agency, status="on_track", title="Fine one"
    )
    DeliverableFactory(
        workplan=this_year,
        lead_agency=other_focal.organisation,
        status="at_risk",
        title="Someone else's",
    )
    client.force_login(lead_focal)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert "Risky one" in response.text and "Late one" in response.text
    attention = response.text.split('id="workplan-attention"')[1].split("</ul>")[0]
    assert "Fine one" not in attention
    assert "Someone else" not in response.text


def test_updates_due_this_quarter(this_year, lead_agency, lead_focal):
    today = date(this_year.year, 8, 10)  # Q3
    started = DeliverableFactory(
        workplan=this_year,
        lead_agency=lead_agency,
        start_quarter=1,
        status="on_track",
        title="Started",
    )
    updated = DeliverableFactory(
        workplan=this_year,
        lead_agency=lead_agency,
        start_quarter=1,
        status="on_track",
        title="Updated",
    )
    ProgressUpdate.objects.create(
        deliverable=updated,
        date=date(this_year.year, 7, 2),
        note="ok",
        status_before="on_track",
        status_after="on_track",
        author=lead_focal,
    )
    ProgressUpdate.objects.create(
        deliverable=started,
        date=date(this_year.year, 5, 2),
        note="ok",
        status_before="on_track",
        status_after="on_track",
        author=lead_focal,
    )
    DeliverableFactory(workplan=this_year, lead_agency=lead_agency, start_quarter=4, title="Later")
    DeliverableFactory(
        workplan=this_year, lead_agency=lead_agency, status="completed", title="Done"
    )
    data = selectors.dashboard_for(lead_focal, today=today)
    assert [d.title for d in data["due"]] == ["Started"]


def test_no_panel_for_people_who_represent_no_agency(client, staff, this_year):
    client.force_login(staff)
    response = client.get(reverse("core:dashboard"))
    assert 'id="workplan-attention"' not in response.text
