"""Scheduled work on `make run`: the real worker and beat on the filesystem broker close a decision.

The worker and beat are started as `make run` starts them (the commands of Procfile.dev), in their
own processes, on kombu's filesystem broker in a folder of this test and on this test's PostgreSQL
database (under pytest-xdist, the database of this xdist worker). Rows are committed
(`transactional_db`) so those processes see them.
"""

import email
import os
import shlex
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from core.models import AuditEntry
from decisions import services
from decisions.models import Decision, SentNotification
from tests.factories import co_chair, focal_point, open_decision

pytestmark = pytest.mark.integration

BASE_DIR = Path(__file__).resolve().parents[2]
# Beat sends the closing task this often in this test (`make run` uses 10 s, production a minute).
TICK_SECONDS = 1
# No wait in this test is longer than this.
MAX_WAIT = 90


def procfile_command(name):
    """The command line `make run` starts for `name`, with this interpreter as the Python."""
    for line in (BASE_DIR / "Procfile.dev").read_text().splitlines():
        if line.startswith(f"{name}:"):
            args = shlex.split(line.partition(":")[2])
            assert args[0].endswith("/python"), line
            return [sys.executable, *args[1:]]
    raise AssertionError(f"Procfile.dev has no {name} process")


def database_url_of_this_test():
    """The address of the database this test runs on, for the worker and beat."""
    conf = connection.settings_dict
    assert conf["ENGINE"] == "django.db.backends.postgresql"
    credentials = quote(conf["USER"] or "", safe="")
    if conf["PASSWORD"]:
        credentials += ":" + quote(conf["PASSWORD"], safe="")
    host = conf["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{conf['PORT'] or 5432}/{quote(conf['NAME'], safe='')}"


def wait_for(condition, timeout, explain):
    """Wait until `condition()`, at most `timeout` seconds; else fail with `explain()`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(explain())


class Scheduler:
    """The worker and beat processes of one test, their logs and the emails they sent."""

    def __init__(self, folder):
        self.folder = folder
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()
        self.processes = {}
        self.env = {
            key: value
            for key, value in os.environ.items()
            # What the test settings put in the environment stays out: these processes run on the
            # settings `make run` uses.
            if key
            not in {"DJANGO_SETTINGS_MODULE", "CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL"}
        } | {
            "DJANGO_SETTINGS_MODULE": "unnm.settings",
            "DEBUG": "true",
            "DATABASE_URL": database_url_of_this_test(),
            "REDIS_URL": "",
            "CELERY_DEV_BROKER_DIR": str(folder / "broker"),
            "DECISIONS_CLOSE_EVERY_SECONDS": str(TICK_SECONDS),
            # The console backend of `make run`, but into files this test can read.
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
        }

    def start(self, name):
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our interpreter, our Procfile
            procfile_command(name),
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, so stopping it reaches whatever it started.
            start_new_session=True,
        )
        log.close()

    def running(self):
        """True while every process runs; a process that exited fails the test with its log."""
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise AssertionError(f"{name} exited ({process.returncode}):\n{self.log(name)}")
        return True

    def log(self, name):
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)

    def closing_runs(self):
        """What each run of the closing task by the worker returned (how many it closed)."""
        marker = "decisions.tasks.close_due_decisions_task["
        return [
            int(line.rsplit(":", 1)[1])
            for line in self.log("worker").splitlines()
            if marker in line and " succeeded in " in line
        ]

    def emails(self):
        """Every message the worker sent, parsed from the file backend's files."""
        separator = "\n" + "-" * 79 + "\n"
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            for chunk in path.read_text().split(separator):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk.lstrip("\n")))
        return messages


@pytest.fixture
def scheduler(transactional_db, tmp_path):
    """The real worker and beat of `make run`, started and ready; stopped whatever happens."""
    scheduler = Scheduler(tmp_path)
    try:
        scheduler.start("worker")
        scheduler.start("beat")
        wait_for(
            lambda: scheduler.running() and " ready." in scheduler.log("worker"),
            MAX_WAIT,
            lambda: "the worker did not start:\n" + scheduler.log("worker")[-3000:],
        )
        wait_for(
            lambda: (
                scheduler.running()
                and "Sending due task decisions-close-due" in scheduler.log("beat")
            ),
            MAX_WAIT,
            lambda: "beat sent nothing:\n" + scheduler.log("beat")[-3000:],
        )
        yield scheduler
    finally:
        scheduler.stop()


