"""Read models of the library's pages (select_related/prefetch_related done here)."""

from django.db.models import Prefetch

from workplan.models import Deliverable

from .models import KnowledgeProduct, ProductComment, ProductVersion

PAGE_SIZE = 25


def product_list(
    user, *, q="", kind="", status="", objective=None, gcm=None, agency=None, year=None
):
    """The products this person may open, filtered; newest first (best match first in a search)."""
    products = KnowledgeProduct.objects.visible_to(user)
    if kind:
        products = products.filter(kind=kind)
    if status:
        products = products.filter(status=status)
    if objective is not None:
        products = products.filter(tor_objectives=objective)
    if gcm is not None:
        products = products.filter(gcm_objectives=gcm)
    if agency is not None:
        products = products.of_agency(agency.pk)
    if year:
        products = products.filter(year=year)
    products = products.select_related("lead_agency").with_current_file()
    if q:
        return products.search(q)
    return products.order_by("-year", "-created_at", "-pk")


def years(user):
    return list(
        KnowledgeProduct.objects.visible_to(user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def agencies(user):
    """The agencies that lead or contribute to a product this person may see: the filter's list.

    Not every agency of the network: a regional instance has hundreds, and a list of agencies
    without products filters on nothing.
    """
    from django.db.models import Q

    from members.models import Organisation

    visible = KnowledgeProduct.objects.visible_to(user)
    contributed = KnowledgeProduct.agencies.through.objects.filter(
        knowledgeproduct__in=visible
    ).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk__in=visible.values("lead_agency_id")) | Q(pk__in=contributed)
    ).order_by("acronym")


def product_detail(user, pk):
    """The product with everything its page shows, or None if this person may not open it."""
    return (
        KnowledgeProduct.objects.visible_to(user)
        .select_related("lead_agency", "endorsement_decision", "refused_decision", "created_by")
        .prefetch_related(
            "agencies",
            "authors",
            "tor_objectives",
            "gcm_objectives",
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("workplan").order_by(
                    "-workplan__year", "number"
                ),
            ),
            Prefetch(
                "versions",
                queryset=ProductVersion.objects.select_related("stored_file", "uploaded_by")
                .defer("extracted_text")
                .order_by("-number"),
            ),
            Prefetch(
                "comments",
                queryset=ProductComment.objects.select_related("author__organisation"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
