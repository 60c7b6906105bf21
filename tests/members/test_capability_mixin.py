"""The one access mixin every module's views use (members.roles.CapabilityRequiredMixin)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from members.roles import CapabilityRequiredMixin
from tests.factories import UserFactory, focal_point

pytestmark = pytest.mark.django_db


class RecordingView(CapabilityRequiredMixin, View):
    """Records the order of the hooks; `missing` makes the lookup a 404."""

    calls = None
    missing = False

    def load_objects(self):
        self.calls.append("load_objects")
        if self.missing:
            raise Http404

    def has_access(self):
        self.calls.append("has_access")
        return super().has_access()

    def get(self, request):
        self.calls.append("get")
        return HttpResponse("ok")


def _call(user, calls, **initkwargs):
    request = RequestFactory().get("/somewhere/?page=2")
    request.user = user
    return RecordingView.as_view(calls=calls, **initkwargs)(request)


def test_anonymous_people_are_sent_to_sign_in_before_anything_is_looked_up():
    calls = []

    response = _call(AnonymousUser(), calls, capability="decisions.view_decisions")

    assert response.status_code == 302
    assert response["Location"].endswith("?next=/somewhere/%3Fpage%3D2")
    assert calls == []


def test_objects_are_looked_up_before_access_is_decided():
    calls = []

    response = _call(focal_point(), calls, capability="decisions.view_decisions")

    assert response.status_code == 200
    assert calls == ["load_objects", "has_access", "get"]


def test_an_object_outside_what_the_person_may_see_is_a_404_even_without_access():
    calls = []

    with pytest.raises(Http404):
        _call(UserFactory(), calls, capability="members.manage_organisations", missing=True)
    assert calls == ["load_objects"]


def test_without_the_capability_the_page_is_refused():
    calls = []

    with pytest.raises(PermissionDenied):
        _call(focal_point(), calls, capability="members.manage_organisations")
    assert calls == ["load_objects", "has_access"]


def test_a_view_that_declares_nothing_refuses_everyone():
    with pytest.raises(PermissionDenied):
        _call(focal_point(), [])
