"""Reports: members read final reports; co-chairs and the secretariat prepare them; co-chairs make
them final and record their submission; a government guest reads the updates shared with them."""

from . import CO_CHAIRS, MEMBERS, Page, allow

# A draft is seen by those who prepare reports; everyone else gets a 404.
DRAFT_ONLY = allow(
    CO_CHAIRS, **{role: 404 for role in (*MEMBERS, "admin", "guest") if role not in CO_CHAIRS}
)
# A final report: every member reads it; the platform admin and the guest get a 404.
FINAL_READERS = allow(MEMBERS, admin=404, guest=404)
# Only co-chairs act on a final report; other members see it (403); outsiders do not (404).
ON_FINAL = allow(CO_CHAIRS, admin=404, guest=404)
H1_2025 = {"kind": "biannual", "year": 2025, "period": "h1"}


def _chair(world):
    return world.users["iom_focal"]


def _draft(world, kind="biannual"):
    from core.registry import Period
    from reports import services

    report = services.report_create(
        kind=kind, period=Period(_date(2025, 1, 1), _date(2025, 6, 30)), by=_chair(world)
    )
    services.narrative_save(
        report=report, language="en", texts={"summary": "Summary."}, by=_chair(world)
    )
    return report


def _final(world, kind="biannual"):
    from reports import services

    return services.report_finalize(report=_draft(world, kind), by=_chair(world))


def _shared_update(world):
    from reports import services

    update = _final(world, "government")
    services.report_share_with_guest(report=update, person=world.users["guest"], by=_chair(world))
    return update


def _date(*args):
    from datetime import date

    return date(*args)


def _pk(factory):
    return lambda world: {"pk": factory(world).pk}


def _shared_pk(world):
    update = _shared_update(world)
    return {"pk": update.pk, "person_pk": world.users["guest"].pk}


def _list_with_shared_update(world):
    _shared_update(world)
    return {}


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


PAGES = [
    Page("reports:list", allow(MEMBERS)),
    Page("reports:list", allow(MEMBERS), data={"q": "progress", "kind": "biannual"}, note="search"),
    Page(
        "reports:list",
        allow(MEMBERS, guest=200),
        kwargs=_list_with_shared_update,
        note="an update shared with the guest",
    ),
    Page("reports:create", allow(CO_CHAIRS)),
    Page(
        "reports:create",
        # ILO's co-chair comes second: the report exists already, a form error (400).
        allow(CO_CHAIRS, ok=302, ilo_focal=400),
        method="post",
        data=H1_2025,
    ),
    Page("reports:detail", DRAFT_ONLY, kwargs=_pk(_draft), note="draft"),
    Page("reports:detail", FINAL_READERS, kwargs=_pk(_final), note="final"),
    Page(
        "reports:detail",
        allow(MEMBERS, admin=404, guest=200),
        kwargs=_pk(_shared_update),
        note="government update shared with the guest",
    ),
    Page(
        "reports:narrative",
        DRAFT_ONLY,
        kwargs=lambda world: {"pk": _draft(world).pk, "language": "ar"},
    ),
    Page(
        "reports:narrative",
        {**DRAFT_ONLY, "iom_focal": 302, "ilo_focal": 302},
        kwargs=lambda world: {"pk": _draft(world).pk, "language": "en"},
        method="post",
        data={"summary": "Revised summary.", "highlights": "A highlight."},
    ),
    Page(
        "reports:narrative",
        # Final reports are read-only, even for those who wrote them.
        {**ON_FINAL, "iom_focal": 403, "ilo_focal": 403},
        kwargs=lambda world: {"pk": _final(world).pk, "language": "en"},
        note="final",
    ),
    Page("reports:history", DRAFT_ONLY, kwargs=_pk(_draft)),
    Page(
        "reports:generate",
        {**DRAFT_ONLY, "iom_focal": 302, "ilo_focal": 302},
        kwargs=_pk(_draft),
        method="post",
        data={"language": "en"},
        note="draft",
    ),
    Page(
        "reports:generate",
        # Members read a final report but may not generate its PDF (403); outsiders get 404.
        {**ON_FINAL, "iom_focal": 302, "ilo_focal": 302},
        kwargs=_pk(_final),
        method="post",
        data={"language": "ar"},
        note="final",
    ),
    Page("reports:finalize", DRAFT_ONLY, kwargs=_pk(_draft)),
    Page(
        "reports:finalize",
        # IOM's co-chair makes it final; ILO's, second, gets a message and back to the report;
        # the members after them now see the final report, but may not act on it (403).
        {**ON_FINAL, "rco": 404, "iom_focal": 302, "ilo_focal": 302},
        kwargs=_pk(_draft),
        method="post",
    ),
    Page("reports:submit", ON_FINAL, kwargs=_pk(_final)),
    Page(
        "reports:submit",
        # ILO's co-chair comes second: the submission is recorded already (400).
        {**ON_FINAL, "iom_focal": 302, "ilo_focal": 400},
        kwargs=_pk(_final),
        method="post",
        data=lambda world: {"submitted_on": _today(), "submitted_to": "The RC and the UNCT"},
    ),
    Page("reports:share", ON_FINAL, kwargs=_pk(lambda world: _final(world, "government"))),
    Page(
        "reports:share",
        # Once shared, the guest sees the update but may not share it (403).
        {**ON_FINAL, "iom_focal": 302, "ilo_focal": 302, "guest": 403},
        kwargs=_pk(lambda world: _final(world, "government")),
        method="post",
        data=lambda world: {"person": world.users["guest"].pk},
    ),
    Page(
        "reports:unshare",
        # IOM's co-chair removes the share: ILO's then finds none (404), nor does the guest.
        {**ON_FINAL, "iom_focal": 302, "ilo_focal": 404, "guest": 404},
        kwargs=_shared_pk,
        method="post",
    ),
]
