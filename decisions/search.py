"""Decisions in the portal's search: reference, title, text, rationale and agencies' reasons."""

from django.utils.translation import gettext as _

from core.registry import SearchResult
from core.search import Source, find, parse_query

from .models import Decision, Position


def search_decisions(user, text, limit, *, offset=0):
    """Decisions the person may open that hold the words, or whose positions give them as reasons.

    Everyone who may open a decision reads the reasons and comments of its positions (the
    tally), so they are searched for the same people.
    """
    query = parse_query(text)
    if not query:
        return []
    hits = find(
        Decision.objects.visible_to(user),
        query,
        sources=[
            # The stored vector (migration 0004) holds the reference and title too.
            Source(
                Decision.objects.all(),
                fields=("reference", "title", "text", "rationale"),
                snippet_fields=("text", "rationale"),
            ),
            Source(Position.objects.all(), key="decision_id", fields=("reason", "comment")),
        ],
        limit=limit,
        offset=offset,
        order_by=("-created_at", "-pk"),
    )
    return [
        SearchResult(
            kind="decisions",
            title=hit.obj.title,
            url=hit.obj.get_absolute_url(),
            snippet=hit.snippet,
            rank=hit.rank,
            meta=" · ".join(
                part
                for part in (
                    hit.obj.reference,
                    hit.obj.get_status_display(),
                    _("a position's reason") if hit.source == 1 else "",
                )
                if part
            ),
        )
        for hit in hits
    ]
