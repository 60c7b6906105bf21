"""The workplan in the portal's search: deliverables and their progress notes."""

from django.utils.translation import gettext as _

from core.registry import SearchResult
from core.search import Source, find, parse_query

from .models import Deliverable, ProgressUpdate


def search_deliverables(user, text, limit, *, offset=0):
    """Deliverables the person may open with the words in their text or their progress notes."""
    query = parse_query(text)
    if not query:
        return []
    hits = find(
        Deliverable.objects.visible_to(user).select_related("workplan", "lead_agency"),
        query,
        sources=[
            Source(
                Deliverable.objects.all(),
                fields=("title", "description"),
                snippet_fields=("description",),
            ),
            Source(ProgressUpdate.objects.all(), key="deliverable_id", fields=("note",)),
        ],
        limit=limit,
        offset=offset,
        order_by=("-workplan__year", "-pk"),
    )
    return [
        SearchResult(
            kind="deliverables",
            title=hit.obj.title,
            url=hit.obj.get_absolute_url(),
            snippet=hit.snippet,
            rank=hit.rank,
            meta=" · ".join(
                part
                for part in (
                    hit.obj.code,
                    hit.obj.lead_agency.acronym if hit.obj.lead_agency_id else "",
                    hit.obj.get_status_display(),
                    _("a progress note") if hit.source == 1 else "",
                )
                if part
            ),
        )
        for hit in hits
    ]
