"""The referrals section of the network's reports: anonymous counts, small cells suppressed."""

from django.utils import translation
from django.utils.translation import gettext as _

from core.models import Network
from core.registry import Section, Table

from . import selectors


def build(period, audience, language):
    tzinfo = Network.objects.get_current().tzinfo
    start, end = period.bounds(tzinfo)
    with translation.override(language):
        tables = [
            Table(columns=[table["title"], _("Referrals")], rows=[list(r) for r in table["rows"]])
            for table in selectors.statistics(start=start, end=end, tzinfo=tzinfo)
            if table["rows"]
        ]
        if not tables:
            return None
        return Section(
            key="referrals",
            title=_("Case referrals"),
            summary=_(
                "Referrals sent between agencies in the period. Counts under 5 are shown as "
                "“<5”; no totals are given, so that no one can be singled out."
            ),
            tables=tables,
            order=60,
        )
