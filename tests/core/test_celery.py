"""Celery: a real task through a real worker on Redis, on-commit enqueueing, reliable settings."""

import logging
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from core.mail import enqueue_email_message
from core.tasks import send_email_task
from unnm.celery import app

# The worker test uses a Redis database of its own as broker, so it never consumes (or leaves)
# messages in the database the rest of the suite uses for the cache.
BROKER_DB = 7


def dedicated_broker_url():
    parts = urlsplit(settings.REDIS_URL)
    assert parts.scheme.startswith("redis"), "the suite runs on Redis: set REDIS_URL"
    return urlunsplit(parts._replace(path=f"/{BROKER_DB}"))


def reset_connection_pools():
    # The app keeps its broker connection pools; after changing broker_url they must be rebuilt.
    # This is what Celery itself does after a fork (Celery._after_fork).
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_worker():
    """An in-process worker thread consuming from Redis, with eager execution switched off."""
    broker_url = dedicated_broker_url()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    # The embedded worker sets up Celery's logging on the root logger; the other tests get theirs
    # back afterwards.
    root = logging.getLogger()
    saved_logging = (root.handlers[:], root.level)
    redis.Redis.from_url(broker_url).delete(app.conf.task_default_queue)
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    reset_connection_pools()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as w:
            yield w
    finally:
        app.conf.update(saved)
        reset_connection_pools()
        root.handlers[:], level = saved_logging
        root.setLevel(level)


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


# The task records each email in the ledger (core.EmailLedgerEntry) from the worker's thread.
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_email_task_sent_through_redis(real_worker):
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.endswith(f"/{BROKER_DB}")
    runs = []

    def record_run(task_id=None, task=None, **kwargs):
        delivery = task.request.delivery_info or {}
        runs.append((task_id, bool(task.request.is_eager), delivery.get("routing_key")))

    task_prerun.connect(record_run, weak=False)
    try:
        result = send_email_task.delay(
            subject="Network meeting",
            body="The agenda is attached.",
            to=["focal@example.org"],
            attachments=[("agenda.txt", "SXRlbSAx", "text/plain", True)],
        )
        assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not deliver the email"
    finally:
        task_prerun.disconnect(record_run)

    # Run once, by the worker that consumed it from Redis, not eagerly in this thread.
    assert runs == [(result.id, False, app.conf.task_default_queue)]
    message = mail.outbox[0]
    assert message.subject == "[UNNM Portal] Network meeting"
    assert message.to == ["focal@example.org"]
    assert message.attachments[0][0] == "agenda.txt"
    assert message.attachments[0][1] in ("Item 1", b"Item 1")


@pytest.mark.django_db
def test_an_email_is_enqueued_only_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    message = EmailMessage("Decision recorded", "UNNM-BH-2026-001", to=["rco@example.org"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_email_message(message)
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert [sent.subject for sent in mail.outbox] == ["[UNNM Portal] Decision recorded"]


@pytest.mark.django_db
def test_no_email_is_enqueued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    message = EmailMessage("Never sent", "Rolled back", to=["rco@example.org"])

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_email_message(message)
        raise RuntimeError("the service failed after building the email")

    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_binary_attachments_survive_the_json_round_trip(django_capture_on_commit_callbacks):
    message = EmailMessage("Minutes", "Attached.", to=["rco@example.org"])
    pdf = b"%PDF-1.7\n\x00\xff binary"
    message.attach("minutes.pdf", pdf, "application/pdf")

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_email_message(message)

    assert mail.outbox[0].attachments[0][:2] == ("minutes.pdf", pdf)


def test_reliability_settings_follow_the_foundation_issue():
    conf = app.conf

    # Late acks AND reject on worker lost: a task whose worker is killed is delivered again.
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_max_memory_per_child > 0
    # Redis re-delivers an unacknowledged task after the visibility timeout: longer than any task.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]


def test_only_transient_email_errors_are_retried_with_back_off():
    import smtplib

    task = send_email_task
    assert task.retry_backoff
    assert task.retry_jitter is True
    assert task.max_retries >= 3
    assert smtplib.SMTPServerDisconnected in task.autoretry_for
    assert ConnectionError in task.autoretry_for
    # A refused recipient or a malformed message will not get better by retrying.
    assert smtplib.SMTPRecipientsRefused not in task.autoretry_for
    assert ValueError not in task.autoretry_for


def test_without_redis_the_embedded_default_runs_tasks_eagerly(monkeypatch):
    import importlib
    import sys

    for name, value in {"REDIS_URL": "", "DEBUG": "true", "SECRET_KEY": ""}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CELERY_TASK_ALWAYS_EAGER", raising=False)
    monkeypatch.delitem(sys.modules, "unnm.settings", raising=False)
    embedded = importlib.import_module("unnm.settings")

    assert embedded.CELERY_TASK_ALWAYS_EAGER is True
    assert embedded.CELERY_BROKER_URL == "memory://"
    assert embedded.CACHES["default"]["BACKEND"].endswith("LocMemCache")
