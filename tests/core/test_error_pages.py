"""Refusals and missing pages are shown in the portal's layout, in the person's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_so_in_the_layout(demo_world):
    client = Client()
    client.force_login(demo_world.users["guest"])

    response = client.get(reverse("members:organisation_create"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "You are not allowed to see this page" in page
    assert 'aria-label="Main navigation"' in page
    assert 'href="/"' in page


def test_a_missing_page_is_shown_in_the_layout_and_in_arabic(demo_world):
    user = demo_world.users["unhcr_focal"]
    user.preferred_language = "ar"
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)

    response = client.get("/members/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "الصفحة غير موجودة" in page
    assert "bootstrap.rtl.min.css" in page


def test_a_server_error_page_renders_without_the_database(rf, django_assert_num_queries):
    from django.views.defaults import server_error

    # The error may be the database itself: the page makes no query.
    with django_assert_num_queries(0), translation.override("en"):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "bootstrap.min.css" in page
