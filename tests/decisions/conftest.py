from dataclasses import dataclass

import pytest

from core.models import Network
from members.models import Appointment
from tests.factories import co_chair, focal_point


@dataclass
class Electorate:
    """Three member agencies: a co-chairing one and two others, each with a focal point."""

    chair: object
    chair_agency: object
    fp_a: object
    agency_a: object
    fp_b: object
    agency_b: object
    alternate_a: object

    @property
    def agencies(self):
        return [self.chair_agency, self.agency_a, self.agency_b]


@pytest.fixture
def network(db):
    network = Network.objects.get_current()
    network.decision_prefix = "UNNM-BH"
    network.save()
    return network


@pytest.fixture
def electorate(network):
    chair = co_chair(full_name="Chair Person")
    fp_a = focal_point(full_name="Focal A")
    fp_b = focal_point(full_name="Focal B")
    alternate_a = focal_point(fp_a.organisation, kind=Appointment.Kind.ALTERNATE)
    return Electorate(
        chair=chair,
        chair_agency=chair.organisation,
        fp_a=fp_a,
        agency_a=fp_a.organisation,
        fp_b=fp_b,
        agency_b=fp_b.organisation,
        alternate_a=alternate_a,
    )
