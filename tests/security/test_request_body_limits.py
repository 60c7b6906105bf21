"""Oversized request bodies are refused (413) before they are read: no temporary file."""

from pathlib import Path

import pytest
import yaml
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from meetings.models import Document
from tests.factories import co_chair, past_meeting

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
BOUNDARY = "----unnm-test-boundary"
# Files Django started to write while parsing a request (reset by each test).
STARTED_FILES = []


class RecordingUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for large files, noting each temporary file it opens."""

    def new_file(self, *args, **kwargs):
        STARTED_FILES.append(args[1] if len(args) > 1 else kwargs.get("file_name"))
        return super().new_file(*args, **kwargs)


@pytest.fixture(autouse=True)
def _recording_upload_handler(settings):
    STARTED_FILES.clear()
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]


def _multipart(size, **fields):
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return b"".join([*parts, head, b"%PDF" + bytes(size - 4), f"\r\n--{BOUNDARY}--\r\n".encode()])


def _post(client, url, body):
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


def test_a_60_mb_post_to_the_sign_in_page_is_refused_before_it_is_read():
    response = _post(Client(), reverse("account_login"), _multipart(60 * MB, login="x@y.org"))

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert STARTED_FILES == []


def test_a_small_upload_to_a_page_without_files_still_goes_through():
    # The control: below the limit the same request is read (and a file started).
    response = _post(Client(), reverse("account_login"), _multipart(1 * MB, login="x@y.org"))

    assert response.status_code == 200
    assert STARTED_FILES == ["big.pdf"]


def test_uploads_over_the_upload_limit_are_refused_before_they_are_read(settings):
    settings.MAX_UPLOAD_SIZE = 1 * MB
    chair = co_chair()
    meeting = past_meeting(status="scheduled")
    client = Client()
    client.force_login(chair)
    url = reverse("meetings:document_upload", args=[meeting.pk])

    response = _post(client, url, _multipart(6 * MB, title="Report"))

    assert response.status_code == 413
    assert STARTED_FILES == []
    assert not Document.objects.exists()


def test_upload_pages_accept_bodies_up_to_the_upload_limit(settings):
    settings.MAX_UPLOAD_SIZE = 8 * MB
    chair = co_chair()
    meeting = past_meeting(status="scheduled")
    client = Client()
    client.force_login(chair)
    url = reverse("meetings:document_upload", args=[meeting.pk])

    response = _post(client, url, _multipart(6 * MB, title="Report"))

    assert response.status_code != 413
    assert STARTED_FILES == ["big.pdf"]


def test_the_shipped_gunicorn_caps_request_lines_and_headers():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = " ".join(compose["services"]["web"]["command"])
    dockerfile = (ROOT / "Dockerfile").read_text()

    for flag in ("--limit-request-line", "--limit-request-fields", "--limit-request-field_size"):
        assert flag in web
        assert f'"{flag}"' in dockerfile
