"""The decision register as CSV (streamed) and as Excel (a background job): issue 13.

Both read the register's rows as plain values from one query on a server-side cursor
(`register_rows`). On PostgreSQL the tallies, the objections ("AGENCY: reason; …"), who has no
position and who counted as concurring by silence come from SQL: for an open decision from its
electorate and positions (what closing now would record, as `selectors.projected_outcome` says);
for a closed one from the outcome stored at closing. No model instance is built and the number
of queries does not grow with the rows. Elsewhere (the SQLite default of `make run`) the outcome
columns come from the rule itself, a decision at a time (`outcome_columns_by_rule`), which the
tests also hold the SQL to.
"""

import csv
import io
import json
import tempfile
from contextlib import contextmanager
from functools import lru_cache

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Collate, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

from . import selectors
from .models import Decision, ElectorateMember, Position, Stance

REGISTER_XLSX = "decisions.register_xlsx"

HEADERS = [
    gettext_lazy("Reference"),
    gettext_lazy("Title"),
    gettext_lazy("Status"),
    gettext_lazy("Procedure"),
    gettext_lazy("Proposed by"),
    gettext_lazy("Meeting"),
    gettext_lazy("Opened"),
    gettext_lazy("Deadline"),
    gettext_lazy("Closed"),
    gettext_lazy("Electorate"),
    gettext_lazy("Concur"),
    gettext_lazy("Stand aside"),
    gettext_lazy("Object"),
    gettext_lazy("Objections"),
    gettext_lazy("No position"),
    gettext_lazy("Counted as concurring (silence)"),
    gettext_lazy("Text"),
]

# Rows fetched from the server-side cursor at a time, and CSV rows sent in one piece.
CHUNK_SIZE = 2000
STANCE_ORDER = (Stance.CONCUR, Stance.STAND_ASIDE, Stance.OBJECT)
NO_STANCES = (0, 0, 0)
CSV_ROWS_PER_PIECE = 200
# Meetings whose titles are kept worded: decisions come in reference order, so the meetings of
# neighbouring rows repeat; a bounded cache keeps memory flat however long the register is.
MEETING_TITLES_CACHED = 2048

_COLUMNS = (
    "reference",
    "title",
    "status",
    "procedure",
    "proposing_organisation__acronym",
    "meeting_id",
    "meeting__title",
    "meeting__generated_kind",
    "export_meeting_params",
)
# The meeting's start and the decision's moments: read as text in the reader's time zone on
# PostgreSQL (parsing them into datetimes, then formatting them, was half the Python time).
_MOMENTS = ("meeting__starts_at", "opened_at", "deadline", "closed_at")


class _LocalText(Func):
    """A moment as text in a time zone (PostgreSQL's to_char), NULL when there is none."""

    output_field = TextField()

    def __init__(self, expression, *, tzname, pattern):
        super().__init__(F(expression))
        self.tzname, self.pattern = tzname, pattern

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql} AT TIME ZONE %s, %s)", (*params, self.tzname, self.pattern)


def _tzname(tzinfo):
    # The IANA name both Python and PostgreSQL know ("Asia/Bahrain"), as Django's own SQL
    # time zone conversions use it.
    return getattr(tzinfo, "key", None) or tzinfo.tzname(None)


class _Array(Func):
    template = "ARRAY[%(expressions)s]"
    output_field = ArrayField(IntegerField())


def _stance_counts():
    """[concur, stand aside, object]: the counts of `with_tally`, in one look-up of the
    decision's positions instead of three."""
    counts = (
        Position.objects.filter(decision=OuterRef("pk"))
        .order_by()
        .values("decision")
        .annotate(
            counts=_Array(
                *(Count("pk", filter=Q(stance=stance)) for stance in STANCE_ORDER),
            )
        )
        .values("counts")
    )
    return Subquery(counts, output_field=ArrayField(IntegerField()))


