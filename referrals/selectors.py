"""Read models of the referrals module: the list page, the detail page, anonymous statistics."""

from django.db.models import Count, Prefetch, Q, Window
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Network

from . import rules
from .models import Referral, ReferralAttachment, ReferralMessage, ServiceKind

# The list's order, for its keyset pages (core.pagination): the newest first.
REFERRAL_LIST_ORDER = ["-created_at"]


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
            ),
            Prefetch(
                "attachments",
                queryset=ReferralAttachment.objects.select_related("stored_file", "organisation"),
            ),
            Prefetch(
                "messages__attachments",
                queryset=ReferralAttachment.objects.select_related("stored_file"),
            ),
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


# The agency pairs table lists the pairs with the most referrals, then one row for the rest: a
# network of hundreds of agencies has thousands of pairs, most of them under the small-cell limit.
STATISTICS_PAIRS = 30


def statistics(*, start=None, end=None, tzinfo=None):
    """Anonymous counts of sent referrals by month, service, urgency, status and agency pair.

    Counted by the database, three GROUP BYs whose rows are bounded by the period's months and
    the network's agencies, never by the number of referrals.
    """
    from collections import Counter

    from django.db.models import Count, DateField
    from django.db.models.functions import TruncMonth

    sent = Referral.objects.exclude(sent_at__isnull=True)
    if start is not None:
        sent = sent.filter(sent_at__gte=start)
    if end is not None:
        sent = sent.filter(sent_at__lt=end)
    if tzinfo is None:
        tzinfo = Network.objects.get_current().tzinfo
    months, services, urgencies, statuses, pairs = (Counter() for _ in range(5))
    by_month = (
        sent.annotate(month=TruncMonth("sent_at", tzinfo=tzinfo, output_field=DateField()))
        .values_list("month", "urgency", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for month, urgency, status, count in by_month:
        months[month] += count
        urgencies[urgency] += count
        statuses[status] += count
    # The requested services are a list per referral: grouped by the list, each kind counted once.
    for kinds, count in sent.values_list("services").annotate(count=Count("pk")).order_by():
        for kind in set(kinds or ()):
            services[kind] += count
    for sender, receiver, count in (
        sent.values_list("from_organisation__acronym", "to_organisation__acronym")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        pairs[(sender, receiver)] += count
    service_labels = dict(ServiceKind.choices)
    urgency_labels = dict(Referral.Urgency.choices)
    status_labels = dict(Referral.Status.choices)
    largest = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    pair_rows = [(f"{a} → {b}", count) for (a, b), count in largest[:STATISTICS_PAIRS]]
    if len(largest) > STATISTICS_PAIRS:
        rest = sum(count for _pair, count in largest[STATISTICS_PAIRS:])
        others = len(largest) - STATISTICS_PAIRS
        label = ngettext(
            "%(count)s other pair of agencies", "%(count)s other pairs of agencies", others
        ) % {"count": formats.number_format(others)}
        pair_rows.append((label, rest))
    tables = [
        (
            _("By month"),
            [
                (formats.date_format(month, "YEAR_MONTH_FORMAT"), months[month])
                for month in sorted(months)
            ],
        ),
        (
            _("By service requested"),
            [(str(service_labels[k]), services[k]) for k in ServiceKind.values if k in services],
        ),
        (
            _("By urgency"),
            [(str(urgency_labels[k]), urgencies[k]) for k in sorted(urgencies)],
        ),
        (
            _("By status"),
            [(str(status_labels[k]), statuses[k]) for k in sorted(statuses)],
        ),
        (_("By agencies (referring → receiving)"), pair_rows),
    ]
    return [{"title": title, "rows": _mask(rows)} for title, rows in tables]


def statistics_years():
    """The years the statistics page offers: from the first referral sent to this year."""
    from django.db.models import Min

    first = Referral.objects.aggregate(first=Min("sent_at"))["first"]
    this_year = timezone.localdate().year
    if first is None:
        return [this_year]
    return list(range(this_year, timezone.localtime(first).year - 1, -1))


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
    # The first ten, how many wait in all and how many are overdue: one query, counted over
    # every waiting referral before the LIMIT.
    waiting = list(
        incoming.annotate(
            waiting_total=Window(Count("*")),
            overdue_total=Window(Count("pk", filter=Q(status="sent", acknowledge_due_at__lt=now))),
        ).order_by("acknowledge_due_at", "pk")[:10]
    )
    first = waiting[0] if waiting else None
    return {
        "waiting": waiting,
        "waiting_count": first.waiting_total if first else 0,
        "overdue": first.overdue_total if first else 0,
        "now": now,
    }
