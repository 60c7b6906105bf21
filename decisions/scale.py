"""Scale dataset (seed_scale): a decade of numbered decisions with electorates and positions."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from core.models import Network
from core.scaling import bulk_create

from . import rules
from .models import Decision, DecisionCounter, ElectorateMember, Position, Stance

# Decisions are built and inserted this many at a time, with their electorates and positions, so
# the stress size does not hold millions of rows in memory.
CHUNK = 5_000
# The last decisions are still open: their deadlines lie ahead.
OPEN_SHARE = 0.01
WORDS = (
    "recruitment",
    "labour migration",
    "returns",
    "reintegration",
    "trafficking",
    "climate mobility",
    "data",
    "regular pathways",
    "detention alternatives",
    "social protection",
)


def seed(context):
    size, rng = context.size, context.rng
    network = Network.objects.get_current()
    chair = context.demo.person("iom.focal@example.org")
    now = timezone.now()
    first = now - timedelta(days=365 * (size.years - 1))
    step = (now - timedelta(days=2) - first) / size.decisions
    open_from = int(size.decisions * (1 - OPEN_SHARE))
    last_sequence = dict(DecisionCounter.objects.values_list("year", "last_sequence"))
    meeting_ids = context.meeting_ids
    totals = defaultdict(int)

    for start in range(0, size.decisions, CHUNK):
        decisions, electorates, stances = [], [], []
        for index in range(start, min(start + CHUNK, size.decisions)):
            opened = first + step * index
            year = timezone.localtime(opened, network.tzinfo).year
            last_sequence[year] = sequence = last_sequence.get(year, 0) + 1
            procedure = rng.choice(Decision.Procedure.values)
            is_open = index >= open_from
            electorate = context.electorate()
            positions = _positions(rng, electorate, procedure, is_open)
            topic = WORDS[index % len(WORDS)]
            decision = Decision(
                reference=f"{network.decision_prefix}/{year}/{sequence:03d}",
                year=year,
                sequence=sequence,
                title=f"Joint position on {topic} ({index + 1})",
                text=f"The Network agrees the annexed joint position on {topic}.",
                rationale="Discussed by the working group; comments reflected.",
                proposing_organisation=rng.choice(electorate),
                meeting_id=(
                    rng.choice(meeting_ids)
                    if meeting_ids and procedure == Decision.Procedure.MEETING
                    else None
                ),
                procedure=procedure,
                status=Decision.Status.OPEN,
                deadline=(now + timedelta(days=5)) if is_open else opened + timedelta(days=10),
                created_by=chair,
                opened_at=opened,
                opened_by=chair,
            )
            if not is_open:
                outcome = rules.consensus_outcome(
                    [agency.acronym for agency in electorate],
                    {agency.acronym: stance for agency, stance in positions.items()},
                    silence_procedure=procedure == Decision.Procedure.SILENCE,
                )
                decision.outcome = outcome.as_dict()
                decision.status = (
                    Decision.Status.ADOPTED if outcome.adopted else Decision.Status.NOT_ADOPTED
                )
                decision.closed_at = opened + timedelta(days=10)
            decisions.append(decision)
            electorates.append(electorate)
            stances.append(positions)
        bulk_create(Decision, decisions)
        members, rows = [], []
        for decision, electorate, positions in zip(decisions, electorates, stances, strict=True):
            members.extend(
                ElectorateMember(decision=decision, organisation=agency) for agency in electorate
            )
            rows.extend(
                Position(
                    decision=decision,
                    organisation=agency,
                    stance=stance,
                    reason=reason,
                    recorded_by_id=context.representatives.get(agency.pk, chair.pk),
                )
                for agency, (stance, reason) in positions.items()
            )
        bulk_create(ElectorateMember, members)
        bulk_create(Position, rows)
        totals["decisions"] += len(decisions)
        totals["electorate"] += len(members)
        totals["positions"] += len(rows)

    # New decisions opened through the portal take the numbers after these.
    for year, sequence in last_sequence.items():
        DecisionCounter.objects.update_or_create(year=year, defaults={"last_sequence": sequence})
    context.log.append(
        f"Decisions: {totals['decisions']}, electorate rows: {totals['electorate']}, "
        f"positions: {totals['positions']}."
    )


def _positions(rng, electorate, procedure, is_open):
    """agency -> (stance, reason): most concur; now and then one objects or stands aside."""
    everyone = not is_open and procedure != Decision.Procedure.SILENCE
    holders = electorate if everyone else electorate[: len(electorate) // 2]
    positions = dict.fromkeys(holders, (Stance.CONCUR, ""))
    if holders and rng.random() < 0.1:
        positions[rng.choice(holders)] = (Stance.OBJECT, "The text needs further consultation.")
    if holders and rng.random() < 0.2:
        positions[rng.choice(holders)] = (Stance.STAND_ASIDE, "")
    return positions
