"""Read models of the referrals module: the list page, the detail page, anonymous statistics."""

from django.db.models import Count, Prefetch, Q, Window
from django.utils import formats, timezone
from django.utils.translation import gettext as _

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


def statistics(*, start=None, end=None, tzinfo=None):
    """Anonymous counts of sent referrals by month, service, urgency, status and agency pair.

    One query of a few columns per referral, counted here: five GROUP BYs would cost five
    queries on every report that includes this section.
    """
    from collections import Counter
    from datetime import date

    sent = Referral.objects.exclude(sent_at__isnull=True)
    if start is not None:
        sent = sent.filter(sent_at__gte=start)
    if end is not None:
        sent = sent.filter(sent_at__lt=end)
    if tzinfo is None:
        tzinfo = Network.objects.get_current().tzinfo
    months, services, urgencies, statuses, pairs = (Counter() for _ in range(5))
    for sent_at, kinds, urgency, status, sender, receiver in sent.values_list(
        "sent_at",
        "services",
        "urgency",
        "status",
        "from_organisation__acronym",
        "to_organisation__acronym",
    ):
        local = timezone.localtime(sent_at, tzinfo)
        months[date(local.year, local.month, 1)] += 1
        services.update(set(kinds or ()))
        urgencies[urgency] += 1
        statuses[status] += 1
        pairs[(sender, receiver)] += 1
    service_labels = dict(ServiceKind.choices)
    urgency_labels = dict(Referral.Urgency.choices)
    status_labels = dict(Referral.Status.choices)
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
        (
            _("By agencies (referring → receiving)"),
            [(f"{a} → {b}", pairs[(a, b)]) for a, b in sorted(pairs)],
        ),
    ]
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
