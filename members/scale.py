"""Scale dataset (seed_scale): the network's UN agencies up to the size, each with a focal point."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from core.scaling import bulk_create

from .models import Appointment, Membership, Organisation

PREFIX = "SCALE"


def already_seeded():
    return Organisation.objects.filter(acronym__startswith=f"{PREFIX}-").exists()


def seed(context):
    demo_agencies = list(Organisation.objects.voting_members().distinct().order_by("acronym"))
    missing = max(context.size.agencies - len(demo_agencies), 0)
    width = len(str(missing))
    new = bulk_create(
        Organisation,
        [
            Organisation(
                acronym=f"{PREFIX}-{number:0{width}d}",
                name=f"Scale agency {number}",
                kind=Organisation.Kind.UN_AGENCY,
            )
            for number in range(1, missing + 1)
        ],
    )
    bulk_create(
        Membership,
        [Membership(organisation=agency, role=Membership.Role.MEMBER) for agency in new],
    )
    # One focal point per new agency; they never sign in (no usable password).
    unusable = make_password(None)
    people = bulk_create(
        get_user_model(),
        [
            get_user_model()(
                email=f"focal.{agency.acronym.lower()}@scale.example.org",
                full_name=f"Focal point of {agency.acronym}",
                organisation=agency,
                password=unusable,
            )
            for agency in new
        ],
    )
    bulk_create(
        Appointment,
        [
            Appointment(organisation=agency, person=person, kind=Appointment.Kind.FOCAL_POINT)
            for agency, person in zip(new, people, strict=True)
        ],
    )

    context.agencies = demo_agencies + new
    context.demo_agency_count = len(demo_agencies)
    for appointment in (
        Appointment.objects.active()
        .filter(organisation__in=demo_agencies)
        .order_by("kind")  # the alternate first, so the focal point wins
    ):
        context.representatives[appointment.organisation_id] = appointment.person_id
    for agency, person in zip(new, people, strict=True):
        context.representatives[agency.pk] = person.pk
    context.log.append(f"Agencies: {len(context.agencies)} ({len(new)} added).")
