"""The meetings section of the network's reports (registered in core.registry.report_sections)."""

from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.charts import bar_chart
from core.models import Network
from core.registry import Section, Table

from .models import ActionPoint, Attendance, Meeting


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
        .only("title", "generated_kind", "generated_params", "kind", "starts_at")
    )
    if not meetings:
        return None
    by_agency = list(
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
                            m.display_title,
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
            charts=[
                bar_chart(
                    _("Attendance by agency"),
                    [(row["organisation__acronym"], row["meetings"]) for row in by_agency],
                    value_label=_("Meetings attended"),
                    value_format="integer",
                    description=_("The number of the period's meetings each agency attended."),
                )
            ]
            if by_agency
            else [],
            order=20,
        )


def action_points_section(period, audience, language):
    """Action points agreed at the period's meetings, and those open and overdue at its end."""
    tzinfo = Network.objects.get_current().tzinfo
    start, end = period.bounds(tzinfo)
    agreed = ActionPoint.objects.filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
    counts = agreed.aggregate(
        agreed=Count("pk"),
        done=Count("pk", filter=Q(status=ActionPoint.Status.DONE)),
    )
    # Still open now, agreed at a meeting before the period ended: what the network carries.
    carried = ActionPoint.objects.open().filter(meeting__starts_at__lt=end)
    outstanding = list(
        carried.select_related("meeting", "owner_organisation", "owner_person").order_by(
            F("due_date").asc(nulls_last=True), "pk"
        )
    )
    if not counts["agreed"] and not outstanding:
        return None
    # Overdue by the end of the period, or by today while the period runs.
    cutoff = min(period.end + timedelta(days=1), timezone.localdate())
    overdue = [a for a in outstanding if a.due_date is not None and a.due_date < cutoff]
    with translation.override(language):
        return Section(
            key="action_points",
            title=_("Action points"),
            figures=[
                (_("Agreed at the period's meetings"), counts["agreed"]),
                (_("Of which done"), counts["done"]),
                (_("Open"), len(outstanding)),
                (_("Overdue"), len(overdue)),
            ],
            tables=[
                Table(
                    columns=[_("Action point"), _("Owner"), _("Due"), _("Meeting"), _("Overdue")],
                    rows=[
                        [
                            a.description,
                            ", ".join(
                                str(owner)
                                for owner in (a.owner_organisation, a.owner_person)
                                if owner
                            ),
                            formats.date_format(a.due_date) if a.due_date else "",
                            a.meeting.display_title,
                            _("Yes") if a in overdue else "",
                        ]
                        for a in outstanding
                    ],
                    caption=_("Open action points"),
                )
            ]
            if outstanding
            else [],
            order=25,
        )
