"""The library in the portal's search: titles, summaries and the text of the current files."""

from core.registry import SearchResult
from core.search import Source, find, parse_query

from .models import KnowledgeProduct


def search(user, text, limit, *, offset=0):
    """Products the person may open whose title, summary or current file holds the words."""
    query = parse_query(text)
    if not query:
        return []
    hits = find(
        KnowledgeProduct.objects.visible_to(user).select_related("lead_agency"),
        query,
        sources=[
            # The stored vector (migration 0002) holds the title, summary and file text.
            Source(
                KnowledgeProduct.objects.all(),
                fields=("title", "summary", "file_text"),
                snippet_fields=("summary", "file_text"),
            ),
        ],
        limit=limit,
        offset=offset,
        order_by=("-year", "-pk"),
    )
    return [
        SearchResult(
            kind="library",
            title=hit.obj.title,
            url=hit.obj.get_absolute_url(),
            snippet=hit.snippet,
            rank=hit.rank,
            meta=" · ".join(
                str(part)
                for part in (
                    hit.obj.get_kind_display(),
                    hit.obj.lead_agency.acronym if hit.obj.lead_agency_id else "",
                    hit.obj.year,
                )
                if part
            ),
        )
        for hit in hits
    ]
