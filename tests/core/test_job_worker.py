"""A job whose worker is killed mid-task is run again by a real worker on Redis (issue 9 §2).

Two real `celery worker` processes, one after the other, on a Redis database of their own and a
queue named for this test run: the first is SIGKILLed while the job runs; the second gets the task
back from Redis (late acks; short visibility timeout in tests/core/job_worker.py) and finishes it.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from core.jobs import job_enqueue
from core.models import Job, StoredFile
from tests.core import blocking_job
from tests.factories import UserFactory
from unnm.celery import app

ROOT = Path(__file__).resolve().parents[2]
# Not the cache's database (which tests flush), nor test_celery.py's broker (7).
BROKER_DB = 13


def _broker_url():
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit(parts._replace(path=f"/{BROKER_DB}"))


def _wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _reset_pools():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker_env(settings, tmp_path):
    queue = f"jobs-kill-{uuid.uuid4().hex[:12]}"
    flags = tmp_path / "flags"
    flags.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unnm.settings_test",
        # The worker reaches the test database this process created and committed to.
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{key: connection.settings_dict[key] or "" for key in ("USER", "HOST", "PORT", "NAME")}
        ),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "JOBS_TEST_BROKER_URL": _broker_url(),
        "JOBS_TEST_QUEUE": queue,
        "JOBS_TEST_FLAG_DIR": str(flags),
    }
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    app.conf.update(broker_url=_broker_url(), task_always_eager=False, task_default_queue=queue)
    _reset_pools()
    blocking_job.register()
    workers = []

    def start(name):
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - the project's own worker, this interpreter
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.core.job_worker",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{name}-{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append(process)
        return process

    yield {"start": start, "flags": flags, "queue": queue, "logs": tmp_path}
    for process in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    client = redis.Redis.from_url(_broker_url())
    client.delete(queue)
    app.conf.update(saved)
    _reset_pools()


def _logs(directory):
    return "\n".join(path.read_text(errors="replace")[-6000:] for path in directory.glob("*.log"))


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_mid_task_is_finished_by_another_worker(worker_env):
    job = job_enqueue(kind=blocking_job.KIND, by=UserFactory())
    first = worker_env["start"]("first")
    started = worker_env["flags"] / "started-1"
    assert _wait_for(started.exists), "the first worker never started the job:\n" + _logs(
        worker_env["logs"]
    )
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING

    os.killpg(first.pid, signal.SIGKILL)  # mid-task: no ack, no clean-up
    first.wait(timeout=30)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (Job.Status.RUNNING, 1, 50)

    worker_env["start"]("second")

    def finished():
        job.refresh_from_db()
        return job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED)

    assert _wait_for(finished), "the job was not run again:\n" + _logs(worker_env["logs"])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.attempts == 2
    assert (worker_env["flags"] / "started-2").exists()
    assert StoredFile.objects.filter(kind=blocking_job.KIND).count() == 1
    assert job.result.name == "after-the-kill.pdf"
