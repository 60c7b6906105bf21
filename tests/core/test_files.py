"""Stored files: private storage, one download view that asks the owning app, upload checks."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

from core.files import (
    register_download_check,
    safe_filename,
    stored_file_delete,
    stored_file_save,
)
from core.uploads import ALLOWED_TYPES, check_upload, upload_help_text
from tests.conftest import DEMO_USERS
from tests.factories import UserFactory
from tests.permission_matrix import CO_CHAIRS, MEMBERS, ROLES
from tests.permission_matrix.meetings import _document
from tests.permission_matrix.reports import _draft, _final, _shared_update
from tests.permission_matrix.workplan import _workplan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages below are checked in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


def real_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def real_png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def real_xlsx():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- Upload validation -----------------------------------------------------------------------


def test_plain_text_is_refused_even_when_it_is_text():
    assert "not accepted" in check_upload(upload("minutes.txt", b"Minutes of the meeting"))
    assert "not accepted" in check_upload(upload("list.csv", b"a,b\n1,2\n"))


def test_a_file_named_pdf_with_other_content_is_refused():
    assert "does not match" in check_upload(upload("report.pdf", b"<html>not a pdf</html>"))
    # A real spreadsheet is still not a Word document.
    assert "does not match" in check_upload(upload("note.docx", real_xlsx()))
    # Nor an image a PDF.
    assert "does not match" in check_upload(upload("scan.pdf", real_png()))


def test_real_pdfs_images_and_office_files_are_accepted():
    assert check_upload(upload("briefing.pdf", real_pdf())) is None
    assert check_upload(upload("photo.png", real_png())) is None
    assert check_upload(upload("budget.xlsx", real_xlsx())) is None


def test_empty_and_oversized_files_are_refused(settings):
    assert "empty" in check_upload(upload("empty.pdf", b""))
    settings.MAX_UPLOAD_SIZE = 10
    assert "too big" in check_upload(upload("big.pdf", real_pdf()))


def test_the_help_text_lists_exactly_the_allowed_types(client, demo_world):
    text = str(upload_help_text())
    for entry in ALLOWED_TYPES:
        assert entry.extension in text
    assert ".txt" not in text
    assert ".csv" not in text
    # The upload page shows it, and the file input accepts the same list.
    document = _document(demo_world)
    client.force_login(demo_world.users["iom_focal"])
    page = client.get(reverse("meetings:document_upload", args=[document.meeting_id]))
    html = page.content.decode()
    assert ".docx" in html
    assert 'accept=".pdf,' in html
    assert ".txt" not in html


# --- Storing ---------------------------------------------------------------------------------


def test_a_stored_file_records_checksum_size_version_and_owner(settings):
    owner = UserFactory()
    content = real_pdf()
    first = stored_file_save(
        content=content, name="a.pdf", content_type="application/pdf", kind="tests.x", owner=owner
    )
    assert first.sha256 == hashlib.sha256(content).hexdigest()
    assert first.size == len(content)
    assert first.version == 1
    assert first.owner == owner
    # The same content again is the same file; new content is the next version.
    again = stored_file_save(
        content=content, name="a.pdf", content_type="application/pdf", kind="tests.x", owner=owner
    )
    assert again.pk == first.pk
    second = stored_file_save(
        content=content + b"%",
        name="a.pdf",
        content_type="application/pdf",
        kind="tests.x",
        owner=owner,
    )
    assert second.version == 2

    path = Path(second.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="no URL"):
        second.file.url  # noqa: B018


def test_deleting_a_stored_file_removes_its_blob_after_commit(django_capture_on_commit_callbacks):
    stored = stored_file_save(
        content=b"%PDF-1.4", name="x.pdf", content_type="application/pdf", kind="tests.x"
    )
    storage, name = stored.file.storage, stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        stored_file_delete(stored_file=stored)
    assert not storage.exists(name)


def test_private_storage_is_not_served_by_any_url(settings):
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert not private_root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not private_root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert storages["private"].location == str(private_root)

    def document_roots(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from document_roots(entry)
            elif isinstance(entry, URLPattern):
                root = (entry.default_args or {}).get("document_root")
                if root:
                    yield Path(root).resolve()

    for root in document_roots(get_resolver()):
        assert not private_root.is_relative_to(root)
        assert not root.is_relative_to(private_root)


def test_file_names_are_sanitised_for_the_download_header():
    assert safe_filename('../../etc/pass"wd\r\nX-Evil: 1.pdf') == "passwdX-Evil_1.pdf"
    assert safe_filename("تقرير الاجتماع.pdf") == "تقرير_الاجتماع.pdf"
    assert safe_filename("..") == "download"


# --- The download matrix ---------------------------------------------------------------------


def _workplan_pdf(world):
    workplan = _workplan(world)[0]
    return stored_file_save(
        content=real_pdf(),
        name=f"workplan-{workplan.year}.pdf",
        content_type="application/pdf",
        kind="workplan.pdf",
        owner=workplan,
        by=world.users["iom_focal"],
    )


def _report_pdf(make_report):
    """An edition of a report as the generation job keeps it: a stored file and its version."""

    def make(world):
        from reports import services
        from reports.jobs import FILE_KIND

        report = make_report(world)
        chair = world.users["iom_focal"]
        content = real_pdf()
        stored = stored_file_save(
            content=content,
            name=f"report-{report.pk}.pdf",
            content_type="application/pdf",
            kind=FILE_KIND,
            owner=report,
            by=chair,
        )
        services.version_record(
            report=report,
            language="en",
            pdf_bytes=content,
            request_key=f"test:{report.pk}",
            by=chair,
            pdf_file=stored,
        )
        return stored

    return make


DOWNLOADS = {
    # The owning app's rule: who may see the meeting / read the workplan / open the report (see
    # the matrix).
    "meeting document": (lambda world: _document(world).stored_file, MEMBERS),
    "workplan PDF": (_workplan_pdf, MEMBERS),
    # A final report: every member; not the platform admin nor the guest.
    "final bi-annual report PDF": (_report_pdf(_final), MEMBERS),
    # A draft's working copy: only those who prepare reports.
    "draft report PDF": (_report_pdf(_draft), CO_CHAIRS),
    # A Government update shared with the guest: the members and that guest.
    "Government update shared with the guest": (
        _report_pdf(_shared_update),
        (*MEMBERS, "guest"),
    ),
}


@pytest.mark.parametrize("case", list(DOWNLOADS))
def test_only_the_people_the_owning_app_allows_get_the_file(client, demo_world, case):
    make, allowed = DOWNLOADS[case]
    stored = make(demo_world)
    url = reverse("core:file_download", args=[stored.uuid])
    expected = stored.file.open("rb").read()
    stored.file.close()
    for role in ROLES:
        client.logout()
        if role == "anonymous":
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
            continue
        client.force_login(demo_world.person(DEMO_USERS[role]))
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, role
            assert response["Content-Disposition"].startswith("attachment;"), role
            assert stored.name in response["Content-Disposition"]
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Type"] == stored.content_type
            assert b"".join(response.streaming_content) == expected
        else:
            assert response.status_code == 404, role


def test_an_unknown_file_or_a_kind_nobody_registered_is_a_404(client, demo_world):
    import uuid

    member = demo_world.users["rco"]
    client.force_login(member)
    assert client.get(reverse("core:file_download", args=[uuid.uuid4()])).status_code == 404
    orphan = stored_file_save(
        content=real_pdf(),
        name="x.pdf",
        content_type="application/pdf",
        kind="nobody.owns",
        by=member,
    )
    # Even the person who made it: no app says yes, so nobody gets it.
    assert client.get(reverse("core:file_download", args=[orphan.uuid])).status_code == 404


def test_a_check_that_fails_refuses_instead_of_erroring(client, demo_world):
    def broken(user, stored_file):
        raise RuntimeError("bug in an app's check")

    register_download_check("tests.broken", broken)
    stored = stored_file_save(
        content=real_pdf(), name="x.pdf", content_type="application/pdf", kind="tests.broken"
    )
    client.force_login(demo_world.users["rco"])
    assert client.get(reverse("core:file_download", args=[stored.uuid])).status_code == 404


# --- Configuration -----------------------------------------------------------------------------


def _settings_with(monkeypatch, **env):
    import importlib
    import sys

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "unnm.settings", raising=False)
    return importlib.import_module("unnm.settings")


def test_s3_compatible_object_storage_is_configured_from_the_environment(monkeypatch):
    from storages.backends.s3 import S3Storage

    configured = _settings_with(
        monkeypatch,
        PRIVATE_STORAGE_BACKEND="s3",
        PRIVATE_STORAGE_BUCKET="unnm-private",
        PRIVATE_STORAGE_ENDPOINT_URL="http://minio:9000",
        PRIVATE_STORAGE_REGION="eu-central-1",
        PRIVATE_STORAGE_ACCESS_KEY="access",
        PRIVATE_STORAGE_SECRET_KEY="secret",
    )
    private = configured.STORAGES["private"]
    assert private["BACKEND"] == "storages.backends.s3.S3Storage"
    # Built without touching the network: the options are the storage's own.
    storage = S3Storage(**private["OPTIONS"])
    assert (storage.bucket_name, storage.endpoint_url) == ("unnm-private", "http://minio:9000")
    assert storage.region_name == "eu-central-1"
    assert storage.file_overwrite is False
    assert storage.default_acl is None


def test_by_default_stored_files_are_local_and_an_unknown_backend_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("PRIVATE_STORAGE_BACKEND", raising=False)
    default = _settings_with(monkeypatch)
    assert default.STORAGES["private"]["BACKEND"] == "core.storage.PrivateFileSystemStorage"
    with pytest.raises(ImproperlyConfigured):
        _settings_with(monkeypatch, PRIVATE_STORAGE_BACKEND="ftp")
