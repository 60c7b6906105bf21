"""The referral workflow as pure functions: who may move a referral from which state, deadlines,
retention, and the small-cell suppression of the statistics."""

from dataclasses import dataclass
from datetime import datetime, timedelta

SENDER = "sender"
RECEIVER = "receiver"


@dataclass(frozen=True)
class Transition:
    side: str
    sources: frozenset
    target: str


# action → which side may do it, from which states, to which state.
TRANSITIONS = {
    "send": Transition(SENDER, frozenset({"draft"}), "sent"),
    "acknowledge": Transition(RECEIVER, frozenset({"sent"}), "acknowledged"),
    "accept": Transition(RECEIVER, frozenset({"acknowledged"}), "accepted"),
    "decline": Transition(RECEIVER, frozenset({"acknowledged"}), "declined"),
    "close": Transition(RECEIVER, frozenset({"accepted"}), "closed"),
    # The sender may withdraw until the receiving agency has accepted the case.
    "withdraw": Transition(SENDER, frozenset({"draft", "sent", "acknowledged"}), "withdrawn"),
}
ENDED_STATES = frozenset({"declined", "closed", "withdrawn"})


# The receiving side reads the person's data only for a case it was sent and may still take up:
# once the sender withdraws the referral (before acceptance), the receiver has no purpose for it,
# so its access ends as it does when consent is withdrawn (PDPL data minimisation).
RECEIVER_LOSES_ACCESS_STATES = frozenset({"withdrawn"})


def receiver_may_read_person(status: str) -> bool:
    """Whether the receiving side may still read a referral's personal data in `status`."""
    return status not in RECEIVER_LOSES_ACCESS_STATES


def may_transition(action: str, *, side: str | None, status: str) -> bool:
    """Whether an officer of `side` may do `action` to a referral in `status`."""
    transition = TRANSITIONS.get(action)
    return bool(transition and side == transition.side and status in transition.sources)


def acknowledge_due(sent_at: datetime, urgency: str, hours_by_urgency: dict) -> datetime:
    """When the receiving agency must have acknowledged a referral sent at `sent_at`."""
    return sent_at + timedelta(hours=hours_by_urgency[urgency])


def is_overdue(*, status: str, due_at: datetime | None, now: datetime) -> bool:
    return status == "sent" and due_at is not None and due_at < now


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the last day of a shorter month)."""
    import calendar

    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def retention_cutoff(now: datetime, months: int) -> datetime:
    """Referrals that ended before this instant have outlived their retention."""
    return add_months(now, -months)


SMALL_CELL = 5


def suppress(count: int) -> str:
    """A count as shown in statistics: under 5 is "<5" (a small cell could identify a person)."""
    return "<5" if 0 < count < SMALL_CELL else str(count)
