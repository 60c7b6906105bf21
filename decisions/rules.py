"""The network's consensus rule and deadline arithmetic: pure functions, no ORM, no request.

ToR: "Any decision taken by the Network on Migration will need to receive full consensus from all
members." docs/PRODUCT.md §4 makes that precise: adopted if and only if, at closing, every
agency of the electorate has a position, none objects and at least one concurs; under a silence
procedure an agency with no position at the deadline counts as concurring.
"""

from dataclasses import dataclass, field
from datetime import timedelta

CONCUR = "concur"
STAND_ASIDE = "stand_aside"
OBJECT = "object"
STANCES = (CONCUR, STAND_ASIDE, OBJECT)


@dataclass(frozen=True)
class Outcome:
    """The result of the consensus rule, with everything needed to explain it."""

    adopted: bool
    concurring: tuple = ()
    standing_aside: tuple = ()
    # (agency, reason) pairs.
    objecting: tuple = ()
    not_responded: tuple = ()
    # Silence procedure: agencies without a position, counted as concurring.
    silent: tuple = ()
    silence_procedure: bool = False
    reasons: tuple = field(default=())

    def as_dict(self):
        return {
            "adopted": self.adopted,
            "concurring": list(self.concurring),
            "standing_aside": list(self.standing_aside),
            "objecting": [
                {"agency": agency, "reason": reason} for agency, reason in self.objecting
            ],
            "not_responded": list(self.not_responded),
            "silent": list(self.silent),
            "silence_procedure": self.silence_procedure,
            "reasons": list(self.reasons),
        }


def consensus_outcome(electorate, positions, *, silence_procedure=False):
    """Apply the full-consensus rule.

    `electorate`: the agencies with voting rights when the decision opened (any hashable keys).
    `positions`: agency → (stance, reason) for the agencies that hold a position. Positions of
    agencies outside the electorate do not count: the electorate is the snapshot, not today's
    membership. Returns an `Outcome`; its `reasons` are codes ("objection", "no_response",
    "no_concurrence") the page turns into sentences.
    """
    electorate = sorted(set(electorate))
    concurring, standing_aside, objecting, missing = [], [], [], []
    for agency in electorate:
        if agency not in positions:
            missing.append(agency)
            continue
        stance, reason = positions[agency]
        if stance not in STANCES:
            raise ValueError(f"Unknown position {stance!r} of {agency!r}")
        if stance == CONCUR:
            concurring.append(agency)
        elif stance == STAND_ASIDE:
            standing_aside.append(agency)
        else:
            objecting.append((agency, reason or ""))

    silent = missing if silence_procedure else []
    not_responded = [] if silence_procedure else missing
    reasons = []
    if objecting:
        reasons.append("objection")
    if not_responded:
        reasons.append("no_response")
    if not concurring and not silent:
        reasons.append("no_concurrence")
    return Outcome(
        adopted=not reasons,
        concurring=tuple(concurring),
        standing_aside=tuple(standing_aside),
        objecting=tuple(objecting),
        not_responded=tuple(not_responded),
        silent=tuple(silent),
        silence_procedure=silence_procedure,
        reasons=tuple(reasons),
    )


def all_have_responded(electorate, responded):
    """Whether every agency of the electorate holds a position (a co-chair may then close)."""
    return set(electorate) <= set(responded)


def deadline_passed(deadline, now):
    return deadline is not None and now >= deadline


def due_reminder_offsets(*, deadline, opened_at, now, days_before):
    """The reminder offsets (days before the deadline) whose moment has come and not passed.

    An offset counts only if its moment lies after the opening: a decision opened two days before
    its deadline gets no "three days left" reminder.
    """
    if deadline is None or now >= deadline:
        return []
    due = []
    for days in sorted(set(days_before), reverse=True):
        moment = deadline - timedelta(days=days)
        if opened_at <= moment <= now:
            due.append(days)
    return due


# A co-chair's "remind those who have not responded": at most once in this interval per decision,
# so agencies are not flooded by repeated clicks or by several co-chairs at once.
MANUAL_REMINDER_INTERVAL = timedelta(hours=12)


def next_manual_reminder_at(last_sent_at):
    """When a co-chair may send the next reminder, or None if one may be sent now."""
    return None if last_sent_at is None else last_sent_at + MANUAL_REMINDER_INTERVAL


def add_working_days(day, count, weekend):
    """The date `count` working days after `day`; `weekend` holds the weekdays not worked."""
    weekend = set(weekend)
    if len(weekend) >= 7:
        raise ValueError("A week needs at least one working day")
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() not in weekend:
            count -= 1
    return day


def earliest_deadline(*, opened_at, silence, notice_days, notice_working_days, weekend, tzinfo):
    """The earliest deadline the network's minimum notice allows for a decision opened now.

    Silence procedures count working days, by date in the network's time zone (an agency that
    stays silent is taken to concur, so it must have had its working days to answer); other
    procedures count whole days from the opening moment. Returns (earliest, is_a_date).
    """
    if silence:
        local = opened_at.astimezone(tzinfo).date()
        return add_working_days(local, notice_working_days, weekend), True
    return opened_at + timedelta(days=notice_days), False


def notice_is_enough(*, deadline, earliest, is_a_date, tzinfo):
    if is_a_date:
        return deadline.astimezone(tzinfo).date() >= earliest
    return deadline >= earliest
