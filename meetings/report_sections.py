"""The meetings section of the network's reports (registered in core.registry.report_sections)."""

from django.db.models import Count
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.models import Network
from core.registry import Section, Table

from .models import Attendance, Meeting


def meetings_section(period, audience, language):
    """Meetings held in the period, with their dates and attendance by agency."""
    tzinfo = Network.objects.get_current().tzinfo
    start, end = period.bounds(tzinfo)
    held = Meeting.objects.filter(
        status=Meeting.Status.HELD, starts_at__gte=start, starts_at__lt=end
    )
    meetings = list(
        held.annotate(
            present=Count("attendance", distinct=True),
            agencies=Count("attendance__organisation", distinct=True),
        )
        .order_by("starts_at", "pk")
        .only("title", "kind", "starts_at")
    )
    if not meetings:
        return None
    by_agency = (
        Attendance.objects.filter(meeting__in=held, organisation__isnull=False)
        .values("organisation__acronym")
        .annotate(meetings=Count("meeting", distinct=True), people=Count("pk"))
        .order_by("-meetings", "organisation__acronym")
    )
    with translation.override(language):
        return Section(
            key="meetings",
            title=_("Meetings"),
            figures=[(_("Meetings held"), len(meetings))],
            tables=[
                Table(
                    columns=[
                        _("Date"),
                        _("Meeting"),
                        _("Kind"),
                        _("People present"),
                        _("Agencies"),
                    ],
                    rows=[
                        [
                            formats.date_format(timezone.localtime(m.starts_at, tzinfo).date()),
                            m.title,
                            m.get_kind_display(),
                            m.present,
                            m.agencies,
                        ]
                        for m in meetings
                    ],
                    caption=_("Meetings held in the period"),
                ),
                Table(
                    columns=[_("Agency"), _("Meetings attended"), _("People present")],
                    rows=[
                        [row["organisation__acronym"], row["meetings"], row["people"]]
                        for row in by_agency
                    ],
                    caption=_("Attendance by agency"),
                ),
            ],
            order=20,
        )
