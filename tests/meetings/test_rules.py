from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from meetings import rules

BAHRAIN = ZoneInfo("Asia/Bahrain")
BERLIN = ZoneInfo("Europe/Berlin")


def test_schedule_has_six_bi_monthly_meetings_on_the_chosen_weekday():
    slots = rules.regular_schedule(
        year=2026,
        first_month=1,
        weekday=1,  # Tuesday
        week=1,
        start_time=time(10, 0),
        duration_minutes=120,
        tzinfo=BAHRAIN,
    )
    assert [start.date() for start, _end in slots] == [
        date(2026, 1, 6),
        date(2026, 3, 3),
        date(2026, 5, 5),
        date(2026, 7, 7),
        date(2026, 9, 1),
        date(2026, 11, 3),
    ]
    for start, end in slots:
        assert start.weekday() == 1
        assert (start.hour, start.minute) == (10, 0)
        assert start.utcoffset() == timedelta(hours=3)  # Bahrain: UTC+3, no daylight saving
        assert end - start == timedelta(hours=2)


def test_last_weekday_of_the_month_across_month_ends():
    slots = rules.regular_schedule(
        year=2026,
        first_month=2,
        weekday=3,  # Thursday
        week=rules.LAST,
        start_time=time(9, 30),
        duration_minutes=90,
        tzinfo=BAHRAIN,
    )
    assert [start.date() for start, _end in slots] == [
        date(2026, 2, 26),
        date(2026, 4, 30),
        date(2026, 6, 25),
        date(2026, 8, 27),
        date(2026, 10, 29),
        date(2026, 12, 31),
    ]


def test_generate_a_year_stays_within_the_year():
    """Starting in September gives September and November, never January of the next year."""
    slots = rules.regular_schedule(
        year=2026,
        first_month=9,
        weekday=6,
        week=2,
        start_time=time(10, 0),
        duration_minutes=60,
        tzinfo=BAHRAIN,
    )
    assert [(s.year, s.month) for s, _e in slots] == [(2026, 9), (2026, 11)]


@pytest.mark.parametrize(("first_month", "count"), [(1, 6), (2, 6), (3, 5), (11, 1), (12, 1)])
def test_generate_a_year_gives_the_bi_monthly_meetings_left_in_the_year(first_month, count):
    slots = rules.regular_schedule(
        year=2026,
        first_month=first_month,
        weekday=1,
        week=1,
        start_time=time(10, 0),
        duration_minutes=60,
        tzinfo=BAHRAIN,
    )
    assert len(slots) == count and {s.year for s, _e in slots} == {2026}


def test_wall_clock_time_is_kept_across_daylight_saving_in_another_time_zone():
    slots = rules.regular_schedule(
        year=2026,
        first_month=1,
        weekday=0,
        week=1,
        start_time=time(10, 0),
        duration_minutes=120,
        tzinfo=BERLIN,
    )
    offsets = [start.utcoffset() for start, _end in slots]
    # January and November in winter time (UTC+1); March (2 March) too; May to September summer.
    assert offsets == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
        timedelta(hours=2),
        timedelta(hours=1),
    ]
    assert all((start.hour, start.minute) == (10, 0) for start, _end in slots)
    assert [start.astimezone(UTC).hour for start, _end in slots] == [9, 9, 8, 8, 8, 9]


def test_duration_holds_when_a_meeting_spans_the_daylight_saving_change():
    # 29 March 2026, 01:30 Berlin: clocks jump from 02:00 to 03:00 during the meeting.
    slots = rules.regular_schedule(
        year=2026,
        first_month=3,
        weekday=6,
        week=rules.LAST,
        start_time=time(1, 30),
        duration_minutes=60,
        tzinfo=BERLIN,
    )
    start, end = slots[0]
    assert start.date() == date(2026, 3, 29)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=1)
    assert (end.hour, end.minute) == (3, 30)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(10, None), (7, 7), (5, 7), (2, 7), (1, 1), (0, 1), (-1, None)],
)
def test_reminder_offset_due(days_left, expected):
    assert rules.reminder_offset_due(days_left=days_left, offsets=[7, 1]) == expected


def test_rsvp_closes_when_the_meeting_starts():
    start = datetime(2026, 5, 5, 7, 0, tzinfo=UTC)
    assert rules.rsvp_is_open(starts_at=start, now=start - timedelta(minutes=1), status="scheduled")
    assert not rules.rsvp_is_open(starts_at=start, now=start, status="scheduled")
    assert not rules.rsvp_is_open(starts_at=start, now=start - timedelta(days=1), status="draft")


def test_proposals_close_at_the_cutoff_or_else_at_the_start():
    start = datetime(2026, 5, 5, 7, 0, tzinfo=UTC)
    cutoff = start - timedelta(days=3)
    now = cutoff - timedelta(minutes=1)
    assert rules.proposals_are_open(cutoff=cutoff, starts_at=start, now=now, status="scheduled")
    assert not rules.proposals_are_open(
        cutoff=cutoff, starts_at=start, now=cutoff, status="scheduled"
    )
    assert rules.proposals_are_open(cutoff=None, starts_at=start, now=cutoff, status="draft")
    assert not rules.proposals_are_open(cutoff=None, starts_at=start, now=now, status="held")


def test_an_agency_answers_attending_when_any_of_its_people_attends():
    assert rules.agency_answer(["", ""]) == ""
    assert rules.agency_answer(["not_attending", ""]) == "not_attending"
    assert rules.agency_answer(["not_attending", "alternate"]) == "alternate"
    assert rules.agency_answer(["alternate", "attending"]) == "attending"
