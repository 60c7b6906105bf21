"""Workplan: members read; co-chairs and the secretariat build it; the lead agency's focal point
or alternate posts progress on its own deliverables; guests and platform admins are refused."""

from core.models import ToRObjective

from . import CO_CHAIRS, MEMBERS, SECRETARIAT, Page, allow

# The matrix deliverable is led by UNICEF: its focal point may post progress, no other agency's.
PROGRESS_WRITERS = (*CO_CHAIRS, "unicef_focal")


def _workplan(world):
    """This year's draft workplan with one UNICEF-led deliverable (made once per test)."""
    if getattr(world, "workplan_matrix", None) is None:
        from django.utils import timezone

        from tests.factories import DeliverableFactory, FundingFactory, WorkplanFactory

        workplan = WorkplanFactory(year=timezone.localdate().year)
        deliverable = DeliverableFactory(
            workplan=workplan, lead_agency=world.organisation("UNICEF"), title="Matrix"
        )
        funding = FundingFactory(deliverable=deliverable)
        world.workplan_matrix = (workplan, deliverable, funding)
    return world.workplan_matrix


def _year(world):
    return {"year": _workplan(world)[0].year}


def _endorsed_year(world):
    """The year of the matrix workplan once endorsed: the share page is offered only then."""
    from django.utils import timezone

    from workplan.services import workplan_endorse

    workplan = _workplan(world)[0]
    if workplan.is_draft:
        workplan_endorse(
            workplan=workplan, endorsed_on=timezone.localdate(), by=world.users["iom_focal"]
        )
    return {"year": workplan.year}


def _deliverable(world):
    return {"pk": _workplan(world)[1].pk}


def _funding(world):
    return {"pk": _workplan(world)[2].pk}


def _agency(world):
    return {"year": _workplan(world)[0].year, "organisation": world.organisation("UNICEF").pk}


def _deliverable_data(world):
    from workplan.models import ThematicArea

    return {
        "title": "Added by the matrix",
        "tor_objectives": [ToRObjective.objects.get(number=2).pk],
        "thematic_area": ThematicArea.objects.get(code="trafficking").pk,
        "lead_agency": world.organisation("UNICEF").pk,
        "start_quarter": 1,
        "end_quarter": 4,
        "budget_required": "1000",
    }


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _progress_data(world):
    return {"date": _today(), "status_after": "at_risk", "note": "Late"}


READERS = allow(MEMBERS)
MANAGERS = allow(CO_CHAIRS)

PAGES = [
    Page("workplan:index", READERS),
    Page("workplan:reference", READERS),
    Page("workplan:create", MANAGERS),
    Page("workplan:detail", READERS, kwargs=_year),
    Page("workplan:detail", READERS, kwargs=_year, data={"status": "on_track"}, note="filtered"),
    Page("workplan:agencies", READERS, kwargs=_year),
    Page("workplan:agency", READERS, kwargs=_agency),
    Page("workplan:timeline", READERS, kwargs=_year),
    Page("workplan:summary", READERS, kwargs=_year),
    Page("workplan:gcm_coverage", READERS, kwargs=_year),
    Page("workplan:export_xlsx", READERS, kwargs=_year),
    # "Generate Excel": readers get a job and are sent to its progress page.
    Page("workplan:export_xlsx", allow(MEMBERS, ok=302), kwargs=_year, method="post"),
    Page("workplan:export_pdf", READERS, kwargs=_year),
    # "Generate PDF": readers get a job and are sent to its progress page.
    Page("workplan:export_pdf", allow(MEMBERS, ok=302), kwargs=_year, method="post"),
    Page("workplan:edit", MANAGERS, kwargs=_year),
    Page("workplan:endorse", MANAGERS, kwargs=_year),
    # The first co-chair endorses; for the second the workplan is no longer a draft (form error).
    Page(
        "workplan:endorse",
        allow(SECRETARIAT, ok=302, ilo_focal=400),
        kwargs=_year,
        method="post",
        data=lambda world: {"endorsed_on": _today()},
    ),
    Page("workplan:share", MANAGERS, kwargs=_endorsed_year),
    # No workplan last year: the co-chairs are sent back with an error message.
    Page("workplan:copy_forward", allow(CO_CHAIRS, ok=302), kwargs=_year, method="post"),
    Page("workplan:deliverable_create", MANAGERS, kwargs=_year),
    Page(
        "workplan:deliverable_create",
        allow(CO_CHAIRS, ok=302),
        kwargs=_year,
        method="post",
        data=_deliverable_data,
    ),
    Page("workplan:deliverable", READERS, kwargs=_deliverable),
    Page("workplan:deliverable_edit", MANAGERS, kwargs=_deliverable),
    Page(
        "workplan:deliverable_edit",
        allow(CO_CHAIRS, ok=302),
        kwargs=_deliverable,
        method="post",
        data=_deliverable_data,
    ),
    Page("workplan:progress_update", allow(PROGRESS_WRITERS), kwargs=_deliverable),
    Page(
        "workplan:progress_update",
        allow(PROGRESS_WRITERS, ok=302),
        kwargs=_deliverable,
        method="post",
        data=_progress_data,
    ),
    Page("workplan:funding_add", MANAGERS, kwargs=_deliverable),
    Page(
        "workplan:funding_add",
        allow(CO_CHAIRS, ok=302),
        kwargs=_deliverable,
        method="post",
        data={"source_kind": "donor", "source": "EU", "amount": "500", "status": "pledged"},
    ),
    # The first co-chair removes the line; for the second it no longer exists.
    Page(
        "workplan:funding_remove",
        allow(SECRETARIAT, ok=302, ilo_focal=404),
        kwargs=_funding,
        method="post",
    ),
]