def test_the_real_worker_and_beat_close_a_due_decision_at_its_deadline_exactly_once(scheduler):
    chair = co_chair(full_name="Chair Person")
    focal_a = focal_point(full_name="Focal A")
    focal_b = focal_point(full_name="Focal B")
    deadline = timezone.now() + timedelta(seconds=8)
    # Opened with the network's minimum notice, then brought to eight seconds from its deadline:
    # the test stands where the network will be a day later.
    decision = open_decision(by=chair, deadline=timezone.now() + timedelta(days=2))
    Decision.objects.filter(pk=decision.pk).update(deadline=deadline)
    decision.refresh_from_db()
    for person in (chair, focal_a, focal_b):
        services.position_record(
            decision=decision, organisation=person.organisation, stance="concur", by=person
        )

    # Beat keeps sending the closing task, and the worker runs it, but nothing closes early.
    while timezone.now() < deadline - timedelta(seconds=0.5):
        decision.refresh_from_db()
        assert decision.status == Decision.Status.OPEN
        time.sleep(0.2)
    assert scheduler.closing_runs(), "the worker never ran the closing task before the deadline"
    assert set(scheduler.closing_runs()) == {0}

    wait_for(
        lambda: (
            scheduler.running()
            and Decision.objects.get(pk=decision.pk).status != Decision.Status.OPEN
        ),
        MAX_WAIT,
        lambda: "the decision did not close at its deadline:\n" + scheduler.log("worker")[-3000:],
    )
    decision.refresh_from_db()
    runs_when_closed = len(scheduler.closing_runs())
    recipients = sorted(person.email for person in (chair, focal_a, focal_b))

    def announced():
        return [
            m for m in scheduler.emails() if m["Subject"].endswith(f"{decision.reference}: Adopted")
        ]

    # The outcome goes out; then beat ticks a few more times without closing anything again.
    wait_for(
        lambda: (
            len(announced()) >= len(recipients)
            and len(scheduler.closing_runs()) >= runs_when_closed + 3
        ),
        MAX_WAIT,
        lambda: "no outcome emails, or beat stopped ticking:\n" + scheduler.log("worker")[-3000:],
    )

    assert decision.status == Decision.Status.ADOPTED
    assert decision.closed_by is None
    assert deadline <= decision.closed_at <= deadline + timedelta(seconds=30)
    assert decision.outcome["adopted"] is True
    assert scheduler.closing_runs().count(1) == 1
    closings = AuditEntry.objects.filter(
        action="decisions.decision.closed", object_id=str(decision.pk)
    )
    assert closings.count() == 1
    assert closings.get().data["automatic"] is True
    assert SentNotification.objects.filter(decision=decision, kind="outcome").count() == 1
    assert sorted(m["To"] for m in announced()) == recipients


# --- the settings `make run` gives these processes -----------------------------------------------


def test_the_development_broker_is_a_shared_folder_and_tasks_are_not_eager(tmp_path):
    from tests.core.test_settings import settings_with

    broker = tmp_path / "broker"
    conf = settings_with(
        {"DEBUG": "true", "REDIS_URL": "", "CELERY_DEV_BROKER_DIR": str(broker)},
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_BROKER_TRANSPORT_OPTIONS",
    )

    assert conf["CELERY_BROKER_URL"].startswith("filesystem://")
    assert conf["CELERY_TASK_ALWAYS_EAGER"] is False
    options = conf["CELERY_BROKER_TRANSPORT_OPTIONS"]
    # Web, worker and beat all send to and read from one folder.
    assert options["data_folder_in"] == options["data_folder_out"] == str(broker / "queue")
    assert options["processed_folder"] == str(broker / "processed")
    assert options["control_folder"] == str(broker / "control")
    assert all((broker / name).is_dir() for name in ("queue", "processed", "control"))


def test_redis_or_an_explicit_broker_url_wins_over_the_development_folder(tmp_path):
    from tests.core.test_settings import settings_with

    folder = {"DEBUG": "true", "CELERY_DEV_BROKER_DIR": str(tmp_path / "broker")}
    redis = settings_with(folder | {"REDIS_URL": "redis://127.0.0.1:6379/5"}, "CELERY_BROKER_URL")
    explicit = settings_with(
        folder | {"REDIS_URL": "", "CELERY_BROKER_URL": "redis://broker.internal:6379/1"},
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
    )

    assert redis["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/5"
    assert explicit["CELERY_BROKER_URL"] == "redis://broker.internal:6379/1"
    assert explicit["CELERY_TASK_ALWAYS_EAGER"] is False


WRITER = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "unnm.settings"
import django
django.setup()
from django.db import connection, transaction
for _ in range(int(sys.argv[1])):
    # Read, then write, in one transaction: what a service does. In SQLite's default (deferred)
    # mode, two of these at once fail with "database is locked" instead of waiting.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        (n,) = cursor.fetchone()
        cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
"""


def test_web_worker_and_beat_can_write_to_one_sqlite_file_at_once(tmp_path):
    import sqlite3

    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        db.execute("INSERT INTO counter VALUES (1, 0)")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    writers = [
        subprocess.Popen(  # noqa: S603 - our interpreter, our script
            [sys.executable, "-c", WRITER, "200"],
            cwd=BASE_DIR,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    errors = [writer.communicate(timeout=MAX_WAIT)[1] for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0, 0], "\n".join(errors)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT n FROM counter").fetchone() == (600,)
