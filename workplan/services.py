"""State changes of the workplan: each one transaction, one audit entry."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.errors import DomainError
from core.validators import require_single_line
from members.roles import represented_organisation_ids

from . import rules
from .models import Deliverable, Funding, ProgressUpdate, Workplan
from .permissions import can_update_progress

DELIVERABLE_M2M = ("tor_objectives", "gcm_objectives", "sdg_targets", "supporting_agencies")


# --- Workplans ----------------------------------------------------------------------------------


@transaction.atomic
def workplan_create(*, year, by, title="", introduction="", copy_forward=False):
    """Start the workplan of a year, optionally with last year's unfinished deliverables."""
    require_single_line(title)
    if Workplan.objects.filter(year=year).exists():
        raise DomainError(_("There is already a workplan for %(year)s.") % {"year": year})
    workplan = Workplan.objects.create(year=year, title=title, introduction=introduction)
    record("workplan.workplan.created", actor=by, obj=workplan, year=year)
    if copy_forward:
        workplan_copy_forward(workplan=workplan, by=by)
        workplan.refresh_from_db()
    return workplan


@transaction.atomic
def workplan_update(*, workplan, by, title, introduction):
    require_single_line(title)
    workplan.title = title
    workplan.introduction = introduction
    workplan.save(update_fields=["title", "introduction", "updated_at"])
    record("workplan.workplan.changed", actor=by, obj=workplan)
    return workplan


@transaction.atomic
def workplan_copy_forward(*, workplan, by):
    """Copy the previous year's unfinished deliverables into this draft workplan.

    Running it twice copies nothing new: each deliverable is carried over once (a database
    constraint backs this). Funding is not copied: last year's money is last year's.
    """
    workplan = Workplan.objects.select_for_update().get(pk=workplan.pk)
    if not workplan.is_draft:
        raise DomainError(_("Deliverables can be carried over only into a draft workplan."))
    previous = Workplan.objects.filter(year=workplan.year - 1).first()
    if previous is None:
        raise DomainError(
            _("There is no workplan for %(year)s to carry over from.") % {"year": workplan.year - 1}
        )
    already = set(
        workplan.deliverables.filter(copied_from__isnull=False).values_list(
            "copied_from_id", flat=True
        )
    )
    sources = (
        previous.deliverables.open()
        .exclude(pk__in=already)
        .prefetch_related("fundings", *DELIVERABLE_M2M)
        .order_by("number")
    )
    number = _last_number(workplan)
    copies = []
    for source in sources:
        number += 1
        start, end = rules.carried_over_quarters(source.start_quarter, source.end_quarter)
        copy = Deliverable.objects.create(
            workplan=workplan,
            number=number,
            title=source.title,
            description=source.description,
            thematic_area_id=source.thematic_area_id,
            lead_agency_id=source.lead_agency_id,
            start_quarter=start,
            end_quarter=end,
            status=(
                Deliverable.Status.NOT_STARTED
                if source.status == Deliverable.Status.NOT_STARTED
                else Deliverable.Status.ON_TRACK
            ),
            budget_required=rules.funding_gap(source.budget_required, source.confirmed_funds),
            copied_from=source,
        )
        for name in DELIVERABLE_M2M:
            getattr(copy, name).set(getattr(source, name).all())
        copies.append(copy)
    workplan.copied_from = previous
    workplan.save(update_fields=["copied_from", "updated_at"])
    record(
        "workplan.workplan.copied_forward",
        actor=by,
        obj=workplan,
        source_year=previous.year,
        deliverables=[copy.pk for copy in copies],
    )
    return copies


@transaction.atomic
def workplan_endorse(*, workplan, endorsed_on, by, decision=None):
    """Record the network's endorsement of a draft workplan."""
    workplan = Workplan.objects.select_for_update().get(pk=workplan.pk)
    if workplan.status != Workplan.Status.DRAFT:
        raise DomainError(_("Only a draft workplan can be endorsed."))
    if not workplan.deliverables.exists():
        raise DomainError(_("A workplan needs at least one deliverable before it is endorsed."))
    closed_at = getattr(decision, "closed_at", None)
    if closed_at is not None and endorsed_on < timezone.localdate(closed_at):
        raise DomainError(
            _("The workplan cannot be endorsed before the decision that endorsed it (%(date)s).")
            % {"date": timezone.localdate(closed_at).isoformat()}
        )
    workplan.status = Workplan.Status.ENDORSED
    workplan.endorsed_on = endorsed_on
    fields = ["status", "endorsed_on", "updated_at"]
    if decision is not None:
        workplan.endorsed_by_decision = decision
        fields.append("endorsed_by_decision")
    workplan.save(update_fields=fields)
    record(
        "workplan.workplan.endorsed",
        actor=by,
        obj=workplan,
        endorsed_on=endorsed_on,
        decision=getattr(decision, "pk", None),
    )
    return workplan


