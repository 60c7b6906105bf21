"""The workplan PDF comes from the portal's PDF service, in the reader's language."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Network
from tests.factories import DeliverableFactory
from workplan.exports import workplan_pdf

pytestmark = pytest.mark.django_db


def _pages(data):
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


@pytest.fixture(autouse=True)
def _network(db):
    network = Network.objects.get_current()
    network.name = "UN Network on Migration in Bahrain"
    network.save()


def test_the_workplan_pdf_has_the_running_header_and_its_content(workplan):
    DeliverableFactory(workplan=workplan, title="Migrant health access assessment")
    pages = _pages(workplan_pdf(workplan, language="en"))
    reader_width = float(PdfReader(BytesIO(workplan_pdf(workplan))).pages[0].mediabox.width)
    assert reader_width > 800  # A4 landscape
    assert all("BAHRAIN" in page.upper() for page in pages)
    assert f"Page 1 of {len(pages)}" in pages[0]
    text = " ".join(" ".join(pages).split())
    assert "Migrant health access assessment" in text
    assert "Workplan 2026" in text
    assert "DRAFT" not in text


def test_the_workplan_pdf_downloads_in_the_readers_language(
    client, staff, workplan, django_capture_on_commit_callbacks
):
    from core.models import Job

    DeliverableFactory(workplan=workplan, title="دراسة سوق العمل")
    staff.preferred_language = "ar"
    staff.save()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workplan:export_pdf", args=[2026]))
    job = Job.objects.get(requested_by=staff)
    response = client.get(reverse("core:file_download", args=[job.result.uuid]))
    assert response.status_code == 200
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "النواتج" in text  # "Deliverables", translated
    assert "دراسة سوق العمل" in text


def test_an_arabic_workplan_pdf_is_right_to_left_in_logical_order(workplan):
    from tests.pdf_checks import assert_arabic_pdf

    DeliverableFactory(workplan=workplan, title="دراسة سوق العمل")
    workplan.title = ""  # untitled: "Workplan 2026" in the reader's language

    assert_arabic_pdf(
        workplan_pdf(workplan, language="ar"),
        heading="خطة العمل",
        phrases=["دراسة سوق العمل", "النواتج"],
    )
