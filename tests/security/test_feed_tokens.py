"""Calendar-feed tokens are stored as digests only; existing feed addresses survive the change."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from meetings.models import CalendarToken
from meetings.services import participation
from tests.factories import UserFactory, focal_point

OLD = [("meetings", "0001_initial")]
NEW = [("meetings", "0002_hash_feed_tokens")]


@pytest.mark.django_db
def test_feed_tokens_are_stored_as_a_digest_only():
    person = focal_point()

    token = participation.calendar_token_for(person)

    stored = CalendarToken.objects.filter(person=person).values_list("token_hash", flat=True)
    assert token.token not in list(stored)
    assert list(stored) == [participation.hash_feed_token(token.token)]
    assert Client().get(reverse("meetings:feed", args=[token.token])).status_code == 200
    assert Client().get(reverse("meetings:feed", args=[stored[0]])).status_code == 404


@pytest.mark.django_db
def test_feed_address_is_shown_once_after_it_is_created(client):
    person = focal_point()
    client.force_login(person)

    client.post(reverse("meetings:calendar_rotate"))
    first = client.get(reverse("meetings:calendar")).content.decode()
    second = client.get(reverse("meetings:calendar")).content.decode()

    address = first.split('id="feed-url" class="form-control font-monospace" value="')[1]
    token = address.split('"')[0].rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarToken.objects.get(person=person).token_hash == participation.hash_feed_token(
        token
    )
    assert 'id="feed-url"' not in second
    assert "cannot show it again" in second


@pytest.mark.django_db(transaction=True)
def test_existing_feed_addresses_keep_working_after_the_tokens_are_hashed():
    person = UserFactory()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(OLD)
        old_apps = executor.loader.project_state(OLD).apps
        OldToken = old_apps.get_model("meetings", "CalendarToken")
        OldToken.objects.create(person_id=person.pk, token="an-address-people-subscribed-to")

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(NEW)
    finally:
        # Back to the latest schema: the tests after this one on the same database need it.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    stored = CalendarToken.objects.get(person=person)
    assert stored.token_hash == participation.hash_feed_token("an-address-people-subscribed-to")
    url = reverse("meetings:feed", args=["an-address-people-subscribed-to"])
    assert Client().get(url).status_code == 200
