import pytest

from meetings import demo
from meetings.models import ActionPoint, Attendance, Meeting, Minutes, Participant

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_year_of_meetings_once(demo_world):
    demo.seed(demo_world)
    counts = (
        Meeting.objects.count(),
        ActionPoint.objects.count(),
        Attendance.objects.count(),
        Minutes.objects.count(),
    )
    assert Meeting.objects.filter(status="held").count() == 4
    assert Meeting.objects.filter(status="scheduled").count() == 1
    assert Minutes.objects.filter(status="approved").count() == 3
    assert Minutes.objects.filter(status="circulated").count() == 1
    upcoming = Meeting.objects.get(status="scheduled")
    assert upcoming.agenda_items.filter(status="accepted").count() == 4
    assert upcoming.agenda_items.filter(status="proposed").count() == 1
    assert upcoming.participants.exclude(response="").exists()
    guest = demo_world.person("guest@example.org")
    assert list(Meeting.objects.visible_to(guest)) == [upcoming]
    assert Participant.objects.filter(meeting=upcoming, person=guest, kind="guest").exists()

    demo.seed(demo_world)
    assert counts == (
        Meeting.objects.count(),
        ActionPoint.objects.count(),
        Attendance.objects.count(),
        Minutes.objects.count(),
    )
