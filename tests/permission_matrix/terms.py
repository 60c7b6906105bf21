"""Terms of Reference: members read them; co-chairs and the secretariat draft amendments;
co-chairs put them to the network, record the yearly review and the UNCT's endorsement.
Guests and the platform admin do not read the network's internal documents (403)."""

from . import CO_CHAIRS, MEMBERS, Page, allow

# A draft amendment is seen by those who draft; other members get a 404.
DRAFT_READERS = allow(CO_CHAIRS, **{role: 404 for role in MEMBERS if role not in CO_CHAIRS})


def _draft(world):
    from terms import services
    from terms.models import TermsVersion

    current = TermsVersion.objects.current().get()
    return services.amendment_create(
        title="Quarterly meetings",
        text=current.text.replace("Bi-monthly and as needed", "Quarterly"),
        by=world.users["iom_focal"],
    )


def _proposed(world):
    from datetime import timedelta

    from django.utils import timezone

    from terms import services

    return services.amendment_propose(
        amendment=_draft(world),
        by=world.users["iom_focal"],
        procedure="written",
        deadline=timezone.now() + timedelta(days=10),
    )


def _withdrawn(world):
    from decisions.services import decision_withdraw

    amendment = _proposed(world)
    decision_withdraw(
        decision=amendment.decision, reason="To be revised", by=world.users["iom_focal"]
    )
    amendment.refresh_from_db()
    return amendment


def _pk(factory):
    return lambda world: {"pk": factory(world).pk}


def _new_text(world):
    from terms.models import TermsVersion

    current = TermsVersion.objects.current().get()
    return {"title": "Monthly", "text": current.text + "\nA new paragraph."}


PAGES = [
    Page("terms:current", allow(MEMBERS)),
    Page("terms:compare", allow(MEMBERS), data={"a": 1, "b": 1}),
    Page("terms:version", allow(MEMBERS), kwargs=lambda world: {"number": 1}),
    Page(
        "terms:version_unct",
        allow(CO_CHAIRS, ok=302),
        kwargs=lambda world: {"number": 1},
        method="post",
        data={"unct_submitted_on": "2020-09-10", "unct_endorsed_on": "2020-10-01"},
    ),
    Page("terms:review", allow(CO_CHAIRS)),
    Page(
        "terms:review",
        allow(CO_CHAIRS, ok=400),
        method="post",
        data={"reviewed_on": "2026-01-01"},
        note="no outcome",
    ),
    Page("terms:amendment_create", allow(CO_CHAIRS)),
    Page("terms:amendment_create", allow(CO_CHAIRS, ok=302), method="post", data=_new_text),
    Page("terms:amendment", DRAFT_READERS, kwargs=_pk(_draft), note="draft"),
    Page("terms:amendment", allow(MEMBERS), kwargs=_pk(_proposed), note="proposed"),
    Page("terms:amendment_edit", allow(CO_CHAIRS), kwargs=_pk(_draft)),
    Page("terms:amendment_propose", allow(CO_CHAIRS), kwargs=_pk(_draft)),
    Page(
        "terms:amendment_redraft",
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(_withdrawn),
        method="post",
    ),
    Page(
        "terms:amendment_discard",
        allow(CO_CHAIRS, ok=302),
        kwargs=_pk(_draft),
        method="post",
    ),
]
