from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Appointment
from terms.models import TermsVersion
from tests.factories import co_chair, focal_point


@dataclass
class People:
    chair: object
    fp_a: object
    fp_b: object
    secretariat: object


@pytest.fixture
def people(db):
    from django.contrib.auth.models import Group

    from members.roles import Role

    chair = co_chair(full_name="Chair Person", preferred_language="en")
    fp_a = focal_point(full_name="Focal A")
    fp_b = focal_point(full_name="Focal B")
    secretariat = focal_point(full_name="Secretariat Staff")
    secretariat.groups.add(Group.objects.get_or_create(name=Role.SECRETARIAT.value)[0])
    return People(chair=chair, fp_a=fp_a, fp_b=fp_b, secretariat=secretariat)


@pytest.fixture
def first_version(db):
    """Version 1, as the data migration seeded it (created again if a flush of an earlier
    transactional test on this worker emptied the table)."""
    from terms.seed import ensure_first_version

    ensure_first_version()
    return TermsVersion.objects.get(number=1)


def in_days(days):
    return timezone.now() + timedelta(days=days)


def all_concur(decision):
    from decisions.services import position_record

    for appointment in Appointment.objects.active().filter(kind="focal_point"):
        if decision.electorate.filter(organisation=appointment.organisation).exists():
            position_record(
                decision=decision,
                organisation=appointment.organisation,
                stance="concur",
                by=appointment.person,
            )
