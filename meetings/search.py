"""Meetings in the portal's search: titles and places, agenda items, approved minutes."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.registry import SearchResult
from core.search import Source, find, parse_query

from .models import AgendaItem, Meeting, Minutes

# The index of the minutes among the sources below: a result found there opens the minutes.
MINUTES = 2


def search_meetings(user, text, limit, *, offset=0):
    """Meetings the person may open whose title, agenda or approved minutes hold the words.

    Only accepted agenda items (what everyone invited sees) and approved minutes (the record;
    drafts are the secretariat's, circulated ones may still change) are searched.
    """
    query = parse_query(text)
    if not query:
        return []
    hits = find(
        Meeting.objects.visible_to(user),
        query,
        sources=[
            Source(Meeting.objects.all(), fields=("title", "place"), snippet_fields=("place",)),
            Source(
                AgendaItem.objects.filter(status=AgendaItem.Status.ACCEPTED),
                key="meeting_id",
                fields=("title", "description"),
            ),
            Source(
                Minutes.objects.filter(status=Minutes.Status.APPROVED),
                key="meeting_id",
                fields=("body",),
                html=True,
            ),
        ],
        limit=limit,
        offset=offset,
        order_by=("-starts_at", "-pk"),
    )
    return [_result(hit) for hit in hits]


def _result(hit):
    meeting = hit.obj
    when = formats.date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")
    if hit.source == MINUTES:
        url = reverse("meetings:minutes", args=[meeting.pk])
        meta = _("%(date)s · approved minutes") % {"date": when}
    else:
        url = meeting.get_absolute_url()
        meta = f"{when} · {meeting.get_status_display()}"
    return SearchResult(
        kind="meetings",
        title=meeting.display_title,
        url=url,
        snippet=hit.snippet,
        rank=hit.rank,
        meta=meta,
    )