class _OutcomeList(Func):
    """The entries of a list in the stored outcome (JSON), joined in their order, in SQL.

    `objecting` holds {"agency", "reason"} objects, written "AGENCY: reason"; the other lists
    hold acronyms. NULL when the outcome has no such list (a draft, a withdrawn decision).
    """

    output_field = TextField()

    def __init__(self, key, separator, *, objections=False):
        super().__init__(F("outcome"))
        self.key, self.separator, self.objections = key, separator, objections

    def as_sql(self, compiler, connection, **extra_context):
        outcome, params = compiler.compile(self.source_expressions[0])
        if self.objections:
            elements = "jsonb_array_elements"
            item = "(t.item ->> 'agency') || ': ' || (t.item ->> 'reason')"
        else:
            elements, item = "jsonb_array_elements_text", "t.item"
        # Constant SQL around the compiled column: the key and separator travel as parameters.
        sql = (
            f"(SELECT string_agg({item}, %s ORDER BY t.n) FROM {elements}("  # noqa: S608
            f"CASE WHEN jsonb_typeof({outcome} -> %s) = 'array' THEN {outcome} -> %s END"
            ") WITH ORDINALITY AS t(item, n))"
        )
        return sql, (self.separator, *params, self.key, *params, self.key)


def _joined_acronyms(rows, text, separator):
    """`text` of each of `rows` (of one decision), joined in the order of their agencies'
    acronyms, as Python's sorted() orders them (code points: the "C" collation)."""
    joined = (
        rows.order_by()
        .values("decision")
        .annotate(
            joined=StringAgg(text, separator, order_by=Collate(F("organisation__acronym"), "C"))
        )
        .values("joined")
    )
    return Subquery(joined, output_field=TextField())


def _outcome_annotations():
    """The objections, who has no position and who counted as concurring by silence, in SQL.

    Open: the consensus rule on the positions so far (rules.consensus_outcome): objections of
    agencies of the electorate, and every agency of the electorate without a position, whatever
    the procedure (silence counts only at closing). Otherwise: the outcome stored at closing.
    """
    in_electorate = Exists(
        ElectorateMember.objects.filter(
            decision=OuterRef("decision"), organisation=OuterRef("organisation")
        )
    )
    answered = Exists(
        Position.objects.filter(
            decision=OuterRef("decision"), organisation=OuterRef("organisation")
        )
    )
    objections = _joined_acronyms(
        Position.objects.filter(decision=OuterRef("pk"), stance=Stance.OBJECT).filter(
            in_electorate
        ),
        Concat("organisation__acronym", Value(": "), "reason", output_field=TextField()),
        "; ",
    )
    missing = _joined_acronyms(
        ElectorateMember.objects.filter(decision=OuterRef("pk")).exclude(answered),
        F("organisation__acronym"),
        ", ",
    )
    is_open = Q(status=Decision.Status.OPEN)

    def column(when_open, stored):
        return Coalesce(
            Case(When(is_open, then=when_open), default=stored, output_field=TextField()),
            Value("", output_field=TextField()),
            output_field=TextField(),
        )

    return {
        "export_objections": column(objections, _OutcomeList("objecting", "; ", objections=True)),
        "export_not_responded": column(missing, _OutcomeList("not_responded", ", ")),
        "export_silent": column(Value("", output_field=TextField()), _OutcomeList("silent", ", ")),
    }


def outcome_columns_by_rule(decision_id, status, procedure, outcome):
    """The objections, no-position and silence columns from the rule, one decision at a time.

    The reference the SQL of `_outcome_annotations` is held to (and the path off PostgreSQL): the
    page's projected outcome for an open decision, the stored outcome otherwise.
    """
    outcome = outcome or {}
    if status == Decision.Status.OPEN:
        projected = selectors.projected_outcome(
            Decision(pk=decision_id, status=status, procedure=procedure)
        )
        # An open decision lists everyone without a position so far, whatever the procedure.
        outcome = {
            **projected.as_dict(),
            "not_responded": [*projected.not_responded, *projected.silent],
            "silent": [],
        }
    objections = "; ".join(
        f"{item['agency']}: {item['reason']}" for item in outcome.get("objecting", [])
    )
    return (
        objections,
        ", ".join(outcome.get("not_responded", [])),
        ", ".join(outcome.get("silent", [])),
    )


def register_queryset(user, filters, *, tzinfo, in_sql=None):
    """The register's rows as values: those the page lists, in its order (see `register_rows`)."""
    in_sql = connection.vendor == "postgresql" if in_sql is None else in_sql
    decisions = (
        selectors.decision_register(user, **filters)
        .with_tally()
        .annotate(export_meeting_params=Cast("meeting__generated_params", TextField()))
    )
    if in_sql:
        tzname = _tzname(tzinfo)
        decisions = decisions.annotate(
            export_meeting_day=_LocalText(
                "meeting__starts_at", tzname=tzname, pattern="YYYY-MM-DD"
            ),
            **{
                f"export_{name}": _LocalText(name, tzname=tzname, pattern="YYYY-MM-DD HH24:MI")
                for name in _MOMENTS[1:]
            },
            export_stances=_stance_counts(),
            **_outcome_annotations(),
        )
        return decisions.values_list(
            *_COLUMNS,
            "export_meeting_day",
            *(f"export_{name}" for name in _MOMENTS[1:]),
            "text",
            "electorate_count",
            "export_stances",
            "export_objections",
            "export_not_responded",
            "export_silent",
        )
    return decisions.values_list(
        *_COLUMNS,
        *_MOMENTS,
        "text",
        "electorate_count",
        "concur_count",
        "stand_aside_count",
        "object_count",
        "pk",
        "outcome",
    )


