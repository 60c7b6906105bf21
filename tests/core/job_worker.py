"""Celery app of the worker subprocesses started by tests/core/test_job_worker.py.

The portal's own app, on the test broker and queue the test names, with a visibility timeout of
two seconds so a task whose worker died is handed back quickly (production: hours, see settings).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unnm.settings_test")
django.setup()

from tests.core import blocking_job  # noqa: E402
from unnm.celery import app  # noqa: E402

app.conf.update(
    broker_url=os.environ["JOBS_TEST_BROKER_URL"],
    task_always_eager=False,
    task_default_queue=os.environ["JOBS_TEST_QUEUE"],
    broker_transport_options={
        # The suite's broker namespace (unnm/settings_test.py), shared with the test process.
        **app.conf.broker_transport_options,
        "visibility_timeout": 2,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    },
)
blocking_job.register()

__all__ = ["app"]
