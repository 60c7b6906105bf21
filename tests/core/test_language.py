"""Which language a page is shown in: the person's preference, else the browser's choice."""

import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
def test_without_a_preference_the_language_chosen_before_signing_in_is_kept(client):
    person = UserFactory()
    client.post("/language/", {"language": "ar", "next": "/"})

    client.force_login(person)
    response = client.get("/")

    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_a_saved_preference_wins_over_the_browser(client):
    person = UserFactory(preferred_language="en")
    client.force_login(person)

    response = client.get("/", headers={"accept-language": "ar"})

    assert 'dir="ltr"' in response.content.decode()


@pytest.mark.django_db
def test_switching_language_when_signed_in_saves_the_preference(client):
    person = UserFactory()
    client.force_login(person)

    client.post("/language/", {"language": "ar", "next": "/"})

    person.refresh_from_db()
    assert person.preferred_language == "ar"
    assert 'dir="rtl"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_language_of_one_person_does_not_leak_into_the_next_request(client):
    arabic = UserFactory(preferred_language="ar")
    client.force_login(arabic)
    assert 'dir="rtl"' in client.get("/").content.decode()

    client.logout()
    response = client.get("/accounts/login/")

    assert 'dir="ltr"' in response.content.decode()


def test_amounts_in_arabic_keep_a_decimal_point_and_thousands_commas():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    with translation.override("ar"):
        assert intcomma(floatformat(85000, 2)) == "85,000.00"
