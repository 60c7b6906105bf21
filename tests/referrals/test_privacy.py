"""No personal data leaves the module: emails, audit entries, task arguments and log lines carry
references and ids only. Every step of a referral's life runs here, with every output captured."""

import json
import logging

import pytest
from celery.signals import task_prerun
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from referrals import services
from referrals.models import AccessLogEntry, Referral

from .conftest import FICTIONAL_NAME, make_referral

pytestmark = pytest.mark.django_db

SECRETS = [FICTIONAL_NAME, "Zephyrine", "Quillfeather", "Fictionland", "+000 5550 1234", "abusive"]


def _assert_clean(text, where):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {where}"


def test_no_name_in_emails_audit_entries_task_arguments_or_logs(
    rworld, client, caplog, mailoutbox, settings, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    task_calls = []

    def record_task(sender=None, args=None, kwargs=None, **extra):
        task_calls.append(json.dumps([args, kwargs], default=str))

    task_prerun.connect(record_task, weak=False)
    with django_capture_on_commit_callbacks(execute=True):
        iom, unhcr = rworld.users["iom_referrals"], rworld.users["unhcr_referrals"]
        client.force_login(iom)
        response = client.post(
            reverse("referrals:create"),
            {
                "from_organisation": rworld.organisation("IOM").pk,
                "to_organisation": rworld.organisation("UNHCR").pk,
                "urgency": "emergency",
                "services": ["protection"],
                "full_name": FICTIONAL_NAME,
                "year_of_birth": "1991",
                "nationality": "Fictionland",
                "contact": "+000 5550 1234",
                "summary": "Left an abusive employer.",
            },
        )
        referral = Referral.objects.get(from_organisation=rworld.organisation("IOM"))
        assert response.status_code == 302
        client.post(
            reverse("referrals:consent", args=[referral.reference]),
            {
                "purpose": f"Protection for {FICTIONAL_NAME}",
                "categories": ["identity", "demographics", "contact", "case"],
                "obtained_on": timezone.localdate().isoformat(),
                "method": "verbal",
                "language": "Esperanto",
            },
        )
        for side, action, reason in [
            (iom, "send", ""),
            (unhcr, "acknowledge", ""),
            (unhcr, "accept", ""),
            (unhcr, "close", f"{FICTIONAL_NAME} received shelter"),
        ]:
            client.force_login(side)
            client.post(
                reverse("referrals:transition", args=[referral.reference, action]),
                {"reason": reason},
            )
            client.post(
                reverse("referrals:messages", args=[referral.reference]),
                {"body": f"Note about {FICTIONAL_NAME}"},
            )
        referral.refresh_from_db()
        assert referral.status == "closed"
        services.referral_correct(
            referral=referral, changes={"full_name": "Zephyrine Q."}, by=unhcr
        )
        services.consent_withdraw(referral=referral, by=iom)
        # An overdue one escalates by email to the focal point.
        late = make_referral(rworld, name="Zephyrine Quillfeather-Late")
        Referral.objects.filter(pk=late.pk).update(acknowledge_due_at=timezone.now())
        from referrals.tasks import erase_expired_referrals_task, escalate_overdue_referrals_task

        escalate_overdue_referrals_task.delay()
        settings.REFERRALS_RETENTION_MONTHS = 0
        erase_expired_referrals_task.delay()
    task_prerun.disconnect(record_task)

    assert mailoutbox, "the workflow sends emails"
    for message in mailoutbox:
        _assert_clean(message.subject + message.body, f"email {message.subject!r}")
    assert any(referral.reference in message.body for message in mailoutbox)
    for entry in AuditEntry.objects.filter(action__startswith="referrals."):
        _assert_clean(f"{entry.object_repr} {json.dumps(entry.data)}", f"audit {entry.action}")
    for entry in AccessLogEntry.objects.all():
        _assert_clean(f"{entry.action} {entry}", "the access log")
    assert task_calls, "tasks ran"
    for call in task_calls:
        _assert_clean(call, "task arguments")
    for record in caplog.records:
        _assert_clean(record.getMessage(), f"log {record.name}")
