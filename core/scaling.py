"""What `seed_scale` hands to each app's `scale.seed(context)`: the sizes and shared helpers.

The benchmark datasets of issue 13, built on top of the demo network: "realistic" is a decade of a
busy country network (50 agencies, 10,000 meetings, 30,000 decisions, 300,000 positions, 5,000
deliverables, 20,000 referrals), "stress" ten times that, "tiny" a few rows of each for the test
of the command.
"""

import random
from dataclasses import dataclass, field

from core.seeding import DemoContext


@dataclass(frozen=True)
class Size:
    agencies: int  # UN agencies with voting membership, the demo's included
    meetings: int
    decisions: int
    # Agencies in a decision's electorate: every demo agency, then others at random. All hold a
    # position on closed decisions, but half of them under silence procedure or while open.
    electorate: int
    deliverables: int
    years: int  # the span the meetings, decisions and workplans cover, ending next year
    referrals: int = 0  # over the same years, most of them ended (and erased after retention)


SIZES = {
    "tiny": Size(
        agencies=14,
        meetings=20,
        decisions=30,
        electorate=10,
        deliverables=24,
        years=3,
        referrals=40,
    ),
    "realistic": Size(
        agencies=50,
        meetings=10_000,
        decisions=30_000,
        electorate=12,
        deliverables=5_000,
        years=10,
        referrals=20_000,
    ),
    "stress": Size(
        agencies=500,
        meetings=100_000,
        decisions=300_000,
        electorate=12,
        deliverables=50_000,
        years=10,
        referrals=200_000,
    ),
}

# Rows per INSERT: large enough to be fast, small enough for PostgreSQL's parameter limit.
BATCH = 2_000


@dataclass
class ScaleContext:
    """Shared state of one scale seeding run; apps read what earlier apps created."""

    size: Size
    demo: DemoContext
    # Seeded for reproducible datasets: the same size gives the same rows.
    rng: random.Random = field(default_factory=lambda: random.Random(13))  # noqa: S311
    # UN agencies of the electorate, the demo's first: Organisation objects.
    agencies: list = field(default_factory=list)
    # organisation id -> the person who records its positions and answers its invitations.
    representatives: dict = field(default_factory=dict)
    # How many of `agencies` are the demo's: they sit in every electorate.
    demo_agency_count: int = 0
    meeting_ids: list = field(default_factory=list)
    log: list = field(default_factory=list)

    def electorate(self):
        """A decision's electorate: every demo agency, then at least two others at random."""
        demo = self.agencies[: self.demo_agency_count]
        others = self.agencies[self.demo_agency_count :]
        extra = max(self.size.electorate - len(demo), 2)
        return demo + self.rng.sample(others, min(extra, len(others)))


def bulk_create(model, objects):
    """Insert in batches; returns the objects with their primary keys (PostgreSQL and SQLite)."""
    return model.objects.bulk_create(objects, batch_size=BATCH)