@transaction.atomic
def workplan_share_with_unct(*, workplan, shared_on, by):
    """Record the date the endorsed workplan was shared with the UN Country Team."""
    workplan = Workplan.objects.select_for_update().get(pk=workplan.pk)
    if workplan.status != Workplan.Status.ENDORSED:
        raise DomainError(_("Only an endorsed workplan can be shared with the UNCT."))
    if shared_on < workplan.endorsed_on:
        raise DomainError(_("The workplan cannot be shared before it was endorsed."))
    workplan.status = Workplan.Status.SHARED
    workplan.shared_on = shared_on
    workplan.save(update_fields=["status", "shared_on", "updated_at"])
    record("workplan.workplan.shared", actor=by, obj=workplan, shared_on=shared_on)
    return workplan


# --- Deliverables -------------------------------------------------------------------------------


def _last_number(workplan):
    return workplan.deliverables.aggregate(last=Max("number"))["last"] or 0


def _split(fields):
    m2m = {name: fields.pop(name) for name in DELIVERABLE_M2M if name in fields}
    return fields, m2m


def _check_quarters(fields):
    start, end = fields.get("start_quarter"), fields.get("end_quarter")
    if start is not None and end is not None and end < start:
        raise DomainError(_("The end quarter cannot come before the start quarter."))


@transaction.atomic
def deliverable_create(*, workplan, by, **fields):
    """Add a deliverable to a workplan; fields are the model's, M2M ones as iterables."""
    workplan = Workplan.objects.select_for_update().get(pk=workplan.pk)
    fields, m2m = _split(dict(fields))
    require_single_line(fields.get("title", ""))
    _check_quarters(fields)
    if not m2m.get("tor_objectives"):
        raise DomainError(_("A deliverable must serve at least one ToR objective."))
    deliverable = Deliverable.objects.create(
        workplan=workplan, number=_last_number(workplan) + 1, **fields
    )
    for name, values in m2m.items():
        getattr(deliverable, name).set(values)
    record(
        "workplan.deliverable.created",
        actor=by,
        obj=deliverable,
        workplan=workplan.year,
        lead_agency=deliverable.lead_agency_id,
    )
    return deliverable


@transaction.atomic
def deliverable_update(*, deliverable, by, **fields):
    """Change a deliverable's description, links, agencies, quarters or budget."""
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    fields, m2m = _split(dict(fields))
    fields.pop("status", None)  # the status changes only through a progress update
    require_single_line(fields.get("title", ""))
    _check_quarters(fields)
    if "tor_objectives" in m2m and not m2m["tor_objectives"]:
        raise DomainError(_("A deliverable must serve at least one ToR objective."))
    changed = sorted(
        name for name, value in fields.items() if getattr(deliverable, name) != value
    ) + sorted(m2m)
    for name, value in fields.items():
        setattr(deliverable, name, value)
    deliverable.save()
    for name, values in m2m.items():
        getattr(deliverable, name).set(values)
    record("workplan.deliverable.changed", actor=by, obj=deliverable, fields=changed)
    return deliverable


@transaction.atomic
def deliverable_post_update(*, deliverable, note, status, by, on=None):
    """A progress note on a deliverable, which may move its status; the history is kept."""
    deliverable = (
        Deliverable.objects.select_for_update().select_related("workplan").get(pk=deliverable.pk)
    )
    if not can_update_progress(by, deliverable):
        raise DomainError(
            _("Only the lead agency's focal point or alternate, or a co-chair, can do this.")
        )
    if status not in Deliverable.Status.values:
        raise DomainError(_("Choose a valid status."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("A progress update cannot be dated in the future."))
    represented = represented_organisation_ids(by)
    update = ProgressUpdate.objects.create(
        deliverable=deliverable,
        date=on,
        note=note,
        status_before=deliverable.status,
        status_after=status,
        author=by,
        author_organisation_id=(
            deliverable.lead_agency_id
            if deliverable.lead_agency_id in represented
            else getattr(by, "organisation_id", None)
        ),
    )
    if status != deliverable.status:
        deliverable.status = status
        deliverable.save(update_fields=["status", "updated_at"])
    record(
        "workplan.deliverable.progress_updated",
        actor=by,
        obj=deliverable,
        update=update.pk,
        status_before=update.status_before,
        status_after=update.status_after,
    )
    return update


# --- Funding ------------------------------------------------------------------------------------


@transaction.atomic
def funding_add(
    *, deliverable, source, amount, status, by, source_kind=Funding.SourceKind.DONOR, note=""
):
    """Record money confirmed or pledged for a deliverable by a donor or an agency."""
    if amount is None or amount <= 0:
        raise DomainError(_("The amount must be more than zero."))
    funding = Funding.objects.create(
        deliverable=deliverable,
        source=source,
        source_kind=source_kind,
        amount=amount,
        status=status,
        note=note,
    )
    record(
        "workplan.funding.added",
        actor=by,
        obj=deliverable,
        funding=funding.pk,
        source=source,
        amount=str(amount),
        status=status,
    )
    return funding


@transaction.atomic
def funding_remove(*, funding, by):
    deliverable = funding.deliverable
    record(
        "workplan.funding.removed",
        actor=by,
        obj=deliverable,
        source=funding.source,
        amount=str(funding.amount),
        status=funding.status,
    )
    funding.delete()
    return deliverable
