import pytest

from tests.factories import UserFactory, WorkplanFactory, co_chair, focal_point, member_agency


@pytest.fixture
def lead_agency(db):
    return member_agency(acronym="LEAD")


@pytest.fixture
def lead_focal(lead_agency):
    return focal_point(lead_agency)


@pytest.fixture
def lead_alternate(lead_agency):
    return focal_point(lead_agency, kind="alternate")


@pytest.fixture
def other_focal(db):
    return focal_point(member_agency(acronym="OTHER"))


@pytest.fixture
def chair(db):
    return co_chair(member_agency(acronym="CHAIR"))


@pytest.fixture
def staff(lead_agency):
    """Agency staff of the lead agency: reads, but is not its focal point."""
    return UserFactory(organisation=lead_agency, roles=["agency_staff"])


@pytest.fixture
def guest(db):
    return UserFactory(roles=["guest"])


@pytest.fixture
def workplan(db):
    return WorkplanFactory(year=2026)


@pytest.fixture
def excel_export(client, django_capture_on_commit_callbacks):
    """The year's workbook as a reader gets it: "Generate Excel", the job runs, the download."""
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    from core.models import Job

    def export(year):
        url = reverse("workplan:export_xlsx", args=[year])
        token = client.get(url).context["form_token"]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"form_token": token})
        job = Job.objects.filter(kind="workplan.xlsx").latest("created_at", "pk")
        assert job.status == Job.Status.SUCCEEDED, job.error
        response = client.get(reverse("core:file_download", args=[job.result.uuid]))
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Disposition"].endswith(f'filename="workplan-{year}.xlsx"')
        return load_workbook(BytesIO(b"".join(response.streaming_content)))

    return export
