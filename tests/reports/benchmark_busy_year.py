"""Benchmark (not a test; run it by name): compile and render the bi-annual report of a busy year.

    DATABASE_URL=postgres://... .venv/bin/pytest tests/reports/benchmark_busy_year.py -s -q

Seeds 6 held meetings with attendance, 60 closed decisions, 300 deliverables with a progress
update and funding each, and 2,000 referrals between the agencies, then measures the time and
the peak memory of `build_report_document` (PDF and Excel annex) in English and Arabic. The
figures go to docs/BENCHMARKS.md.
"""

import resource
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.models import Network, ToRObjective
from reports import generation, services
from tests.factories import co_chair, member_agency

from .conftest import PERIOD, _at

pytestmark = pytest.mark.django_db


def _seed(chair):
    from decisions.models import Decision
    from meetings.models import Attendance, Meeting
    from workplan.models import (
        Deliverable,
        Funding,
        GCMObjective,
        ProgressUpdate,
        ThematicArea,
        Workplan,
    )

    agencies = [member_agency(acronym=f"AG{n:02d}") for n in range(12)]
    for month in range(1, 7):
        day = date(2025, month, 3)
        meeting = Meeting.objects.create(
            title=f"Regular meeting {month}",
            kind="regular",
            status="held",
            starts_at=_at(day),
            ends_at=_at(day, 12),
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, name=f"P{n}", organisation=agency, capacity="focal_point")
            for n, agency in enumerate(agencies)
        )
    Decision.objects.bulk_create(
        Decision(
            reference=f"UNNM-BH/2025/{n:03d}",
            year=2025,
            sequence=n,
            title=f"Decision number {n} on the network's joint work",
            text="The Network agrees.",
            procedure="meeting",
            status="adopted" if n % 7 else "not_adopted",
            opened_at=_at(date(2025, 1, 1) + timedelta(days=n * 2)),
            closed_at=_at(date(2025, 1, 3) + timedelta(days=n * 2)),
        )
        for n in range(1, 61)
    )
    workplan = Workplan.objects.create(year=2025)
    area = ThematicArea.objects.first()
    statuses = ["not_started", "on_track", "at_risk", "delayed", "completed"]
    deliverables = Deliverable.objects.bulk_create(
        Deliverable(
            workplan=workplan,
            number=n,
            title=f"Deliverable {n}: joint programme activity for migrant workers",
            thematic_area=area,
            lead_agency=agencies[n % 12],
            status=statuses[n % 5],
            budget_required=Decimal(10000 + n * 100),
            start_quarter=1 + n % 2,
            end_quarter=4,
        )
        for n in range(1, 301)
    )
    objectives, gcm = list(ToRObjective.objects.all()), list(GCMObjective.objects.all())
    Deliverable.tor_objectives.through.objects.bulk_create(
        Deliverable.tor_objectives.through(deliverable=d, torobjective=objectives[i % 8])
        for i, d in enumerate(deliverables)
    )
    Deliverable.gcm_objectives.through.objects.bulk_create(
        Deliverable.gcm_objectives.through(deliverable=d, gcmobjective=gcm[i % 23])
        for i, d in enumerate(deliverables)
    )
    Funding.objects.bulk_create(
        Funding(deliverable=d, source="Donor", amount=Decimal(5000)) for d in deliverables
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            deliverable=d,
            date=date(2025, 5, 1),
            note="Progress.",
            status_before="not_started",
            status_after=d.status,
            author=chair,
        )
        for d in deliverables
    )


def _seed_referrals(chair, count=2000):
    """Referrals over the half-year, across agency pairs, urgencies, services and statuses."""
    from members.models import Organisation
    from referrals.models import Referral
    from referrals.services import new_reference

    agencies = list(Organisation.objects.filter(acronym__startswith="AG").order_by("acronym"))
    kinds = ["protection", "shelter", "health", "legal_aid", "psychosocial"]
    statuses = ["sent", "acknowledged", "accepted", "declined", "closed"]
    urgencies = ["normal", "high", "emergency"]
    Referral.objects.bulk_create(
        (
            Referral(
                reference=new_reference(),
                from_organisation=agencies[n % len(agencies)],
                to_organisation=agencies[(n + 1 + n % 3) % len(agencies)],
                urgency=urgencies[n % 3],
                services=[kinds[n % 5]],
                status=statuses[n % 5],
                created_by=chair,
                sent_at=_at(date(2025, 1, 1) + timedelta(days=n % 180)),
                acknowledge_due_at=_at(date(2025, 1, 2) + timedelta(days=n % 180)),
                full_name=f"Person {n}",
            )
            for n in range(count)
        ),
        batch_size=500,
    )


def test_benchmark_the_biannual_report_of_a_busy_year():
    Network.objects.get_current()
    chair = co_chair(member_agency(acronym="CHAIR"))
    _seed(chair)
    _seed_referrals(chair)
    report = services.report_create(kind="biannual", period=PERIOD, by=chair)
    services.narrative_save(
        report=report,
        language="en",
        texts={"summary": "A busy half-year. " * 40, "highlights": "Highlights. " * 40},
        by=chair,
    )
    for language in ("en", "ar"):
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        pdf, xlsx = generation.build_report_document(report, language)
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # A second run under tracemalloc for the Python heap (tracing slows it several times).
        tracemalloc.start()
        generation.build_report_document(report, language)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(pdf)).pages)
        print(
            f"\n{language}: {elapsed:.2f} s, {pages} pages, PDF {len(pdf) // 1024} KiB, "
            f"annex {len(xlsx) // 1024} KiB, Python heap peak {peak / 2**20:.0f} MiB, "
            f"process peak RSS {rss_after / 1024:.0f} MiB (was {rss_before / 1024:.0f} MiB)"
        )
        assert pages > 1
