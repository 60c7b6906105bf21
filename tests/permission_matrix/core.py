from . import EVERYONE, MEMBERS, Page, allow

# Stored files and jobs that are not yours do not exist for you: 404, never 403.
FILE_READERS = allow(MEMBERS, denied=404)
REQUESTER = ("iom_focal",)


def _document_file(world):
    from .meetings import _document

    return {"uuid": _document(world).stored_file.uuid}


def _workplan_file(world):
    from core.files import stored_file_save

    from .workplan import _workplan

    workplan = _workplan(world)[0]
    stored = stored_file_save(
        content=b"%PDF-1.4\n%%EOF\n",
        name="workplan.pdf",
        content_type="application/pdf",
        kind="workplan.pdf",
        owner=workplan,
        by=world.users["iom_focal"],
    )
    return {"uuid": stored.uuid}


def _workplan_workbook(world):
    from core.files import stored_file_save

    from .workplan import _workplan

    workplan = _workplan(world)[0]
    stored = stored_file_save(
        content=b"PK\x05\x06" + bytes(18),
        name="workplan.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        kind="workplan.xlsx",
        owner=workplan,
        by=world.users["iom_focal"],
    )
    return {"uuid": stored.uuid}


def _job(world, status="queued"):
    from core.models import Job

    from .workplan import _workplan

    workplan = _workplan(world)[0]
    job = Job.objects.create(
        kind="workplan.pdf",
        requested_by=world.users["iom_focal"],
        concerns=workplan,
        status=status,
        error="Failed" if status == "failed" else "",
    )
    return {"uuid": job.uuid}


PAGES = [
    Page("core:dashboard", allow(EVERYONE)),
    # Everyone signed in searches; each finds only what they may open (tests/core/test_search.py).
    Page("core:search", allow(EVERYONE)),
    Page("core:search", allow(EVERYONE), data={"q": "network"}, note="grouped results"),
    Page(
        "core:search",
        allow(EVERYONE),
        data={"q": "network", "kind": "decisions", "page": "2"},
        note="one kind, page 2",
    ),
    Page(
        "core:set_language",
        allow(EVERYONE, ok=302, anonymous=302),
        method="post",
        data={"language": "en", "next": "/"},
        public=True,
    ),
    Page("core:file_download", FILE_READERS, kwargs=_document_file, note="meeting document"),
    Page("core:file_download", FILE_READERS, kwargs=_workplan_file, note="workplan PDF"),
    Page("core:file_download", FILE_READERS, kwargs=_workplan_workbook, note="workplan Excel"),
    Page("core:job_status", allow(REQUESTER, denied=404), kwargs=_job),
    Page("core:job_status", allow(REQUESTER, denied=404), kwargs=_job, htmx=True, note="htmx"),
    # The requester retries the failed job (it runs again and succeeds); others: 404.
    Page(
        "core:job_retry",
        allow(REQUESTER, ok=302, denied=404),
        kwargs=lambda world: _job(world, status="failed"),
        method="post",
    ),
]
