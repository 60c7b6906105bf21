"""The directory in the portal's search: organisations, and the people of each."""

from django.contrib.auth import get_user_model

from core.registry import SearchResult
from core.search import Source, find, parse_query

from .models import Organisation
from .permissions import can_view_contact_details, can_view_directory


def search_organisations(user, text, limit, *, offset=0):
    """Organisations of the directory the person may open, by acronym or name."""
    query = parse_query(text)
    if not query:
        return []
    hits = find(
        Organisation.objects.visible_to(user),
        query,
        # A few hundred rows: a vector computed in the query, no stored column.
        sources=[
            Source(
                Organisation.objects.all(),
                fields=("acronym", "name"),
                vector=None,
                snippet_fields=("name",),
            )
        ],
        limit=limit,
        offset=offset,
        order_by=("acronym", "pk"),
    )
    return [
        SearchResult(
            kind="organisations",
            title=hit.obj.acronym,
            url=hit.obj.get_absolute_url(),
            snippet=hit.snippet,
            rank=hit.rank,
            meta=hit.obj.get_kind_display(),
        )
        for hit in hits
    ]


def search_people(user, text, limit, *, offset=0):
    """People listed on an organisation page the person may open, by name or job title.

    The email address is searched only for those who see contact details (members): a guest
    finds a name they could read, never an address they could not.
    """
    if not can_view_directory(user):
        return []
    query = parse_query(text)
    if not query:
        return []
    fields = ("full_name", "job_title")
    if can_view_contact_details(user):
        fields += ("email",)
    people = get_user_model().objects.filter(
        is_active=True, organisation__in=Organisation.objects.visible_to(user)
    )
    hits = find(
        people.select_related("organisation"),
        query,
        sources=[Source(people, fields=fields, vector=None, snippet_fields=("job_title",))],
        limit=limit,
        offset=offset,
        order_by=("full_name", "email", "pk"),
    )
    return [
        SearchResult(
            kind="people",
            title=hit.obj.get_full_name(),
            url=hit.obj.organisation.get_absolute_url(),
            snippet=hit.snippet,
            rank=hit.rank,
            meta=hit.obj.organisation.acronym,
        )
        for hit in hits
    ]