def _tail_in_sql(status, procedure, electorate, stances, *outcome):
    return (electorate, *(stances or NO_STANCES), *outcome)


def _tail_by_rule(status, procedure, electorate, concur, stand_aside, objecting, pk, outcome):
    return (
        electorate,
        concur,
        stand_aside,
        objecting,
        *outcome_columns_by_rule(pk, status, procedure, outcome),
    )


@contextmanager
def _reading(*, atomic):
    """Where the rows are read: in a transaction (a stream), or not (a job reporting progress).

    In a transaction the server-side cursor is not held past it, so rows come as they are
    computed; outside one PostgreSQL stores the whole result first. (JIT compilation, which took
    longer than this query, is off for every connection: settings, DATABASE_JIT.)
    """
    if not atomic:
        yield
        return
    with transaction.atomic():
        yield


def _stamp(value, tzinfo):
    # As strftime("%Y-%m-%d %H:%M"), at half its cost.
    return value.astimezone(tzinfo).isoformat(" ", "minutes")[:16] if value else ""


def register_rows(user, filters, *, tzinfo=None, in_sql=None, atomic=True, chunk_size=CHUNK_SIZE):
    """The export's rows (lists of plain values, in the order of HEADERS), from one query.

    Labels and time zone are those active when this is called (the reader's): a streamed
    response is read after the view has returned and its middleware has reset both.
    `atomic=False` reads outside a transaction, for a job whose progress must show meanwhile.
    """
    from core.registry import render_generated

    in_sql = connection.vendor == "postgresql" if in_sql is None else in_sql
    tzinfo = tzinfo or timezone.get_current_timezone()
    language = translation.get_language()
    statuses = {value: str(label) for value, label in Decision.Status.choices}
    procedures = {value: str(label) for value, label in Decision.Procedure.choices}
    rows = register_queryset(user, filters, tzinfo=tzinfo, in_sql=in_sql)
    tail = _tail_in_sql if in_sql else _tail_by_rule
    if in_sql:

        def moment(text):
            return text or ""

        def day(text):
            return text
    else:

        def moment(value):
            return _stamp(value, tzinfo)

        def day(value):
            return value.astimezone(tzinfo).isoformat()[:10]

    @lru_cache(maxsize=MEETING_TITLES_CACHED)
    def worded(kind, params, title):
        # A title the portal wrote, in the reader's language (Meeting.display_title).
        with translation.override(language):
            return render_generated(f"{kind}.title", json.loads(params) if params else {}, title)

    def meeting_name(title, kind, params, starts_at):
        # Meeting.__str__: "title (date)", the date in the reader's time zone.
        title = worded(kind, params, title) if kind else title
        return f"{title} ({day(starts_at)})"

    def generate():
        with _reading(atomic=atomic):
            for row in rows.iterator(chunk_size=chunk_size):
                (
                    reference,
                    title,
                    status,
                    procedure,
                    proposed_by,
                    meeting_id,
                    meeting_title,
                    meeting_kind,
                    meeting_params,
                    meeting_starts_at,
                    opened_at,
                    deadline,
                    closed_at,
                    text,
                    *rest,
                ) = row
                yield [
                    reference,
                    title,
                    statuses.get(status, status),
                    procedures.get(procedure, procedure),
                    proposed_by or "",
                    meeting_name(meeting_title, meeting_kind, meeting_params, meeting_starts_at)
                    if meeting_id
                    else "",
                    moment(opened_at),
                    moment(deadline),
                    moment(closed_at),
                    *tail(status, procedure, *rest),
                    text,
                ]

    return generate()


# A cell starting with one of these would run as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = frozenset("=+-@")


