"""The members pages as people use them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import Appointment, Invitation, Organisation
from members.roles import Role, roles_of
from tests.factories import (
    TEST_PASSWORD,
    AppointmentFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    focal_point,
    member_agency,
)

pytestmark = pytest.mark.django_db


def _accept_path(message):
    return re.search(r"https?://[^/]+(/members/invitations/accept/\S+/)", message.body).group(1)


# --- Directory ----------------------------------------------------------------------------------


def test_members_see_contact_details_and_guests_only_names(client):
    agency = member_agency(acronym="IOM")
    person = focal_point(agency, full_name="Omar Farouk", email="omar@example.org", phone="+973 1")

    client.force_login(UserFactory(roles=[Role.AGENCY_STAFF]))
    page = client.get(reverse("members:directory")).content.decode()
    assert "Omar Farouk" in page and "omar@example.org" in page and "+973 1" in page

    client.force_login(UserFactory(roles=[Role.GUEST]))
    page = client.get(reverse("members:directory")).content.decode()
    assert "Omar Farouk" in page and "IOM" in page
    assert person.email not in page and "+973 1" not in page


def test_guests_see_no_contact_details_or_history_on_an_organisation_page(client):
    agency = member_agency()
    focal_point(agency, email="fp@example.org")
    client.force_login(UserFactory(roles=[Role.GUEST]))

    page = client.get(agency.get_absolute_url()).content.decode()

    assert "fp@example.org" not in page
    assert "Appointment history" not in page


def test_directory_filters_by_kind_residency_and_role(client):
    member_agency(acronym="RESI", is_resident=True)
    member_agency(acronym="NONR", is_resident=False)
    ngo = OrganisationFactory(acronym="NGOX", kind="ngo")
    MembershipFactory(organisation=ngo, role="stakeholder")
    client.force_login(UserFactory(roles=[Role.AGENCY_STAFF]))

    def acronyms(**query):
        response = client.get(reverse("members:directory"), query)
        return {o.acronym for o in response.context["organisations"]}

    assert acronyms(kind="ngo") == {"NGOX"}
    assert acronyms(residency="non_resident") == {"NONR"}
    assert acronyms(role="stakeholder") == {"NGOX"}
    assert acronyms(q="resi") == {"RESI"}
    assert acronyms(kind="nonsense") == {"RESI", "NONR", "NGOX"}  # bad filter: ignored, not a 500


def test_the_htmx_filter_gets_only_the_results(client):
    member_agency(acronym="ONLY")
    client.force_login(UserFactory(roles=[Role.AGENCY_STAFF]))

    response = client.get(
        reverse("members:directory"), {"q": "ONLY"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert "ONLY" in body
    assert "<html" not in body


def test_the_directory_paginates(client):
    for _ in range(30):
        member_agency()
    client.force_login(UserFactory(roles=[Role.AGENCY_STAFF]))

    first = client.get(reverse("members:directory"))
    second = client.get(reverse("members:directory"), {"page": 2})

    assert len(first.context["organisations"]) == 25
    assert len(second.context["organisations"]) == 5


def test_the_directory_runs_a_bounded_number_of_queries(client, django_assert_num_queries):
    for n in range(50):
        agency = member_agency() if n < 40 else OrganisationFactory(kind="ngo")
        people = UserFactory.create_batch(4, organisation=agency)
        if agency.is_un_agency:
            AppointmentFactory(organisation=agency, person=people[0], kind="focal_point")
            AppointmentFactory(organisation=agency, person=people[1], kind="alternate")
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))
    client.get(reverse("members:directory"))  # the session and the network exist from now on

    with django_assert_num_queries(7):
        response = client.get(reverse("members:directory"), {"page": 2})

    assert response.status_code == 200
    assert len(response.context["organisations"]) == 25


def test_an_organisation_page_runs_a_bounded_number_of_queries(client, django_assert_num_queries):
    agency = member_agency()
    UserFactory.create_batch(40, organisation=agency)
    for n in range(20):
        AppointmentFactory(
            organisation=agency,
            start_date=timezone.localdate() - timedelta(days=400 - n * 10),
            end_date=timezone.localdate() - timedelta(days=395 - n * 10),
        )
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))
    client.get(agency.get_absolute_url())

    with django_assert_num_queries(9):
        response = client.get(agency.get_absolute_url())

    assert response.status_code == 200


# --- Editing organisations ----------------------------------------------------------------------


def test_a_focal_point_cannot_edit_another_organisation(client):
    own, other = member_agency(), member_agency(name="Other Agency")
    client.force_login(focal_point(own))

    url = reverse("members:organisation_edit", args=[other.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Hijacked", "website": "", "email": "", "phone": ""})

    assert response.status_code == 403
    assert Organisation.objects.get(pk=other.pk).name == "Other Agency"


def test_a_focal_point_edits_their_agency_details_but_not_its_standing(client):
    agency = member_agency(kind="un_agency", is_resident=True)
    client.force_login(focal_point(agency))

    response = client.post(
        reverse("members:organisation_edit", args=[agency.pk]),
        {"name": "Renamed", "website": "www.example.org", "kind": "ngo", "is_resident": ""},
    )

    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.website) == ("Renamed", "https://www.example.org")
    assert (agency.kind, agency.is_resident) == ("un_agency", True)


def test_the_rco_adds_an_organisation_with_its_membership(client):
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))

    response = client.post(
        reverse("members:organisation_create"),
        {
            "acronym": "IFRC",
            "name": "Red Cross",
            "kind": "ngo",
            "roles": ["member"],
            "joined_on": "2025-01-01",
        },
    )

    assert response.status_code == 200
    assert "Only UN agencies can be voting member agencies." in response.content.decode()
    assert not Organisation.objects.filter(acronym="IFRC").exists()


def test_the_rco_replaces_a_focal_point_from_the_portal(client):
    agency = member_agency()
    old = focal_point(agency)
    new = UserFactory(organisation=agency)
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))
    url = reverse("members:appointment_create", args=[agency.pk])
    data = {
        "person": new.pk,
        "kind": "focal_point",
        "level": "deputy",
        "start_date": timezone.localdate().isoformat(),
    }

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "already has a focal point" in refused.content.decode()

    replaced = client.post(url, {**data, "replace": "on"})
    assert replaced.status_code == 302
    assert Appointment.objects.active().get(organisation=agency).person == new
    assert not Appointment.objects.get(person=old).is_active


# --- Invitations --------------------------------------------------------------------------------


def test_the_full_invitation_journey(client, django_capture_on_commit_callbacks):
    agency = member_agency(acronym="UNODC")
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    client.force_login(rco)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:invitation_create"),
            {
                "email": "nadia@example.org",
                "full_name": "Nadia",
                "organisation": agency.pk,
                "role": "focal_point",
                "level": "representative",
                "message": "Welcome aboard.",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nadia@example.org"]
    assert "Welcome aboard." in email.body
    path = _accept_path(email)

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Create my account" in page.content.decode()

    response = client.post(
        path,
        {
            "full_name": "Nadia Karim",
            "password1": "Solid-Pass-2026!",
            "password2": "Solid-Pass-2026!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")

    dashboard = client.get(reverse("core:dashboard"))
    nadia = get_user_model().objects.get(email="nadia@example.org")
    assert dashboard.wsgi_request.user == nadia
    assert nadia.organisation == agency
    assert roles_of(nadia) == {Role.FOCAL_POINT}
    directory = client.get(reverse("members:directory")).content.decode()
    assert "Nadia Karim" in directory

    reused = client.get(path)
    assert reused.status_code == 410
    assert "already been accepted" in reused.content.decode()
    assert client.post(path, {"full_name": "Again"}).status_code == 410


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"status": "revoked"}, "withdrawn"),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expired"),
    ],
)
def test_a_dead_link_shows_a_clear_page_and_grants_nothing(client, change, text):
    invitation = InvitationFactory(role="focal_point", level="deputy")
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    path = reverse("members:invitation_accept", args=[invitation.token])

    page = client.get(path)
    posted = client.post(
        path, {"full_name": "X", "password1": "Solid-Pass-2026!", "password2": "Solid-Pass-2026!"}
    )

    assert page.status_code == posted.status_code == 410
    assert text in page.content.decode()
    assert not get_user_model().objects.filter(email=invitation.email).exists()


def test_an_unknown_link_is_a_404_page(client):
    response = client.get(reverse("members:invitation_accept", args=["not-a-token"]))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_accepting_as_focal_point_of_an_agency_that_has_one_is_refused_with_a_message(client):
    agency = member_agency()
    focal_point(agency)
    invitation = InvitationFactory(organisation=agency, role="focal_point", level="deputy")

    response = client.post(
        reverse("members:invitation_accept", args=[invitation.token]),
        {"full_name": "Newcomer", "password1": "Solid-Pass-2026!", "password2": "Solid-Pass-2026!"},
    )

    assert response.status_code == 409
    assert "already has a focal point" in response.content.decode()
    assert not get_user_model().objects.filter(email=invitation.email).exists()
    assert "_auth_user_id" not in client.session


def test_an_existing_account_signs_in_then_accepts(client):
    agency = member_agency()
    person = UserFactory(email="known@example.org")
    invitation = InvitationFactory(email="known@example.org", organisation=agency, role="guest")
    path = reverse("members:invitation_accept", args=[invitation.token])

    anonymous = client.get(path)
    assert "Sign in to accept" in anonymous.content.decode()
    assert (
        client.post(path, {"full_name": "X", "password1": "a", "password2": "a"}).status_code == 200
    )
    assert roles_of(get_user_model().objects.get(pk=person.pk)) == frozenset()

    client.login(email="known@example.org", password=TEST_PASSWORD)
    response = client.post(path)

    assert response.status_code == 302
    person.refresh_from_db()
    assert roles_of(person) == {Role.GUEST}
    assert person.organisation == agency


def test_signed_in_as_someone_else_the_invitation_is_explained_not_taken(client):
    invitation = InvitationFactory(email="intended@example.org", role="agency_staff")
    other = UserFactory(email="other@example.org")
    client.force_login(other)
    path = reverse("members:invitation_accept", args=[invitation.token])

    page = client.get(path).content.decode()
    client.post(path)

    assert "but you are signed in as <bdi>other@example.org</bdi>" in page
    assert roles_of(get_user_model().objects.get(pk=other.pk)) == frozenset()
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"


def test_co_chairs_invite_but_cannot_hand_out_the_rco_role(client):
    chair = focal_point()
    MembershipFactory(organisation=chair.organisation, role="co_chair")
    client.force_login(chair)

    response = client.post(
        reverse("members:invitation_create"),
        {"email": "boss@example.org", "organisation": chair.organisation.pk, "role": "rco_admin"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert not Invitation.objects.exists()


def test_revoking_with_htmx_returns_the_updated_row(client):
    invitation = InvitationFactory()
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))

    response = client.post(
        reverse("members:invitation_revoke", args=[invitation.pk]), headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="invitation-{invitation.pk}"')
    assert "Revoked" in body
    assert Invitation.objects.get(pk=invitation.pk).status == "revoked"


def test_the_invitation_list_filters_by_the_status_people_see(client):
    InvitationFactory(email="open@example.org")
    InvitationFactory(email="lapsed@example.org", expires_at=timezone.now() - timedelta(days=1))
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))

    pending = client.get(reverse("members:invitations"), {"status": "pending"})
    expired = client.get(reverse("members:invitations"), {"status": "expired"})

    assert [i.email for i in pending.context["invitations"]] == ["open@example.org"]
    assert [i.email for i in expired.context["invitations"]] == ["lapsed@example.org"]


def test_the_invitation_list_runs_a_bounded_number_of_queries(client, django_assert_num_queries):
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    for _ in range(40):
        InvitationFactory(invited_by=rco)
    client.force_login(rco)
    client.get(reverse("members:invitations"))

    with django_assert_num_queries(5):
        response = client.get(reverse("members:invitations"))

    assert len(response.context["invitations"]) == 25


# --- Profile and dashboard ----------------------------------------------------------------------


def test_everyone_edits_their_own_profile_and_sees_their_roles(client):
    person = focal_point(full_name="Old Name")
    client.force_login(person)

    page = client.get(reverse("members:profile")).content.decode()
    assert "Focal point" in page

    response = client.post(
        reverse("members:profile"),
        {
            "full_name": "New Name",
            "job_title": "Chief",
            "phone": "+973",
            "preferred_language": "ar",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.job_title, person.preferred_language) == (
        "New Name",
        "Chief",
        "ar",
    )


def test_the_rco_dashboard_lists_pending_invitations_and_agencies_without_focal_point(client):
    InvitationFactory(email="waiting@example.org")
    member_agency(acronym="EMPTY")
    client.force_login(UserFactory(roles=[Role.RCO_ADMIN]))

    page = client.get(reverse("core:dashboard")).content.decode()

    assert "waiting@example.org" in page
    assert "EMPTY" in page


def test_agency_staff_get_no_membership_panel(client):
    InvitationFactory(email="waiting@example.org")
    client.force_login(UserFactory(roles=[Role.AGENCY_STAFF]))

    page = client.get(reverse("core:dashboard")).content.decode()

    assert "waiting@example.org" not in page
