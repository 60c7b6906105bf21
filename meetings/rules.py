"""Pure rules of the meetings domain: schedules, deadlines, reminders. No ORM, no request."""

import calendar
from datetime import UTC, date, datetime, timedelta

REGULAR_MEETINGS_PER_YEAR = 6
# ToR: the network meets bi-monthly.
MONTHS_BETWEEN_REGULAR_MEETINGS = 2
LAST = -1


def nth_weekday(year, month, weekday, week):
    """The `week`-th (1-4, or LAST) `weekday` (0 = Monday) of a month."""
    if week == LAST:
        last_day = calendar.monthrange(year, month)[1]
        day = date(year, month, last_day)
        return day - timedelta(days=(day.weekday() - weekday) % 7)
    if not 1 <= week <= 4:
        raise ValueError("week must be 1-4 or LAST")
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def regular_schedule(*, year, first_month, weekday, week, start_time, duration_minutes, tzinfo):
    """The bi-monthly (start, end) datetimes of `year` from `first_month`, in `tzinfo`.

    Six meetings from January or February; fewer from a later month, because a year's schedule
    stays within the year: a meeting in January of the next year would block generating that
    year. The wall-clock time is kept in the network's time zone: a 10:00 meeting is at 10:00
    local time on both sides of a daylight-saving change.
    """
    slots = []
    for month in range(first_month, 13, MONTHS_BETWEEN_REGULAR_MEETINGS):
        day = nth_weekday(year, month, weekday, week)
        starts = datetime.combine(day, start_time, tzinfo=tzinfo)
        # Through UTC, so a meeting across a daylight-saving change still lasts its duration.
        ends = (starts.astimezone(UTC) + timedelta(minutes=duration_minutes)).astimezone(tzinfo)
        slots.append((starts, ends))
    return slots


def comment_period_open(*, status, comment_deadline, today):
    """Circulated minutes can be commented on until their deadline (inclusive)."""
    return status == "circulated" and comment_deadline is not None and today <= comment_deadline


def rsvp_is_open(*, starts_at, now, status):
    """An answer can be given or changed until the meeting starts, while it is scheduled."""
    return status == "scheduled" and now < starts_at


def proposals_are_open(*, cutoff, starts_at, now, status):
    """Focal points may propose agenda items until the cut-off (or the start, without one)."""
    if status not in ("draft", "scheduled"):
        return False
    deadline = cutoff or starts_at
    return now < deadline


def reminder_offset_due(*, days_left, offsets):
    """Which 'N days before' reminder is due with `days_left` days to go, or None.

    The smallest offset not yet passed: with [7, 1], five days before the 7-day reminder is
    (still) due, the day before the 1-day one. Sent reminders are recorded per offset, so a
    missed run catches up once and a second run sends nothing.
    """
    if days_left < 0:
        return None
    due = [offset for offset in offsets if days_left <= offset]
    return min(due) if due else None


def rsvp_chaser_due(*, days_left, offsets):
    """Agencies without an answer are chased together with the last-but-one reminder at most."""
    return reminder_offset_due(days_left=days_left, offsets=offsets)


def agency_answer(responses):
    """One agency's answer from its people's answers: attending beats alternate beats no."""
    answered = [response for response in responses if response]
    if not answered:
        return ""
    for wanted in ("attending", "alternate", "not_attending"):
        if wanted in answered:
            return wanted
    return answered[0]


def iso_week_key(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def next_position(positions):
    return max(positions, default=0) + 1


def presumed_present(*, own_response, agency_answer, seat):
    """Whether the meeting-day sheet starts a person as present, from the answers (RSVP).

    `seat` is "focal_point", "alternate" or "" (no seat). "Alternate attends" from the agency
    sends its alternate instead of its focal point.
    """
    if own_response == "attending":
        return True
    if own_response == "not_attending":
        return False
    if own_response == "alternate" or agency_answer == "alternate":
        return seat == "alternate"
    return False