def csv_safe(value):
    if value.__class__ is str and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def register_csv(user, filters):
    """The register as CSV text, in pieces of a few hundred rows, with the byte-order mark."""
    headers = [str(header) for header in HEADERS]
    rows = register_rows(user, filters)

    def pieces():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
        writer.writerow(headers)
        for count, row in enumerate(rows, start=1):
            writer.writerow(
                [
                    "'" + value if value.__class__ is str and value[:1] in FORMULA_STARTS else value
                    for value in row
                ]
            )
            if count % CSV_ROWS_PER_PIECE == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return pieces()


def write_register_xlsx(rows, handle, *, report_progress=None, total=0):
    """Write the register's `rows` to `handle` as a workbook, a row at a time (write-only)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Decisions")[:31])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMNOPQ", (18, 50, 14, 20, 14, 30), strict=False):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(value, **style):
        written = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(written, name, setting)
        return written

    def clean(value):
        # Control characters (pasted from elsewhere) are not allowed in a workbook's XML; an
        # empty text is no cell at all (None), which openpyxl skips instead of writing.
        if value.__class__ is str:
            return ILLEGAL_CHARACTERS_RE.sub("", csv_safe(value)) if value else None
        return value

    sheet.append([cell(str(header), font=bold) for header in HEADERS])
    # One styled cell for every title: the row is written when appended, so the next row may
    # reuse it (styling a new cell a row cost more than writing it).
    title = cell(None, alignment=wrap)
    reported = 0
    for count, row in enumerate(rows, start=1):
        values = [clean(value) for value in row]
        title.value = values[1]
        values[1] = title
        sheet.append(values)
        # Every twentieth of the rows (one small update each), between 10 % and 90 %.
        if report_progress and total and count * 20 // total > reported:
            reported = count * 20 // total
            report_progress(10 + reported * 4, _("Writing the decisions"))
    workbook.save(handle)


def can_download_register_xlsx(user, stored_file):
    """A register workbook: only the person who asked for it, while they may see decisions.

    It lists what *they* could see (drafts for those who draft), so no one else gets it.
    """
    from core.models import Job

    from .permissions import can_view_decisions

    return (
        stored_file.owner_type is not None
        and stored_file.owner_type.model_class() is Job
        and can_view_decisions(user)
        and Job.objects.filter(
            pk=stored_file.owner_id, kind=REGISTER_XLSX, requested_by_id=user.pk
        ).exists()
    )


def render_register_xlsx(job, report_progress):
    """The job: the register with the filters stored with it, as the requester may see it now."""
    import zoneinfo

    from core.files import stored_file_save

    from .permissions import can_view_decisions

    person = job.requested_by
    if person is None or not person.is_active or not can_view_decisions(person):
        raise DomainError(_("You may no longer see the decision register."))
    params = job.params or {}
    filters = params.get("filters") or {}
    try:
        tzinfo = zoneinfo.ZoneInfo(params.get("time_zone") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tzinfo = timezone.get_default_timezone()
    with timezone.override(tzinfo):
        report_progress(5, _("Reading the register"))
        total = selectors.decision_register(person, **filters).count()
        # Read outside a transaction: the progress written meanwhile must show on the job page.
        rows = register_rows(person, filters, tzinfo=tzinfo, atomic=False)
        with tempfile.TemporaryFile() as spool:
            write_register_xlsx(rows, spool, report_progress=report_progress, total=total)
            report_progress(95, _("Saving the file"))
            spool.seek(0)
            return stored_file_save(
                content=spool,
                name=f"decision-register-{timezone.localdate():%Y-%m-%d}.xlsx",
                content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                kind=REGISTER_XLSX,
                owner=job,
                by=person,
            )


def register_xlsx_request(*, filters, token, by):
    """Ask for the register as Excel: a job for `by`, once per rendered form (`token`).

    The job keeps the filters (choices and ids, as JSON) and the reader's time zone; what it
    lists is decided when it runs, from what `by` may see then.
    """
    from core.jobs import job_enqueue

    return job_enqueue(
        kind=REGISTER_XLSX,
        by=by,
        params={"filters": filters, "time_zone": timezone.get_current_timezone_name()},
        idempotency_key=f"{REGISTER_XLSX}:{by.pk}:{token}",
    )


def register():
    from core.files import register_download_check
    from core.jobs import register_job_kind

    register_download_check(REGISTER_XLSX, can_download_register_xlsx)
    register_job_kind(
        REGISTER_XLSX,
        render_register_xlsx,
        label=gettext_lazy("Decision register (Excel)"),
    )
