"""seed_demo: a final bi-annual report for the last half-year, a draft for the current one, and
a Government update shared with the government guest."""

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from reports import generation, rules
from reports.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_final_report_staff_can_open_a_draft_and_a_shared_update(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # twice: still one of each

    today = timezone.localdate()
    last, current = rules.previous_half_year(today), rules.half_year_of(today)
    final = Report.objects.get(kind="biannual", period_start=last.start)
    draft = Report.objects.get(kind="biannual", period_start=current.start)
    assert final.status == "final" and final.snapshot
    assert draft.status == "draft"
    update = Report.objects.get(kind="government")
    assert Report.objects.count() == 3

    client.force_login(User.objects.get(email="undp.staff@example.org"))
    page = client.get(reverse("reports:list")).content.decode()
    assert final.title in page and draft.title not in page
    # The government guest opens only the update shared with them.
    client.force_login(User.objects.get(email="guest@example.org"))
    assert client.get(final.get_absolute_url()).status_code == 404
    assert client.get(update.get_absolute_url()).status_code == 200

    # The demo's final report renders from its frozen sections.
    pdf, _xlsx = generation.build_report_document(final, "en")
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) > 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "UN Network on Migration in Bahrain".upper() in text.upper()
    assert "DRAFT" not in text
