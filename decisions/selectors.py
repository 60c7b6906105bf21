"""Read models of decisions for pages, exports, notifications and other apps."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from core.search import Source, find, parse_query
from meetings.models import Meeting
from members.models import Appointment, Membership

from . import rules
from .models import DeadlineExtension, Decision, ElectorateMember, Position, PositionChange


@dataclass
class TallyRow:
    organisation: object
    position: object = None  # Position or None


@dataclass
class Tally:
    """Who concurs, stands aside, objects and has not responded, agency by agency."""

    rows: list
    concurring: list = field(default_factory=list)
    standing_aside: list = field(default_factory=list)
    objecting: list = field(default_factory=list)
    not_responded: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.rows)

    @property
    def responded(self):
        return self.total - len(self.not_responded)

    @property
    def everyone_responded(self):
        return not self.not_responded


REGISTER_ORDER = ["-year", "-sequence", "-created_at"]


def register_ordering(query=""):
    """The register's sort keys: newest reference first; the best match first when searching."""
    if (query or "").strip() and connection.vendor == "postgresql":
        return ["-search_rank", *REGISTER_ORDER[:2]]
    return REGISTER_ORDER


def decision_register(user, *, status="", year="", procedure="", meeting="", query=""):
    """The register of decisions this person may see, filtered, with their tallies.

    `meeting`: one meeting's id, or a list of ids (the meetings a typed name matched).
    """
    decisions = (
        Decision.objects.visible_to(user)
        .select_related("proposing_organisation", "meeting")
        .with_tally()
    )
    if status:
        decisions = decisions.filter(status=status)
    if year:
        decisions = decisions.filter(year=year)
    if procedure:
        decisions = decisions.filter(procedure=procedure)
    if isinstance(meeting, (list, tuple)):
        decisions = decisions.filter(meeting_id__in=meeting)
    elif meeting:
        decisions = decisions.filter(meeting_id=meeting)
    if query:
        return decisions.search(query)  # ranked: the best match first
    return decisions.order_by(*REGISTER_ORDER)


