"""The person's-data export: a PDF through a platform job, with the consented fields, stored
encrypted, logged, requested and downloaded only by the two sides; no name in params or logs."""

import io
import logging
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Job
from referrals import services
from referrals.exports import EXPORT_KIND
from referrals.models import AccessLogEntry
from tests.conftest import DEMO_USERS

from .conftest import FICTIONAL_NAME, make_referral

pytestmark = pytest.mark.django_db

EVERYONE = [*DEMO_USERS, "unicef_referrals"]
SIDES = {"iom_referrals", "unhcr_referrals"}


def _export(client, referral, user, capture):
    client.force_login(user)
    url = reverse("referrals:export", kwargs={"reference": referral.reference})
    with capture(execute=True):
        response = client.post(url)
    return response


def _pdf_text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_export_pdf_holds_the_consented_fields_and_is_encrypted_at_rest(
    rworld, client, django_capture_on_commit_callbacks, caplog
):
    referral = make_referral(rworld, consent=["identity", "case"])
    caplog.set_level(logging.DEBUG)
    receiver = rworld.users["unhcr_referrals"]
    response = _export(client, referral, receiver, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = Job.objects.get(kind=EXPORT_KIND)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert FICTIONAL_NAME not in str(job.params)
    # The stored file is ciphertext.
    raw = Path(job.result.file.path).read_bytes()
    assert b"%PDF" not in raw
    # The job page links to the module's own download, which decrypts.
    status = client.get(reverse("core:job_status", kwargs={"uuid": job.uuid})).content.decode()
    download = reverse(
        "referrals:export_download", kwargs={"reference": referral.reference, "uuid": job.uuid}
    )
    assert download in status
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = _pdf_text(response.content)
    assert FICTIONAL_NAME in text
    assert "abusive employer" in text  # the case summary was consented
    assert "Fictionland" not in text  # demographics were not
    assert "5550" not in text  # nor contact
    actions = set(AccessLogEntry.objects.filter(referral=referral).values_list("action", flat=True))
    assert {"export.request", "export.generate", "export.download"} <= actions
    for record in caplog.records:
        assert FICTIONAL_NAME not in record.getMessage()
    # core:file_download never serves the ciphertext.
    assert client.get(reverse("core:file_download", args=[job.result.uuid])).status_code == 404


def test_only_the_two_sides_request_and_download(
    rworld, client, django_capture_on_commit_callbacks
):
    referral = make_referral(rworld)
    url = reverse("referrals:export", kwargs={"reference": referral.reference})
    for key in EVERYONE:
        if key in SIDES:
            continue
        client.force_login(rworld.users[key])
        assert client.post(url).status_code == 404, key
    assert not Job.objects.filter(kind=EXPORT_KIND).exists()
    _export(client, referral, rworld.users["iom_referrals"], django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=EXPORT_KIND)
    download = reverse(
        "referrals:export_download", kwargs={"reference": referral.reference, "uuid": job.uuid}
    )
    for key in EVERYONE:
        client.force_login(rworld.users[key])
        expected = 200 if key == "iom_referrals" else 404
        # The receiving side asks for its own export: the sender's may hold what it may not see.
        assert client.get(download).status_code == expected, key
    # Consent withdrawn: the receiving side's own export is cut too; erasure destroys exports.
    _export(client, referral, rworld.users["unhcr_referrals"], django_capture_on_commit_callbacks)
    theirs = Job.objects.filter(
        kind=EXPORT_KIND, requested_by=rworld.users["unhcr_referrals"]
    ).get()
    their_url = reverse(
        "referrals:export_download", kwargs={"reference": referral.reference, "uuid": theirs.uuid}
    )
    assert client.get(their_url).status_code == 200
    services.consent_withdraw(referral=referral, by=rworld.users["iom_referrals"])
    assert client.get(their_url).status_code == 404
    path = Path(job.result.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_erase(referral=referral, by=rworld.users["iom_referrals"])
    assert not path.exists()
    assert Job.objects.get(pk=job.pk).result is None


def test_rotation_re_encrypts_the_export_and_it_still_downloads(
    rworld, client, settings, django_capture_on_commit_callbacks
):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old_key = settings.REFERRALS_ENCRYPTION_KEYS[0]
    referral = make_referral(rworld)
    _export(client, referral, rworld.users["iom_referrals"], django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=EXPORT_KIND)
    old_path = Path(job.result.file.path)
    new_key = Fernet.generate_key().decode()
    settings.REFERRALS_ENCRYPTION_KEYS = [new_key, old_key]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_referral_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert not old_path.exists()
    settings.REFERRALS_ENCRYPTION_KEYS = [new_key]
    download = reverse(
        "referrals:export_download", kwargs={"reference": referral.reference, "uuid": job.uuid}
    )
    response = client.get(download)
    assert response.status_code == 200
    assert FICTIONAL_NAME in _pdf_text(response.content)
