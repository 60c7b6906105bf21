"""Every read and change writes an access-log row; the log is append-only (the app and, on
PostgreSQL, a trigger refuse UPDATE and DELETE)."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from referrals.models import AccessLogEntry

from .conftest import make_referral

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["detail", "messages", "correct", "access_log"])
def test_every_read_writes_a_row(rworld, client, page):
    referral = make_referral(rworld)
    before = referral.access_log.count()
    client.force_login(rworld.users["unhcr_referrals"])
    response = client.get(
        reverse(f"referrals:{page}", args=[referral.reference]), REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200
    entry = referral.access_log.order_by("-pk").first()
    assert referral.access_log.count() == before + 1
    assert entry.user == rworld.users["unhcr_referrals"]
    assert entry.ip_address == "203.0.113.9"
    assert entry.at is not None


def test_every_change_writes_a_row(rworld, client):
    referral = make_referral(rworld)
    actions = set(referral.access_log.values_list("action", flat=True))
    assert {"create", "consent.record", "send"} <= actions
    client.force_login(rworld.users["unhcr_referrals"])
    client.post(reverse("referrals:transition", args=[referral.reference, "acknowledge"]))
    client.post(reverse("referrals:messages", args=[referral.reference]), {"body": "Hi"})
    actions = set(referral.access_log.values_list("action", flat=True))
    assert {"acknowledge", "message.post"} <= actions


def test_the_two_sides_read_the_log(rworld, client):
    referral = make_referral(rworld)
    client.force_login(rworld.users["iom_referrals"])
    page = client.get(reverse("referrals:access_log", args=[referral.reference]))
    assert "Recorded consent" in page.content.decode()


def test_the_log_reads_in_the_readers_language(rworld, client):
    referral = make_referral(rworld)
    reader = rworld.users["iom_referrals"]
    reader.preferred_language = "ar"
    reader.save(update_fields=["preferred_language"])
    client.force_login(reader)
    page = client.get(reverse("referrals:access_log", args=[referral.reference])).content.decode()
    table = page[page.index('id="access-log"') :]
    assert "consent.record" not in table
    assert "Recorded consent" not in table
    assert "سجّل الموافقة" in table


def test_every_action_the_portal_logs_has_a_label():
    import re
    from pathlib import Path

    from referrals import rules
    from referrals.models import ACCESS_LOG_ACTIONS

    source = "\n".join(path.read_text() for path in Path(rules.__file__).parent.glob("*.py"))
    logged = set(re.findall(r'action="([a-z_.]+)"', source))
    logged |= set(re.findall(r'self\.log\("([a-z_.]+)"\)', source))
    logged |= set(re.findall(r'log_action = "([a-z_.]+)"', source))
    logged |= set(rules.TRANSITIONS)
    assert logged - set(ACCESS_LOG_ACTIONS) == set()


def test_the_application_cannot_change_or_delete_a_row(rworld):
    referral = make_referral(rworld)
    entry = referral.access_log.first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(action="nothing")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE referrals_accesslogentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM referrals_accesslogentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_a_row(rworld, sql):
    referral = make_referral(rworld)
    entry = referral.access_log.first()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert AccessLogEntry.objects.get(pk=entry.pk).action == entry.action
