"""Attachments of referrals and messages: checked on upload, encrypted at rest, downloaded only by
the two sides (the receiving side only while consent covers documents), logged, erased, rotated."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core.models import StoredFile
from referrals import services
from referrals.attachments import KIND, attachment_add
from referrals.models import AccessLogEntry, ReferralAttachment
from tests.conftest import DEMO_USERS

from .conftest import FICTIONAL_NAME, make_referral

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% " + FICTIONAL_NAME.encode() + b"\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EVERYONE = [*DEMO_USERS, "unicef_referrals"]
SIDES = {"iom_referrals", "unhcr_referrals"}


def _upload(name="passport.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _attach(rworld, referral, **kwargs):
    return attachment_add(
        referral=referral, upload=_upload(**kwargs), by=rworld.users["iom_referrals"]
    )


def _url(attachment):
    return reverse(
        "referrals:attachment",
        kwargs={
            "reference": attachment.referral.reference,
            "uuid": attachment.stored_file.uuid,
        },
    )


def _raw_name(attachment):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM referrals_referralattachment WHERE id = %s", [attachment.pk]
        )
        return cursor.fetchone()[0]


def _blob(stored_file):
    return Path(stored_file.file.path).read_bytes()


def test_the_stored_blob_shows_no_plaintext(rworld):
    referral = make_referral(rworld)
    attachment = _attach(rworld, referral, name=f"{FICTIONAL_NAME}.pdf")
    raw = _blob(attachment.stored_file)
    assert not raw.startswith(b"%PDF")
    assert b"%PDF" not in raw and FICTIONAL_NAME.encode() not in raw
    # The file name, which names the person, is neither in storage nor in the StoredFile row.
    stored = StoredFile.objects.get(pk=attachment.stored_file_id)
    for word in FICTIONAL_NAME.split():
        assert word not in stored.name and word not in stored.file.name
        assert word not in _raw_name(attachment)
    assert attachment.name == "Zephyrine_Quillfeather.pdf"  # read back, decrypted


def test_upload_through_the_page_and_the_two_sides_download_it(rworld, client):
    referral = make_referral(rworld)
    client.force_login(rworld.users["iom_referrals"])
    url = reverse("referrals:attachment_add", kwargs={"reference": referral.reference})
    response = client.post(url, {"file": _upload()})
    assert response.status_code == 302
    attachment = ReferralAttachment.objects.get(referral=referral)
    for key in EVERYONE:
        client.force_login(rworld.users[key])
        response = client.get(_url(attachment))
        expected = 200 if key in SIDES else 404
        assert response.status_code == expected, key
        if expected == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
    # The core download view never hands out the ciphertext: no check is registered.
    client.force_login(rworld.users["iom_referrals"])
    core_url = reverse("core:file_download", kwargs={"uuid": attachment.stored_file.uuid})
    assert client.get(core_url).status_code == 404


def test_wrong_type_and_too_big_are_refused_with_a_message(rworld, client, settings):
    referral = make_referral(rworld)
    client.force_login(rworld.users["iom_referrals"])
    url = reverse("referrals:attachment_add", kwargs={"reference": referral.reference})
    response = client.post(
        url, {"file": _upload(name="notes.pdf", content=b"plain text")}, follow=True
    )
    assert "does not match its type" in response.content.decode()
    response = client.post(url, {"file": _upload(name="x.exe", content=b"MZ")}, follow=True)
    assert "not accepted" in response.content.decode()
    settings.MAX_UPLOAD_SIZE = 10
    response = client.post(url, {"file": _upload()}, follow=True)
    assert "too big" in response.content.decode()
    # A message with a refused file is not posted either.
    response = client.post(
        reverse("referrals:messages", kwargs={"reference": referral.reference}),
        {"body": "See attached", "file": _upload()},
        follow=True,
    )
    assert "too big" in response.content.decode()
    assert not ReferralAttachment.objects.exists()
    assert not referral.messages.exists()
    assert not StoredFile.objects.filter(kind=KIND).exists()


def test_a_message_carries_an_attachment(rworld, client):
    referral = make_referral(rworld)
    client.force_login(rworld.users["unhcr_referrals"])
    response = client.post(
        reverse("referrals:messages", kwargs={"reference": referral.reference}),
        {"body": "Report attached", "file": _upload(name="report.pdf")},
    )
    assert response.status_code == 302
    attachment = ReferralAttachment.objects.get()
    assert attachment.message == referral.messages.get()
    client.force_login(rworld.users["iom_referrals"])
    page = client.get(referral.get_absolute_url()).content.decode()
    assert _url(attachment) in page
    assert client.get(_url(attachment)).status_code == 200


def test_every_download_is_logged(rworld, client):
    referral = make_referral(rworld)
    attachment = _attach(rworld, referral)
    client.force_login(rworld.users["unhcr_referrals"])
    before = AccessLogEntry.objects.filter(referral=referral, action="file.download").count()
    client.get(_url(attachment))
    client.get(_url(attachment))
    entries = AccessLogEntry.objects.filter(referral=referral, action="file.download")
    assert entries.count() == before + 2
    assert entries.first().user == rworld.users["unhcr_referrals"]


def test_consent_without_documents_hides_files_from_the_receiving_side(rworld, client):
    referral = make_referral(rworld, consent=["identity", "case"])
    attachment = _attach(rworld, referral)
    client.force_login(rworld.users["unhcr_referrals"])
    assert client.get(_url(attachment)).status_code == 404
    client.force_login(rworld.users["iom_referrals"])
    assert client.get(_url(attachment)).status_code == 200


def test_withdrawal_of_consent_cuts_file_access_at_once(rworld, client):
    referral = make_referral(rworld)
    attachment = _attach(rworld, referral)
    client.force_login(rworld.users["unhcr_referrals"])
    assert client.get(_url(attachment)).status_code == 200
    services.consent_withdraw(referral=referral, by=rworld.users["iom_referrals"])
    assert client.get(_url(attachment)).status_code == 404
    upload_url = reverse("referrals:attachment_add", kwargs={"reference": referral.reference})
    assert client.post(upload_url, {"file": _upload()}).status_code == 404


def test_erasure_deletes_the_blob(rworld, django_capture_on_commit_callbacks):
    referral = make_referral(rworld)
    attachment = _attach(rworld, referral)
    path = Path(attachment.stored_file.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_erase(referral=referral, by=rworld.users["iom_referrals"])
    assert not path.exists()
    assert not ReferralAttachment.objects.filter(pk=attachment.pk).exists()
    assert not StoredFile.objects.filter(pk=attachment.stored_file_id).exists()


def test_rotation_re_encrypts_and_the_file_still_downloads(
    rworld, client, settings, django_capture_on_commit_callbacks
):
    old_key = settings.REFERRALS_ENCRYPTION_KEYS[0]
    referral = make_referral(rworld)
    attachment = _attach(rworld, referral)
    old_path = Path(attachment.stored_file.file.path)
    new_key = Fernet.generate_key().decode()
    settings.REFERRALS_ENCRYPTION_KEYS = [new_key, old_key]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_referral_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    attachment.refresh_from_db()
    assert not old_path.exists()
    raw = _blob(attachment.stored_file)
    assert Fernet(new_key.encode()).decrypt(raw) == PDF
    settings.REFERRALS_ENCRYPTION_KEYS = [new_key]
    client.force_login(rworld.users["unhcr_referrals"])
    response = client.get(_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
