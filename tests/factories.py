"""factory_boy factories for the portal's models; each app adds its own below its section."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.models import Appointment, Membership, Organisation
from members.roles import Role

TEST_PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    job_title = "Programme Officer"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """Assigned roles, e.g. UserFactory(roles=[Role.RCO_ADMIN])."""
        for role in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    acronym = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.acronym}")
    kind = Organisation.Kind.UN_AGENCY
    is_resident = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = Appointment.Kind.FOCAL_POINT
    level = Appointment.Level.FOCAL_POINT


def member_agency(**kwargs):
    """A UN agency with an active voting membership."""
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    return organisation


def focal_point(organisation=None, kind=Appointment.Kind.FOCAL_POINT, **person_kwargs):
    """The active focal point (or alternate) of an agency, a voting member unless given one."""
    organisation = organisation or member_agency()
    person = UserFactory(organisation=organisation, **person_kwargs)
    AppointmentFactory(organisation=organisation, person=person, kind=kind)
    return person


def co_chair(organisation=None, **person_kwargs):
    """The focal point of a co-chairing member agency."""
    organisation = organisation or member_agency()
    MembershipFactory(organisation=organisation, role=Membership.Role.CO_CHAIR)
    return focal_point(organisation, **person_kwargs)
