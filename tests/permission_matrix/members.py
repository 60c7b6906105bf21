"""The members pages (docs/PRODUCT.md sections 1-2): who opens the directory, manages, invites."""

from tests.permission_matrix import CO_CHAIRS, EVERYONE, MEMBERS, RCO, Page, allow

# Everyone with a role in the network sees the directory; guests without contact details.
DIRECTORY = (*MEMBERS, "guest")
# The RCO and the co-chairs invite people (docs/PRODUCT.md §1: the RCO "invites"; co-chairs run it).
INVITERS = (*RCO, *CO_CHAIRS)


def _iom(world):
    return {"pk": world.organisation("IOM").pk}


def _unhcr(world):
    return {"pk": world.organisation("UNHCR").pk}


def _appointment(acronym, kind="focal_point"):
    def kwargs(world):
        from members.models import Appointment

        appointment = Appointment.objects.active().get(
            organisation=world.organisation(acronym), kind=kind
        )
        return {"pk": appointment.pk}

    return kwargs


def _new_unodc_person(world):
    from django.utils import timezone

    from tests.factories import UserFactory

    person = UserFactory(organisation=world.organisation("UNODC"))
    return {
        "person": person.pk,
        "kind": "alternate",
        "level": "specialist",
        "start_date": timezone.localdate().isoformat(),
    }


def _pending_invitation(world):
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(
        organisation=world.organisation("UNFPA"), invited_by=world.person("rco@example.org")
    )
    return {"pk": invitation.pk}


def _invitation_token(status="pending"):
    def kwargs(world):
        from tests.factories import InvitationFactory

        invitation = InvitationFactory(
            organisation=world.organisation("UNFPA"),
            role="alternate",
            level="specialist",
            status=status,
            **({"accepted_at": "2026-01-01T00:00Z"} if status == "accepted" else {}),
        )
        return {"token": invitation.token}

    return kwargs


ORGANISATION_DATA = {
    "acronym": "IOM",
    "name": "International Organization for Migration",
    "kind": "un_agency",
    "is_resident": "on",
    "website": "https://www.iom.int",
    "email": "iombahrain@iom.int",
    "phone": "+973 1700 0000",
}

PAGES = [
    Page("members:directory", allow(DIRECTORY)),
    Page(
        "members:directory",
        allow(DIRECTORY),
        htmx=True,
        data={"kind": "un_agency"},
        note="htmx filter",
    ),
    Page("members:profile", allow(EVERYONE)),
    Page(
        "members:profile",
        allow(EVERYONE, ok=302),
        method="post",
        data={"full_name": "Matrix Person", "preferred_language": "en"},
    ),
    Page("members:organisation", allow(DIRECTORY, admin=404), kwargs=_iom),
    Page("members:organisation_create", allow(RCO)),
    Page(
        "members:organisation_create",
        allow(RCO, ok=302),
        method="post",
        data={
            "acronym": "MTX",
            "name": "Matrix Foundation",
            "kind": "ngo",
            "roles": ["stakeholder"],
            "joined_on": "2025-01-01",
        },
    ),
    # The RCO edits any organisation; IOM's focal point edits IOM, and nobody else's.
    Page("members:organisation_edit", allow(("rco", "iom_focal"), admin=404), kwargs=_iom),
    Page(
        "members:organisation_edit",
        allow(("rco", "unhcr_focal"), admin=404),
        kwargs=_unhcr,
        note="other agency",
    ),
    Page(
        "members:organisation_edit",
        allow(("rco", "iom_focal"), ok=302, admin=404),
        kwargs=_iom,
        method="post",
        data=ORGANISATION_DATA,
    ),
    Page("members:membership_change", allow(RCO), kwargs=_iom),
    Page(
        "members:membership_change",
        allow(RCO, ok=302),
        kwargs=_iom,
        method="post",
        data={"roles": ["member", "co_chair", "secretariat"], "on": "2025-06-01"},
    ),
    Page(
        "members:appointment_create",
        allow(RCO),
        kwargs=lambda w: {"pk": w.organisation("UNODC").pk},
    ),
    Page(
        "members:appointment_create",
        allow(RCO, ok=302),
        kwargs=lambda w: {"pk": w.organisation("UNODC").pk},
        method="post",
        data=_new_unodc_person,
    ),
    Page("members:appointment_end", allow(RCO), kwargs=_appointment("UNEP")),
    Page(
        "members:appointment_end",
        allow(RCO, ok=302),
        kwargs=_appointment("UNEP"),
        method="post",
        data=lambda w: {"end_date": __import__("datetime").date.today().isoformat()},
    ),
    Page("members:invitations", allow(INVITERS)),
    Page("members:invitation_create", allow(INVITERS)),
    Page(
        "members:invitation_create",
        allow(INVITERS),
        method="post",
        data={"email": "", "role": "guest"},
        note="invalid form",
    ),
    Page(
        "members:invitation_resend",
        allow(INVITERS, ok=302),
        kwargs=_pending_invitation,
        method="post",
    ),
    Page(
        "members:invitation_revoke",
        allow(INVITERS, ok=302),
        kwargs=_pending_invitation,
        method="post",
    ),
    # The emailed link: anyone may open it; what it lets them do depends on who they are.
    Page(
        "members:invitation_accept",
        allow(EVERYONE, anonymous=200),
        kwargs=_invitation_token(),
        public=True,
    ),
    Page(
        "members:invitation_accept",
        allow(EVERYONE, ok=410, anonymous=410),
        kwargs=_invitation_token("revoked"),
        public=True,
        note="revoked link",
    ),
    Page(
        "members:invitation_accept",
        allow(EVERYONE, ok=410, anonymous=410),
        kwargs=_invitation_token("accepted"),
        public=True,
        note="used link",
    ),
]
