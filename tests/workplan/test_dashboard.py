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


def test_the_update_due_query_agrees_with_the_rule(this_year, lead_agency, lead_focal):
    from itertools import product

    from workplan import rules
    from workplan.models import Deliverable

    year = this_year.year
    cases = product(
        (1, 2, 3, 4),  # start quarter
        ("not_started", "on_track", "at_risk", "completed", "cancelled"),
        (None, date(year, 5, 2), date(year, 7, 1), date(year, 8, 9)),  # last update
    )
    for start, status, last in cases:
        deliverable = DeliverableFactory(
            workplan=this_year,
            lead_agency=lead_agency,
            start_quarter=start,
            end_quarter=4,
            status=status,
        )
        if last:
            ProgressUpdate.objects.create(
                deliverable=deliverable,
                date=last,
                note="n",
                status_before=status,
                status_after=status,
                author=lead_focal,
            )
    today = date(year, 8, 10)  # Q3

    by_query = set(Deliverable.objects.update_due(today).values_list("pk", flat=True))

    by_rule = {
        d.pk
        for d in Deliverable.objects.with_last_update().select_related("workplan")
        if rules.update_due(
            year=d.workplan.year,
            start_quarter=d.start_quarter,
            status=d.status,
            last_update=d.last_update_on,
            today=today,
        )
    }
    assert by_query == by_rule
    assert by_rule  # the cases include some due and some not
    assert len(by_rule) < Deliverable.objects.count()


def test_the_panel_shows_a_few_of_each_list_and_links_to_all(
    client, this_year, lead_agency, lead_focal, django_assert_num_queries
):
    for _ in range(selectors.PANEL_LIMIT + 20):
        DeliverableFactory(workplan=this_year, lead_agency=lead_agency, status="at_risk")
    client.force_login(lead_focal)
    client.get(reverse("core:dashboard"))  # process-wide caches warm up once

    data = selectors.dashboard_for(lead_focal)
    page = client.get(reverse("core:dashboard")).text

    assert len(data["attention"]) == selectors.PANEL_LIMIT and data["attention_more"]
    assert len(data["due"]) == selectors.PANEL_LIMIT and data["due_more"]
    assert f"?status=at_risk&amp;agency={lead_agency.pk}" in page
    assert reverse("workplan:agency", args=[this_year.year, lead_agency.pk]) in page
