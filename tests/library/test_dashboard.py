"""The library's dashboard card: products open for comment; drafts for those who manage them."""

import pytest
from django.urls import reverse

from core.registry import panels_for

from .conftest import in_review, make_product

pytestmark = pytest.mark.django_db


def _library_panel(user):
    return next(
        (panel for panel in panels_for(user) if panel.template_name.startswith("library/")), None
    )


def test_members_see_products_open_for_comment(lib, client):
    product = in_review(lib)
    panel = _library_panel(lib.staff)
    assert panel.context["for_comment"] == [product]
    assert panel.context["drafts"] == []
    client.force_login(lib.staff)
    response = client.get(reverse("core:dashboard"))
    assert product.get_absolute_url().encode() in response.content


def test_managers_also_see_drafts_and_guests_see_no_card(lib):
    draft = make_product(lib.focal)
    assert _library_panel(lib.chair).context["drafts"] == [draft]
    assert _library_panel(lib.staff) is None
    assert _library_panel(lib.guest) is None
