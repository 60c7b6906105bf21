"""The library's pages: list filters and search, the detail page, the journey's forms, queries."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.models import StoredFile, ToRObjective
from library import services
from library.models import KnowledgeProduct, ProductComment, ProductVersion
from workplan.models import GCMObjective

from .conftest import in_review, make_product, pdf_upload, published

pytestmark = pytest.mark.django_db

ROWS = 300


@pytest.fixture
def many_products(lib):
    """300 products of both agencies, each with two versions, objectives and comments."""
    year = timezone.localdate().year
    kinds = KnowledgeProduct.Kind.values
    products = KnowledgeProduct.objects.bulk_create(
        KnowledgeProduct(
            kind=kinds[n % len(kinds)],
            title=f"Product {n} on labour migration",
            summary="A summary.",
            year=year - n % 3,
            lead_agency=lib.agency if n % 2 else lib.other_agency,
            status=("in_review", "endorsed", "published")[n % 3],
            endorsed_on=None if n % 3 == 0 else timezone.localdate(),
            audience="public" if n % 3 == 2 else "",
            published_on=timezone.localdate() if n % 3 == 2 else None,
            comment_deadline=timezone.localdate(),
        )
        for n in range(ROWS)
    )
    owner_type = ContentType.objects.get_for_model(KnowledgeProduct)
    files = StoredFile.objects.bulk_create(
        StoredFile(
            name=f"product-{product.pk}-v{version}.pdf",
            content_type="application/pdf",
            size=10,
            sha256=f"{product.pk:032d}{version:032d}",
            kind="library.version",
            owner_type=owner_type,
            owner_id=str(product.pk),
            version=version,
            file=f"library/version/{product.pk}/{version}.pdf",
        )
        for product in products
        for version in (1, 2)
    )
    ProductVersion.objects.bulk_create(
        ProductVersion(product_id=int(stored.owner_id), number=stored.version, stored_file=stored)
        for stored in files
    )
    tor = list(ToRObjective.objects.all())
    gcm = list(GCMObjective.objects.all())
    KnowledgeProduct.tor_objectives.through.objects.bulk_create(
        KnowledgeProduct.tor_objectives.through(knowledgeproduct=p, torobjective=tor[i % len(tor)])
        for i, p in enumerate(products)
    )
    KnowledgeProduct.gcm_objectives.through.objects.bulk_create(
        KnowledgeProduct.gcm_objectives.through(knowledgeproduct=p, gcmobjective=gcm[i % len(gcm)])
        for i, p in enumerate(products)
    )
    ProductComment.objects.bulk_create(
        ProductComment(product=products[0], author=person, body="A comment.")
        for person in (lib.staff, lib.focal, lib.other_focal)
    )
    return products


# Measured with 300 products (each with two versions): the count does not grow with them. A
# chosen objective or agency costs one query to validate.
LIST_QUERIES = {"all": 15, "search": 15, "filters": 17}


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("all", {}),
        ("search", {"q": "labour", "kind": "policy_brief"}),
        (
            "filters",
            {"objective": "4", "agency": "AGENCY", "year": "YEAR", "status": "published"},
        ),
    ],
)
def test_list_queries_are_bounded(
    lib, many_products, client, django_assert_num_queries, name, query
):
    query = {
        key: str(lib.agency.pk)
        if value == "AGENCY"
        else str(timezone.localdate().year - 2)
        if value == "YEAR"
        else value
        for key, value in query.items()
    }
    if "objective" in query:
        query["objective"] = str(ToRObjective.objects.get(number=4).pk)
    client.force_login(lib.staff)
    with django_assert_num_queries(LIST_QUERIES[name]):
        response = client.get(reverse("library:list"), query)
    assert response.status_code == 200
    assert response.context["products"]


DETAIL_QUERIES = 18


def test_detail_queries_are_bounded(lib, many_products, client, django_assert_num_queries):
    client.force_login(lib.staff)
    url = reverse("library:detail", args=[many_products[0].pk])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["comments"]) == 3


def test_list_filters_by_kind_objective_agency_and_year(lib, client):
    brief = make_product(lib.focal, kind="policy_brief", title="Brief on shelters", year=2025)
    brief.tor_objectives.set(ToRObjective.objects.filter(number=4))
    plan = make_product(lib.other_focal, kind="action_plan", title="Plan on inspection", year=2026)
    plan.agencies.set([lib.agency])
    in_review(lib, brief)
    in_review(lib, plan)
    client.force_login(lib.staff)

    def titles(**query):
        response = client.get(reverse("library:list"), query)
        return {product.title for product in response.context["products"]}

    assert titles(kind="action_plan") == {"Plan on inspection"}
    assert titles(objective=ToRObjective.objects.get(number=4).pk) == {"Brief on shelters"}
    assert titles(year=2025) == {"Brief on shelters"}
    # An agency finds what it leads and what it contributed to.
    assert titles(agency=lib.agency.pk) == {"Brief on shelters", "Plan on inspection"}
    assert titles(agency=lib.other_agency.pk) == {"Plan on inspection"}
    assert titles(q="shelters") == {"Brief on shelters"}
    assert titles(q="SHELTERS") == {"Brief on shelters"}


def test_the_agency_filter_lists_only_agencies_with_products_the_reader_sees(lib, client):
    from members.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(acronym=f"X{n:03d}", name=f"Agency {n}", kind=Organisation.Kind.UN_AGENCY)
        for n in range(40)
    )
    plan = make_product(lib.other_focal, kind="action_plan", title="Plan on inspection")
    plan.agencies.set([lib.agency])
    in_review(lib, plan)
    client.force_login(lib.staff)

    form = client.get(reverse("library:list")).context["form"]

    # The lead and the contributing agency of the product; none of the 40 without products.
    assert set(form.fields["agency"].queryset) == {lib.other_agency, lib.agency}


def test_guest_sees_only_public_products_and_no_comments(lib, client):
    public = published(lib, make_product(lib.focal, title="Public brief"))
    ProductComment.objects.create(product=public, author=lib.staff, body="Internal remark.")
    published(lib, make_product(lib.focal, title="For the UN networks"), audience="un_networks")
    in_review(lib, make_product(lib.focal, title="Under review"))
    client.force_login(lib.guest)
    response = client.get(reverse("library:list"))
    assert [product.title for product in response.context["products"]] == ["Public brief"]
    assert b"Status" not in response.content
    detail = client.get(public.get_absolute_url())
    assert detail.status_code == 200
    assert b"Internal remark." not in detail.content


def test_focal_point_drafts_through_the_form(lib, client):
    client.force_login(lib.focal)
    response = client.get(reverse("library:create"))
    assert list(response.context["form"].fields["lead_agency"].queryset) == [lib.agency]
    response = client.post(
        reverse("library:create"),
        {
            "kind": "policy_brief",
            "title": "Access to justice for migrant workers",
            "year": 2026,
            "lead_agency": lib.agency.pk,
            "languages": ["en", "ar"],
            "tor_objectives": [ToRObjective.objects.get(number=4).pk],
        },
    )
    product = KnowledgeProduct.objects.get()
    assert response.status_code == 302
    assert product.languages == ["en", "ar"]
    response = client.post(
        reverse("library:upload", args=[product.pk]),
        {"file": pdf_upload(), "note": "First draft"},
    )
    assert response.status_code == 302
    assert product.versions.get().note == "First draft"


def test_upload_of_a_wrong_file_shows_a_message(lib, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = make_product(lib.focal)
    client.force_login(lib.focal)
    response = client.post(
        reverse("library:upload", args=[product.pk]),
        {"file": SimpleUploadedFile("brief.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 400
    assert b"does not match" in response.content
    assert not product.versions.exists()


def test_proposing_endorsement_drafts_a_decision_and_shows_it(lib, client):
    product = in_review(lib)
    client.force_login(lib.chair)
    response = client.post(reverse("library:endorse", args=[product.pk]), {"decision": ""})
    product.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == product.endorsement_decision.get_absolute_url()
    assert product.endorsement_decision.status == "draft"
    page = client.get(product.get_absolute_url())
    assert b'data-testid="endorsement-pending"' in page.content


def test_search_finds_arabic_words_in_title_and_summary(lib):
    product = make_product(
        lib.focal,
        title="حماية العمال المنزليين المهاجرين",
        summary="خيارات السياسات للحماية الاجتماعية",
    )
    make_product(lib.focal, title="Labour inspection")
    assert list(KnowledgeProduct.objects.search("المنزليين")) == [product]
    assert list(KnowledgeProduct.objects.search("الاجتماعية")) == [product]


@pytest.mark.parametrize("outcome", ["not_adopted", "withdrawn"])
def test_refused_endorsement_note_reads_in_the_readers_language(lib, client, outcome):
    from decisions.services import decision_open, decision_withdraw

    from .conftest import close_decision

    product = in_review(lib)
    decision = decision_open(
        decision=services.endorsement_propose(product=product, by=lib.chair).endorsement_decision,
        by=lib.chair,
        deadline=timezone.now() + timedelta(days=8),
    )
    if outcome == "withdrawn":
        decision_withdraw(decision=decision, reason="Premature", by=lib.chair)
        english = "was withdrawn on"
    else:
        close_decision(decision, adopted=False)
        english = "was not adopted on"
    reader = lib.chair
    client.force_login(reader)
    page = client.get(product.get_absolute_url()).content.decode()
    assert english in page
    assert f"<bdi>{decision.reference}</bdi>" in page
    reader.preferred_language = "ar"
    reader.save(update_fields=["preferred_language"])
    page = client.get(product.get_absolute_url()).content.decode()
    assert english not in page
    assert f"<bdi>{decision.reference}</bdi>" in page
