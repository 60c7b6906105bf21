"""Read models of the members pages, with their queries bounded."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery

from core.models import AuditEntry

from .models import Appointment, Invitation, Membership, Organisation

RESIDENCY_CHOICES = ("resident", "non_resident")


def directory_organisations(user, *, kind="", residency="", role="", q=""):
    """Organisations of the directory with their active roles, focal point and alternate."""
    organisations = Organisation.objects.visible_to(user)
    if kind:
        organisations = organisations.filter(kind=kind)
    if residency == "resident":
        organisations = organisations.filter(kind=Organisation.Kind.UN_AGENCY, is_resident=True)
    elif residency == "non_resident":
        organisations = organisations.filter(kind=Organisation.Kind.UN_AGENCY, is_resident=False)
    if role:
        organisations = organisations.filter(
            Exists(Membership.objects.active().filter(organisation=OuterRef("pk"), role=role))
        )
    if q:
        organisations = organisations.filter(Q(acronym__icontains=q) | Q(name__icontains=q))
    # The day an organisation that left the network last held a role, for "left on ...".
    left_on = (
        Membership.objects.filter(organisation=OuterRef("pk"), left_on__isnull=False)
        .order_by("-left_on")
        .values("left_on")[:1]
    )
    organisations = organisations.annotate(left_network_on=Subquery(left_on))
    return organisations.order_by("acronym").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().order_by("role"),
            to_attr="active_memberships",
        ),
        Prefetch(
            "appointments",
            queryset=Appointment.objects.active().select_related("person").order_by("kind"),
            to_attr="active_appointments",
        ),
        Prefetch(
            "people",
            queryset=get_user_model().objects.filter(is_active=True).order_by("full_name"),
            to_attr="active_people",
        ),
    )


def seats(organisation):
    """(focal point appointment, alternate appointment) from the prefetched active appointments."""
    by_kind = {a.kind: a for a in getattr(organisation, "active_appointments", [])}
    return by_kind.get(Appointment.Kind.FOCAL_POINT), by_kind.get(Appointment.Kind.ALTERNATE)


def has_seats(organisation):
    """Whether the directory shows focal point and alternate (member agencies) or just people."""
    return bool(getattr(organisation, "active_appointments", None)) or any(
        m.role == Membership.Role.MEMBER for m in getattr(organisation, "active_memberships", [])
    )


def organisation_detail(organisation):
    """What the organisation page shows: people, seats, and the history of both."""
    User = get_user_model()
    appointments = list(
        organisation.appointments.select_related("person").order_by("-start_date", "-pk")
    )
    active = [a for a in appointments if a.is_active]
    focal = next((a for a in active if a.kind == Appointment.Kind.FOCAL_POINT), None)
    alternate = next((a for a in active if a.kind == Appointment.Kind.ALTERNATE), None)
    people = list(
        User.objects.filter(organisation=organisation, is_active=True)
        .prefetch_related("groups")
        .order_by("full_name", "email")
    )
    seat_of = {a.person_id: a for a in active}
    for person in people:
        person.seat = seat_of.get(person.pk)
    return {
        "organisation": organisation,
        "focal_point": focal,
        "alternate": alternate,
        "people": people,
        "appointments": appointments,
        "active_memberships": [m for m in organisation.memberships.all() if m.is_active],
        "memberships": list(organisation.memberships.order_by("-joined_on", "role")),
    }


def organisation_audit(organisation, limit=20):
    """The latest audit entries about this organisation (membership and detail changes)."""
    from django.contrib.contenttypes.models import ContentType

    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Organisation),
            object_id=str(organisation.pk),
        )
        .select_related("actor")
        .order_by("-created_at")[:limit]
    )


def invitation_list(user, *, status=""):
    invitations = Invitation.objects.visible_to(user).select_related(
        "organisation", "invited_by", "accepted_by"
    )
    if status:
        invitations = invitations.with_status(status)
    return invitations.order_by("-created_at", "-pk")


def invitation_counts(user):
    """How many invitations there are of each status people see."""
    visible = Invitation.objects.visible_to(user)
    from django.utils import timezone

    now = timezone.now()
    return visible.aggregate(
        pending=Count("pk", filter=Q(status="pending", expires_at__gt=now)),
        accepted=Count("pk", filter=Q(status="accepted")),
        expired=Count("pk", filter=Q(status="expired") | Q(status="pending", expires_at__lte=now)),
        revoked=Count("pk", filter=Q(status="revoked")),
    )


def agencies_without_focal_point():
    """Voting member agencies whose focal-point seat is empty."""
    return (
        Organisation.objects.voting_members()
        .filter(
            ~Exists(
                Appointment.objects.active().filter(
                    organisation=OuterRef("pk"), kind=Appointment.Kind.FOCAL_POINT
                )
            )
        )
        .distinct()
        .order_by("acronym")
    )


def roles_summary(user):
    """The person's active appointments and assigned roles, for the profile page."""
    appointments = list(
        Appointment.objects.active().filter(person=user).select_related("organisation")
    )
    return {"appointments": appointments}


def seat_holder(invitation):
    """The active appointment an invitation as focal point or alternate would collide with."""
    if not invitation.appoints:
        return None
    return (
        Appointment.objects.active()
        .select_related("person")
        .filter(organisation=invitation.organisation_id, kind=invitation.role)
        .first()
    )


def people_holding_roles(roles):
    """Active people who hold one of `roles` now: what every pick-list of people offers.

    The same derivation as `members.roles.roles_of`, as one query: assigned roles from the role
    Groups, focal point and alternate from an active appointment, co-chair from an active
    appointment to an agency holding an active co-chair membership, platform admin from is_staff.
    A replaced focal point or an administrator without a network role is not offered.
    """
    from .roles import ASSIGNED_ROLES, Role

    roles = {Role(role) for role in roles}
    held = Q(pk__in=[])
    assigned = [role.value for role in ASSIGNED_ROLES if role in roles]
    if assigned:
        held |= Q(groups__name__in=assigned)
    seats = [role.value for role in (Role.FOCAL_POINT, Role.ALTERNATE) if role in roles]
    if seats:
        held |= Q(
            Exists(Appointment.objects.active().filter(person=OuterRef("pk"), kind__in=seats))
        )
    if Role.CO_CHAIR in roles:
        co_chairs = Membership.objects.active().filter(role=Membership.Role.CO_CHAIR)
        held |= Q(
            Exists(
                Appointment.objects.active().filter(
                    person=OuterRef("pk"), organisation__in=co_chairs.values("organisation")
                )
            )
        )
    if Role.PLATFORM_ADMIN in roles:
        held |= Q(is_staff=True)
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(pk__in=User.objects.filter(held).values("pk"))
        .select_related("organisation")
        .order_by("full_name", "email")
    )


def person_holds_role(person, roles):
    """Whether this person is among `people_holding_roles(roles)` (for a service-level check)."""
    return people_holding_roles(roles).filter(pk=person.pk).exists()
