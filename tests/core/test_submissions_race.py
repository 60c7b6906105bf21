"""Rule: no form can be sent twice, even when both copies arrive at the same instant (a double
click 38 ms apart): the token's unique row makes the second request wait for the first."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.submissions import TOKEN_FIELD, new_token
from meetings.models import AgendaItem
from tests.factories import MeetingFactory, co_chair

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_two_copies_of_a_form_sent_at_once_create_one_row():
    chair = co_chair()
    meeting = MeetingFactory()
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    data = {"title": "Referral pathway", "minutes_allotted": 10, TOKEN_FIELD: new_token()}
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(chair)
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def send(index):
        try:
            barrier.wait()
            responses[index] = clients[index].post(url, data)
        except Exception as error:  # asserted below
            responses[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [getattr(response, "status_code", response) for response in responses] == [302, 302]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert responses[0]["Location"] == responses[1]["Location"]
