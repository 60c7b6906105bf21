"""The summary's SVG charts stay valid in Arabic, where Django writes decimals with a comma."""

import re

import pytest
from django.urls import reverse

from tests.factories import DeliverableFactory, FundingFactory, WorkplanFactory, co_chair

pytestmark = pytest.mark.django_db


def test_chart_coordinates_are_plain_numbers_in_arabic(client):
    workplan = WorkplanFactory(year=2031)
    for budget in (12500, 33333, 7000):
        FundingFactory(deliverable=DeliverableFactory(workplan=workplan, budget_required=budget))
    chair = co_chair(preferred_language="ar")
    client.force_login(chair)

    page = client.get(reverse("workplan:summary", kwargs={"year": 2031})).content.decode()

    assert 'dir="rtl"' in page
    coordinates = re.findall(r'\s(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', page)
    assert coordinates, "the summary draws its charts"
    assert all(re.fullmatch(r"-?\d+(\.\d+)?%?", value) for value in coordinates), coordinates
    assert "مؤكَّد" in page  # the legend "Confirmed" follows the page's language
