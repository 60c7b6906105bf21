"""Decisions: members read the register; co-chairs run decisions; focal points their agency."""

from . import CO_CHAIRS, FOCAL_POINTS, MEMBERS, Page, allow

# Drafts are seen by those who draft and run decisions; other members get a 404.
DRAFT_READERS = allow(CO_CHAIRS, **{role: 404 for role in MEMBERS if role not in CO_CHAIRS})


def _draft(world, **kwargs):
    from tests.factories import DecisionFactory

    return DecisionFactory(**kwargs)


def _open(world, **kwargs):
    from decisions.services import decision_open

    return decision_open(decision=_draft(world, **kwargs), by=world.users["iom_focal"])


def _all_positions(world, decision):
    from decisions.services import position_record
    from members.models import Appointment

    for appointment in Appointment.objects.active().filter(kind="focal_point"):
        position_record(
            decision=decision,
            organisation=appointment.organisation,
            stance="concur",
            by=appointment.person,
        )
    return decision


def _withdrawn(world):
    from decisions.services import decision_withdraw

    return decision_withdraw(
        decision=_open(world), reason="Superseded", by=world.users["iom_focal"]
    )


def _pk(factory):
    return lambda world: {"pk": factory(world).pk}


def _unhcr(world):
    return {"behalf-stance": "concur", "behalf-organisation": world.organisation("UNHCR").pk}


def _meeting_under_way(world):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import MeetingFactory

    now = timezone.now()
    meeting = MeetingFactory(
        status="scheduled", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    return {"meeting": meeting.pk}


LATER = "2099-01-01T10:00"

PAGES = [
    Page("decisions:list", allow(MEMBERS)),
    Page(
        "decisions:list", allow(MEMBERS), data={"q": "statement", "status": "open"}, note="filtered"
    ),
    Page(
        "decisions:meeting_suggestions",
        allow(MEMBERS),
        data={"meeting_q": "meeting", "status": "open"},
        htmx=True,
    ),
    Page("decisions:export_csv", allow(MEMBERS)),
    Page("decisions:export_xlsx", allow(MEMBERS)),
    # Asking for the Excel file: a background job, then the job page (302).
    Page("decisions:export_xlsx", allow(MEMBERS, ok=302), method="post", note="ask for the file"),
    Page("decisions:create", allow(CO_CHAIRS)),
    Page(
        "decisions:create",
        allow(CO_CHAIRS, ok=302),
        method="post",
        data={"title": "New", "text": "Text", "procedure": "meeting"},
    ),
    Page("decisions:detail", allow(MEMBERS), kwargs=_pk(_open)),
    Page("decisions:detail", DRAFT_READERS, kwargs=_pk(_draft), note="draft"),
    Page("decisions:tally", allow(MEMBERS), kwargs=_pk(_open), htmx=True),
    Page("decisions:record", allow(MEMBERS), kwargs=_pk(_open)),
    Page("decisions:edit", allow(CO_CHAIRS), kwargs=_pk(_draft)),
    Page(
        "decisions:edit",
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(_draft),
        method="post",
        data={"title": "Edited", "text": "Edited text", "procedure": "meeting"},
    ),
    Page("decisions:open", allow(CO_CHAIRS), kwargs=_pk(_draft)),
    Page("decisions:open", allow(CO_CHAIRS, ok=302), kwargs=_pk(_draft), method="post"),
    # Each focal point and alternate records the position of their own agency only.
    Page(
        "decisions:position",
        allow(FOCAL_POINTS, ok=302),
        kwargs=_pk(_open),
        method="post",
        data={"stance": "concur"},
    ),
    Page(
        "decisions:position_on_behalf",
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(lambda world: _open(world, procedure="meeting", deadline=None)),
        method="post",
        data=_unhcr,
    ),
    Page("decisions:close", allow(CO_CHAIRS), kwargs=_pk(lambda w: _all_positions(w, _open(w)))),
    Page(
        "decisions:close",
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(lambda w: _all_positions(w, _open(w))),
        method="post",
    ),
    Page(
        "decisions:remind",
        # The second co-chair is told the agencies were just reminded (a message, no email).
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(_open),
        method="post",
    ),
    Page("decisions:extend", allow(CO_CHAIRS), kwargs=_pk(_open)),
    Page(
        "decisions:extend",
        # ILO's co-chair comes second: the deadline is already LATER, a form error (400).
        allow(CO_CHAIRS, ok=302, ilo_focal=400),
        kwargs=_pk(_open),
        method="post",
        data={"new_deadline": LATER, "reason": "Awaiting clearance"},
    ),
    Page("decisions:withdraw", allow(CO_CHAIRS), kwargs=_pk(_open)),
    Page(
        "decisions:withdraw",
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(_open),
        method="post",
        data={"reason": "Superseded"},
    ),
    Page("decisions:revise", allow(CO_CHAIRS), kwargs=_pk(_withdrawn)),
    Page(
        "decisions:revise",
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(_withdrawn),
        method="post",
        data={"title": "Revised", "text": "Revised text", "procedure": "meeting"},
    ),
    Page(
        "decisions:meeting_positions",
        # The meeting is looked up first: the admin and guests do not see it at all.
        allow(CO_CHAIRS, ok=302, admin=404, guest=404),
        kwargs=_meeting_under_way,
        method="post",
    ),
]
