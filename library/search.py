"""The library's search provider for the portal's search (core.registry.search_providers)."""

from django.utils.text import Truncator

from core.registry import SearchResult

from .models import KnowledgeProduct


def search(user, query, limit):
    """Products the person may open whose title, summary or file text matches the query."""
    products = (
        KnowledgeProduct.objects.visible_to(user)
        .search(query)
        .select_related("lead_agency")
        .only("pk", "title", "summary", "kind", "year", "lead_agency__acronym")[:limit]
    )
    return [
        SearchResult(
            kind="library",
            title=product.title,
            url=product.get_absolute_url(),
            snippet=Truncator(
                f"{product.get_kind_display()} · {product.lead_agency.acronym} · {product.year}"
                f" — {product.summary}"
            ).chars(240),
            rank=float(getattr(product, "search_rank", 0.0) or 0.0),
        )
        for product in products
    ]
