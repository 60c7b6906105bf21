"""The membership section of the network's reports (registered in core.registry.report_sections)."""

from django.db.models import Q
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.registry import Section, Table

from .models import Appointment, Membership


def membership_section(period, audience, language):
    """Agencies that joined or left the network in the period, and focal-point changes."""
    joined = Q(joined_on__gte=period.start, joined_on__lte=period.end)
    left = Q(left_on__gte=period.start, left_on__lte=period.end)
    memberships = list(
        Membership.objects.filter(joined | left)
        .select_related("organisation")
        .order_by("organisation__acronym", "joined_on", "pk")
    )
    started = Q(start_date__gte=period.start, start_date__lte=period.end)
    ended = Q(end_date__gte=period.start, end_date__lte=period.end)
    appointments = list(
        Appointment.objects.filter(started | ended)
        .select_related("organisation", "person")
        .order_by("organisation__acronym", "kind", "start_date", "pk")
    )
    if not memberships and not appointments:
        return None
    with translation.override(language):
        rows = []
        for membership in memberships:
            if period.start <= membership.joined_on <= period.end:
                rows.append(
                    [
                        membership.organisation.acronym,
                        membership.get_role_display(),
                        _("Joined"),
                        formats.date_format(membership.joined_on),
                    ]
                )
            if membership.left_on and period.start <= membership.left_on <= period.end:
                rows.append(
                    [
                        membership.organisation.acronym,
                        membership.get_role_display(),
                        _("Left"),
                        formats.date_format(membership.left_on),
                    ]
                )
        changes = []
        for appointment in appointments:
            if period.start <= appointment.start_date <= period.end:
                changes.append(
                    [
                        appointment.organisation.acronym,
                        appointment.get_kind_display(),
                        appointment.person.get_full_name(),
                        _("Appointed"),
                        formats.date_format(appointment.start_date),
                    ]
                )
            if appointment.end_date and period.start <= appointment.end_date <= period.end:
                changes.append(
                    [
                        appointment.organisation.acronym,
                        appointment.get_kind_display(),
                        appointment.person.get_full_name(),
                        _("Ended"),
                        formats.date_format(appointment.end_date),
                    ]
                )
        tables = []
        if rows:
            tables.append(
                Table(
                    columns=[_("Organisation"), _("Role"), _("Change"), _("Date")],
                    rows=rows,
                    caption=_("Organisations that joined or left"),
                )
            )
        if changes:
            tables.append(
                Table(
                    columns=[_("Agency"), _("Appointed as"), _("Person"), _("Change"), _("Date")],
                    rows=changes,
                    caption=_("Focal point and alternate changes"),
                )
            )
        return Section(
            key="membership",
            title=_("Membership"),
            figures=[
                (_("Joined"), sum(1 for row in rows if row[2] == _("Joined"))),
                (_("Left"), sum(1 for row in rows if row[2] == _("Left"))),
                (_("Focal point and alternate changes"), len(changes)),
            ],
            tables=tables,
            order=50,
        )