def register_years():
    """The years of the register, newest first: one index probe per year.

    `SELECT DISTINCT year` reads every decision; this walks the unique (year, sequence) index
    from year to year instead (a "loose index scan"), so a decade of decisions costs ten probes
    however many decisions each year holds.
    """
    table = Decision._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE years(year) AS (
                SELECT MAX(year) FROM {table}
                UNION ALL
                SELECT (SELECT MAX(inner_.year) FROM {table} inner_ WHERE inner_.year < years.year)
                FROM years WHERE years.year IS NOT NULL
            )
            SELECT year FROM years WHERE year IS NOT NULL
            """  # noqa: S608 (the table's own name; no input)
        )
        return [row[0] for row in cursor.fetchall()]


MEETING_MATCHES = 20


def meetings_matching(user, text, *, limit=MEETING_MATCHES):
    """The meetings with decisions this person may see whose title or place holds the words,
    the best match and then the latest first: at most `limit` (the register's meeting filter).

    Read through the meetings' stored full-text vector (core.search), so a name typed costs the
    same however many meetings the network has held.
    """
    query = parse_query(text)
    if not query:
        return []
    with_decisions = Exists(Decision.objects.visible_to(user).filter(meeting=OuterRef("pk")))
    hits = find(
        Meeting.objects.visible_to(user).filter(with_decisions),
        query,
        sources=[Source(Meeting.objects.all(), fields=("title", "place"))],
        limit=limit,
        order_by=("-starts_at", "-pk"),
    )
    return [hit.obj for hit in hits]


def decision_for_page(queryset, pk):
    """One decision with everything its page shows, in a fixed number of queries."""
    return (
        queryset.select_related(
            "proposing_organisation",
            "meeting",
            "replaces",
            "opened_by",
            "closed_by",
            "created_by",
        )
        .prefetch_related(
            Prefetch(
                "electorate",
                queryset=ElectorateMember.objects.select_related("organisation").order_by(
                    "organisation__acronym"
                ),
            ),
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("organisation", "recorded_by"),
            ),
            Prefetch(
                "position_changes",
                queryset=PositionChange.objects.select_related(
                    "organisation", "recorded_by", "meeting"
                ).order_by("-created_at", "-pk"),
            ),
            Prefetch(
                "extensions",
                queryset=DeadlineExtension.objects.select_related("extended_by"),
            ),
            "revisions",
        )
        .get(pk=pk)
    )


def tally_of(decision):
    """The tally of a decision loaded by `decision_for_page` (no further queries)."""
    positions = {position.organisation_id: position for position in decision.positions.all()}
    tally = Tally(rows=[])
    for member in decision.electorate.all():
        position = positions.get(member.organisation_id)
        tally.rows.append(TallyRow(member.organisation, position))
        if position is None:
            tally.not_responded.append(member.organisation)
        elif position.stance == "concur":
            tally.concurring.append(member.organisation)
        elif position.stance == "stand_aside":
            tally.standing_aside.append(member.organisation)
        else:
            tally.objecting.append(member.organisation)
    return tally


def awaiting_my_position(user, organisation_ids):
    """Open decisions on which an agency this person speaks for has no position yet."""
    if not organisation_ids:
        return Decision.objects.none()
    return (
        Decision.objects.visible_to(user)
        .awaiting_position_of(organisation_ids)
        # Past its deadline a decision takes no more positions (the scheduler is closing it).
        .exclude(deadline__lte=timezone.now())
        .order_by("deadline", "opened_at")
    )


def ready_to_close(user):
    """Open decisions on which every agency of the electorate holds a position."""
    answered = Position.objects.filter(
        decision=OuterRef("decision"), organisation=OuterRef("organisation")
    )
    return (
        Decision.objects.visible_to(user)
        .open()
        .annotate(electorate_size=Count("electorate"))
        .filter(electorate_size__gt=0)
        .exclude(
            Exists(
                ElectorateMember.objects.filter(decision=OuterRef("pk")).exclude(Exists(answered))
            )
        )
        .order_by("deadline", "opened_at")
    )


def representatives(organisation_ids=None):
    """Active focal points and alternates (of these agencies), with the agency they speak for."""
    appointments = Appointment.objects.active().filter(person__is_active=True)
    if organisation_ids is not None:
        appointments = appointments.filter(organisation_id__in=organisation_ids)
    return appointments.select_related("person", "organisation").order_by(
        "organisation__acronym", "kind"
    )


def co_chair_representatives():
    co_chairs = Membership.objects.active().filter(role=Membership.Role.CO_CHAIR)
    return representatives(co_chairs.values("organisation_id"))


def _with_organisations(decision, name):
    """`decision.<name>` rows with their organisation: the prefetched ones when the decision's
    page loaded them (`decision_for_page`), else one query."""
    prefetched = getattr(decision, "_prefetched_objects_cache", {})
    if name in prefetched:
        return prefetched[name]
    return getattr(decision, name).select_related("organisation")


def outcome_inputs(decision):
    """The electorate and positions (by acronym) the consensus rule is applied to."""
    electorate = [m.organisation.acronym for m in _with_organisations(decision, "electorate")]
    positions = {
        p.organisation.acronym: (p.stance, p.reason)
        for p in _with_organisations(decision, "positions")
    }
    return electorate, positions


def projected_outcome(decision):
    """What closing the decision now would decide: the rule of `rules.py`, never a copy of it."""
    electorate, positions = outcome_inputs(decision)
    return rules.consensus_outcome(
        electorate, positions, silence_procedure=decision.is_silence_procedure
    )


def unanswered_agency_ids(decision):
    answered = decision.positions.values("organisation_id")
    return list(
        decision.electorate.exclude(organisation_id__in=answered).values_list(
            "organisation_id", flat=True
        )
    )


def pending_for_meeting(meeting):
    """Open decisions, and drafts prepared for this meeting: what its agenda carries over."""
    return (
        Decision.objects.filter(Q(status="open") | Q(status="draft", meeting=meeting))
        .select_related("proposing_organisation")
        .order_by("status", "deadline", "created_at")
    )


def taken_at_meeting(meeting):
    """Decisions closed that were taken at this meeting, with their positions."""
    return (
        Decision.objects.filter(meeting=meeting, status__in=["adopted", "not_adopted"])
        .prefetch_related(
            Prefetch(
                "electorate",
                queryset=ElectorateMember.objects.select_related("organisation"),
            ),
            Prefetch("positions", queryset=Position.objects.select_related("organisation")),
        )
        .order_by("sequence")
    )


def time_left(decision, now=None):
    if decision.deadline is None or decision.status != "open":
        return None
    return decision.deadline - (now or timezone.now())


def open_on_agenda_of(meeting):
    """Open decisions this meeting takes up: taken at it, or carried into its agenda."""
    carried = set(
        meeting.agenda_items.filter(source="decision")
        .exclude(status="declined")
        .values_list("source_url", flat=True)
    )
    decisions = Decision.objects.open().order_by("sequence")
    return [
        decision
        for decision in decisions
        if decision.meeting_id == meeting.pk or decision.get_absolute_url() in carried
    ]


def is_on_agenda_of(decision, meeting):
    return decision.meeting_id == meeting.pk or any(
        found.pk == decision.pk for found in open_on_agenda_of(meeting)
    )


def meeting_day_positions(meeting):
    """For each open decision on the agenda: every agency of its electorate, its position, and
    whether it is present at the meeting (only present agencies state a position there)."""
    present = set(
        meeting.attendance.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    decisions = open_on_agenda_of(meeting)
    electorate = {}
    for member in ElectorateMember.objects.filter(decision__in=decisions).select_related(
        "organisation"
    ):
        electorate.setdefault(member.decision_id, []).append(member.organisation)
    positions = {
        (position.decision_id, position.organisation_id): position
        for position in Position.objects.filter(decision__in=decisions)
    }
    tables = []
    for decision in decisions:
        rows = []
        # Present agencies first: they are the ones whose positions are taken down.
        members = sorted(
            electorate.get(decision.pk, []), key=lambda o: (o.pk not in present, o.acronym)
        )
        for organisation in members:
            position = positions.get((decision.pk, organisation.pk))
            rows.append(
                {
                    "organisation": organisation,
                    "position": position,
                    "present": organisation.pk in present,
                    "at_this_meeting": position is not None
                    and position.on_behalf
                    and position.meeting_id == meeting.pk,
                }
            )
        tables.append({"decision": decision, "rows": rows})
    return {"tables": tables, "present": present}


def stated_at_meeting(meeting):
    """Positions a co-chair recorded on the agencies' behalf at this meeting."""
    return (
        Position.objects.filter(meeting=meeting, on_behalf=True)
        .select_related("decision", "organisation")
        .order_by("decision__sequence", "organisation__acronym")
    )
