import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.audit import record
from core.models import AuditEntry, Network
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_network_is_a_single_record_created_on_first_use():
    first = Network.objects.get_current()
    second = Network.objects.get_current()

    assert first.pk == second.pk == Network.SINGLETON_PK
    assert Network.objects.count() == 1
    assert first.meeting_reminder_days == [7, 1]
    assert first.decision_reminder_days == [3, 1]


@pytest.mark.django_db
def test_every_page_reads_the_network_from_the_cache_until_it_changes(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    network = Network.objects.get_current()
    with django_assert_num_queries(0):
        cached = Network.objects.get_current()
    assert (cached.pk, cached.name, cached.weekend_days) == (1, network.name, network.weekend_days)
    assert not cached._state.adding

    network.time_zone = "Asia/Amman"
    network.weekend_days = [4, 5]
    with django_capture_on_commit_callbacks(execute=True):
        network.save()

    with django_assert_num_queries(1):
        fresh = Network.objects.get_current()
    assert (fresh.time_zone, fresh.weekend_days) == ("Asia/Amman", [4, 5])
    with django_assert_num_queries(0):
        assert Network.objects.get_current().time_zone == "Asia/Amman"


@pytest.mark.django_db
def test_a_second_network_row_is_refused_by_the_database():
    Network.objects.get_current()

    with pytest.raises(IntegrityError), transaction.atomic():
        Network.objects.bulk_create([Network(pk=2, name="Other", short_name="O")])


@pytest.mark.django_db
def test_network_time_zone_and_reminder_days_are_validated():
    network = Network.objects.get_current()
    network.time_zone = "Mars/Olympus_Mons"
    network.meeting_reminder_days = [7, -1]

    with pytest.raises(ValidationError) as error:
        network.full_clean()

    assert set(error.value.message_dict) == {"time_zone", "meeting_reminder_days"}


@pytest.mark.django_db
def test_audit_entry_records_actor_action_and_object():
    actor = UserFactory()
    organisation = OrganisationFactory(acronym="IOM")

    entry = record("members.organisation.changed", actor=actor, obj=organisation, field="name")

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == actor
    assert stored.action == "members.organisation.changed"
    assert stored.object_repr == "IOM"
    assert stored.object_id == str(organisation.pk)
    assert stored.data == {"field": "name"}


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_in_the_admin(admin_client):
    entry = record("core.test", actor=None)

    response = admin_client.post(
        f"/admin/core/auditentry/{entry.pk}/change/", {"action": "tampered"}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "core.test"
