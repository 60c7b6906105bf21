"""Read models of the referrals module: the list page, the detail page, anonymous statistics."""

from django.db.models import Count, F, Prefetch
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.models import Network

from . import rules
from .models import Referral, ReferralMessage, ServiceKind


def referral_list(user, *, box=""):
    """The referrals this person handles, without any personal field (the list shows none)."""
    referrals = (
        Referral.objects.visible_to(user)
        .select_related("from_organisation", "to_organisation")
        .only(
            "reference",
            "status",
            "urgency",
            "services",
            "created_at",
            "sent_at",
            "acknowledge_due_at",
            "erased_at",
            "from_organisation__acronym",
            "to_organisation__acronym",
        )
        .order_by("-created_at", "-pk")
    )
    from .querysets import officer_organisation_ids

    organisations = officer_organisation_ids(user)
    if box == "incoming":
        referrals = referrals.filter(to_organisation__in=organisations)
    elif box == "outgoing":
        referrals = referrals.filter(from_organisation__in=organisations)
    return referrals


def referral_detail(user, reference):
    """One visible referral with what its page needs (404 when not visible)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Referral.objects.visible_to(user)
        .select_related("from_organisation", "to_organisation", "created_by", "consent")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=ReferralMessage.objects.select_related("author", "organisation"),
            )
        ),
        reference=reference,
    )


def _mask(counts):
    """Rows (label, shown) with cells under 5 shown as "<5".

    A table with a single small cell would let it be recomputed from the others and the total
    of another table (every table counts the same referrals), so the next smallest cell is
    hidden too. No table carries a total.
    """
    shown = {label: rules.suppress(count) for label, count in counts}
    small = [label for label, count in counts if 0 < count < rules.SMALL_CELL]
    if len(small) == 1:
        others = sorted(
            ((count, label) for label, count in counts if count >= rules.SMALL_CELL),
            key=lambda item: item[0],
        )
        if others:
            shown[others[0][1]] = "\u2013"  # an en dash: hidden
    return [(label, shown[label]) for label, _count in counts]


def statistics(*, start=None, end=None):
    """Anonymous counts of sent referrals by month, service, urgency, status and agency pair."""
    sent = Referral.objects.exclude(sent_at__isnull=True)
    if start is not None:
        sent = sent.filter(sent_at__gte=start)
    if end is not None:
        sent = sent.filter(sent_at__lt=end)
    tzinfo = Network.objects.get_current().tzinfo
    tables = []

    by_month = (
        sent.annotate(month=TruncMonth("sent_at", tzinfo=tzinfo))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    tables.append(
        (
            _("By month"),
            [
                (formats.date_format(row["month"], "YEAR_MONTH_FORMAT"), row["n"])
                for row in by_month
            ],
        )
    )
    services = {}
    for kinds in sent.values_list("services", flat=True):
        for kind in kinds or ():
            services[kind] = services.get(kind, 0) + 1
    labels = dict(ServiceKind.choices)
    tables.append(
        (
            _("By service requested"),
            [
                (str(labels.get(kind, kind)), services[kind])
                for kind in ServiceKind.values
                if kind in services
            ],
        )
    )
    urgencies = dict(Referral.Urgency.choices)
    tables.append(
        (
            _("By urgency"),
            [
                (str(urgencies[row["urgency"]]), row["n"])
                for row in sent.values("urgency").annotate(n=Count("pk")).order_by("urgency")
            ],
        )
    )
    statuses = dict(Referral.Status.choices)
    tables.append(
        (
            _("By status"),
            [
                (str(statuses[row["status"]]), row["n"])
                for row in sent.values("status").annotate(n=Count("pk")).order_by("status")
            ],
        )
    )
    pairs = (
        sent.values(sender=F("from_organisation__acronym"), receiver=F("to_organisation__acronym"))
        .annotate(n=Count("pk"))
        .order_by("sender", "receiver")
    )
    tables.append(
        (
            _("By agencies (referring → receiving)"),
            [(f"{row['sender']} → {row['receiver']}", row["n"]) for row in pairs],
        )
    )
    return [{"title": title, "rows": _mask(rows)} for title, rows in tables]


def dashboard_for(user, *, now=None):
    """Referrals waiting for an action of this person's agencies, and the overdue ones."""
    from .querysets import officer_organisation_ids

    organisations = officer_organisation_ids(user)
    if not organisations:
        return None
    now = now or timezone.now()
    incoming = Referral.objects.filter(
        to_organisation__in=organisations, status__in=["sent", "acknowledged", "accepted"]
    ).select_related("from_organisation", "to_organisation")
    waiting = list(incoming.order_by("acknowledge_due_at", "pk")[:10])
    overdue = incoming.filter(status="sent", acknowledge_due_at__lt=now).count()
    return {"waiting": waiting, "waiting_count": incoming.count(), "overdue": overdue, "now": now}
