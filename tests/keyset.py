"""Follow a keyset-paginated list page by page, as a reader clicking Next would."""

from core.pagination import KeysetPage


def walk_pages(client, url, params=None, *, rows="page_obj"):
    """The rows of every page of the list at `url`, following its Next links from the first."""
    params = dict(params or {})
    pages = []
    while True:
        response = client.get(url, params)
        assert response.status_code == 200
        page = response.context["page_obj"]
        assert isinstance(page, KeysetPage)
        pages.append(list(response.context[rows]))
        if not page.has_next:
            return pages
        assert 'rel="next"' in response.content.decode()
        params["after"] = page.next_cursor
