"""The decisions section of the network's reports (registered in core.registry.report_sections)."""

from django.db.models import Count, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.models import Network
from core.registry import Section, Table

from .models import Decision

CLOSED = (Decision.Status.ADOPTED, Decision.Status.NOT_ADOPTED)


def decisions_section(period, audience, language):
    """Decisions closed in the period: how many were adopted, and each with its reference."""
    tzinfo = Network.objects.get_current().tzinfo
    start, end = period.bounds(tzinfo)
    closed = Decision.objects.filter(status__in=CLOSED, closed_at__gte=start, closed_at__lt=end)
    counts = closed.aggregate(
        adopted=Count("pk", filter=Q(status=Decision.Status.ADOPTED)),
        not_adopted=Count("pk", filter=Q(status=Decision.Status.NOT_ADOPTED)),
    )
    if not (counts["adopted"] or counts["not_adopted"]):
        return None
    with translation.override(language):
        rows = [
            [
                decision.reference,
                decision.title,
                decision.get_procedure_display(),
                decision.get_status_display(),
                formats.date_format(timezone.localtime(decision.closed_at, tzinfo).date()),
            ]
            for decision in closed.order_by("closed_at", "pk").only(
                "reference", "title", "procedure", "status", "closed_at"
            )
        ]
        return Section(
            key="decisions",
            title=_("Decisions"),
            figures=[
                (_("Adopted by full consensus"), counts["adopted"]),
                (_("Not adopted"), counts["not_adopted"]),
            ],
            tables=[
                Table(
                    columns=[_("Reference"), _("Title"), _("Procedure"), _("Outcome"), _("Closed")],
                    rows=rows,
                    caption=_("Decisions closed in the period"),
                )
            ],
            order=30,
        )
