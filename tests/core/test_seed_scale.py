"""`manage.py seed_scale`: the benchmark datasets, built on the demo network with bulk inserts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, OuterRef

from core.scaling import SIZES
from decisions.models import Decision, DecisionCounter, ElectorateMember, Position
from meetings.models import AgendaItem, Meeting, Participant
from members.models import Organisation
from tests.conftest import DEMO_USERS
from workplan.models import Deliverable

pytestmark = pytest.mark.django_db

TINY = SIZES["tiny"]


@pytest.fixture
def seeded():
    call_command("seed_demo", force=True, verbosity=0)
    before = {
        "meetings": Meeting.objects.count(),
        "decisions": Decision.objects.count(),
        "deliverables": Deliverable.objects.count(),
    }
    call_command("seed_scale", size="tiny", force=True, verbosity=0)
    return before


def test_the_tiny_dataset(seeded):
    """One seeding (it takes a while), several checks."""
    check_it_adds_what_its_size_says(seeded)
    check_the_demo_accounts_see_the_data_at_scale()
    check_references_are_unique_and_new_decisions_number_after_them()
    check_referrals_reach_the_officers_and_old_ones_are_erased()
    check_it_runs_once_per_database()


def check_it_adds_what_its_size_says(seeded):
    assert Organisation.objects.voting_members().distinct().count() == TINY.agencies
    assert Meeting.objects.count() == seeded["meetings"] + TINY.meetings
    assert Decision.objects.count() == seeded["decisions"] + TINY.decisions
    assert Deliverable.objects.count() == seeded["deliverables"] + TINY.deliverables
    scaled = Decision.objects.filter(title__startswith="Joint position on")
    assert scaled.count() == TINY.decisions
    assert AgendaItem.objects.filter(meeting__title__startswith="Network meeting").count() == (
        TINY.meetings * 4
    )
    # Every electorate holds the demo agencies and others; positions only from the electorate.
    sizes = set(
        scaled.annotate(voters=Count("electorate")).values_list("voters", flat=True).distinct()
    )
    assert min(sizes) >= TINY.electorate
    in_electorate = ElectorateMember.objects.filter(
        decision=OuterRef("decision"), organisation=OuterRef("organisation")
    )
    assert not Position.objects.filter(decision__in=scaled).exclude(Exists(in_electorate)).exists()


def check_the_demo_accounts_see_the_data_at_scale():
    scaled = Decision.objects.filter(title__startswith="Joint position on")
    demo_agencies = Organisation.objects.voting_members().exclude(acronym__startswith="SCALE-")
    assert demo_agencies.exists()

    # Every demo agency sits in every electorate and is invited to every meeting.
    for agency in demo_agencies.distinct():
        electorates = ElectorateMember.objects.filter(decision__in=scaled, organisation=agency)
        assert electorates.count() == TINY.decisions, agency
    assert (
        Participant.objects.filter(
            person__email=DEMO_USERS["unhcr_focal"], meeting__title__startswith="Network meeting"
        ).count()
        == TINY.meetings
    )
    led = Deliverable.objects.filter(
        title__startswith="Deliverable ", lead_agency__in=demo_agencies
    )
    assert led.count() >= TINY.deliverables // 2


def check_references_are_unique_and_new_decisions_number_after_them():
    scaled = Decision.objects.filter(title__startswith="Joint position on")
    references = list(scaled.values_list("reference", flat=True))
    assert len(set(references)) == len(references) == TINY.decisions
    for year, last in DecisionCounter.objects.values_list("year", "last_sequence"):
        assert not Decision.objects.filter(year=year, sequence__gt=last).exists()
    # The closed ones carry the outcome computed by the consensus rule.
    closed = scaled.exclude(status=Decision.Status.OPEN)
    assert closed.exists()
    assert all(d.outcome["adopted"] == (d.status == "adopted") for d in closed)


def check_referrals_reach_the_officers_and_old_ones_are_erased():
    from django.conf import settings
    from django.utils import timezone

    from referrals import rules
    from referrals.models import Consent, Referral
    from referrals.selectors import referral_list

    assert Referral.objects.count() == 7 + TINY.referrals  # the demo's seven, then the scale's
    assert Consent.objects.count() == Referral.objects.count()
    officer = get_user_model().objects.get(email="iom.referrals@example.org")
    assert len(list(referral_list(officer)[:50])) >= TINY.referrals // 4
    cutoff = rules.retention_cutoff(timezone.now(), settings.REFERRALS_RETENTION_MONTHS)
    outlived = Referral.objects.filter(ended_at__lt=cutoff)
    assert outlived.exists()
    # As the retention task leaves them: dates and states, no name, no summary, no consent text.
    assert not outlived.filter(erased_at__isnull=True).exists()
    assert set(outlived.values_list("full_name", "summary", "person_hash").distinct()) == {
        ("", "", "")
    }
    assert not Consent.objects.filter(referral__in=outlived).exclude(purpose="").exists()


def check_it_runs_once_per_database():
    with pytest.raises(CommandError, match="already holds a scale dataset"):
        call_command("seed_scale", size="tiny", force=True, verbosity=0)
    assert Decision.objects.filter(title__startswith="Joint position on").count() == (
        TINY.decisions
    )
