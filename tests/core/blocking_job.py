"""A job kind for the worker-kill test: its first attempt blocks until its worker is killed.

Imported by tests/core/test_job_worker.py and by the worker subprocess (tests/core/job_worker.py),
so both processes know the kind. The flag directory comes from the environment of the worker.
"""

import os
import time
from pathlib import Path

KIND = "tests.blocking"


def blocking_job(job, report_progress):
    from core.files import stored_file_save

    flags = Path(os.environ["JOBS_TEST_FLAG_DIR"])
    (flags / f"started-{job.attempts}").touch()
    report_progress(50, "working")
    if job.attempts == 1:
        # The worker running this is SIGKILLed by the test; the sleep is bounded all the same.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.1)
        raise RuntimeError("the worker was supposed to be killed")
    return stored_file_save(
        content=b"%PDF-1.4\n%%EOF\n",
        name="after-the-kill.pdf",
        content_type="application/pdf",
        kind=KIND,
        owner=job,
    )


def register():
    from core.jobs import register_job_kind

    register_job_kind(KIND, blocking_job, label="Blocking test job", notify=False)
