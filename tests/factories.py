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


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; its link token is on `invitation.token` (only its digest is stored)."""

    class Meta:
        model = "members.Invitation"

    token = factory.Faker("pystr", min_chars=40, max_chars=40)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = "agency_staff"
    token_hash = factory.LazyAttribute(lambda o: _token_hash(o.token))
    expires_at = factory.LazyFunction(lambda: _in_days(14))
    invited_by = factory.SubFactory(UserFactory, roles=[Role.RCO_ADMIN])

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation


def _token_hash(token):
    from members.services import hash_token

    return hash_token(token)


def _in_days(days):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=days)


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


# --- decisions ------------------------------------------------------------------------------


def _in_a_week():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=7)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A draft decision under written procedure, a week before its deadline."""

    class Meta:
        model = "decisions.Decision"

    title = factory.Sequence(lambda n: f"Joint statement on labour migration no. {n}")
    text = "The Network endorses the joint statement annexed to this decision."
    rationale = "Agreed in principle at the last regular meeting."
    procedure = "written"
    deadline = factory.LazyFunction(_in_a_week)


def open_decision(by=None, **kwargs):
    """A decision opened by a co-chair (one is created if not given) over the current members."""
    from decisions.services import decision_open

    by = by or co_chair()
    return decision_open(decision=DecisionFactory(**kwargs), by=by)


# --- meetings -------------------------------------------------------------------------------


def _meeting_start():
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.now() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)


def _two_hours_after(moment):
    from datetime import timedelta

    return moment + timedelta(hours=2)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A draft regular meeting two weeks from now, two hours long."""

    class Meta:
        model = "meetings.Meeting"

    title = factory.Sequence(lambda n: f"Regular meeting no. {n}")
    kind = "regular"
    status = "draft"
    starts_at = factory.LazyFunction(_meeting_start)
    ends_at = factory.LazyAttribute(lambda o: _two_hours_after(o.starts_at))
    place = "UN House, Manama"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    status = "accepted"
    minutes_allotted = 15


class ActionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ActionPoint"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Share the draft mapping of services no. {n}")
    owner_organisation = factory.SubFactory(OrganisationFactory)
    status = "open"


def scheduled_meeting(by=None, **kwargs):
    """A meeting scheduled through the service: every member focal point/alternate is invited."""
    from meetings.services.meetings import meeting_schedule

    meeting = MeetingFactory(**kwargs)
    return meeting_schedule(meeting=meeting, by=by)


def past_meeting(days_ago=7, status="held", **kwargs):
    """A meeting that took place `days_ago` days ago (status set directly: the past is data)."""
    from datetime import timedelta

    from django.utils import timezone

    starts = timezone.now() - timedelta(days=days_ago)
    return MeetingFactory(
        starts_at=starts, ends_at=starts + timedelta(hours=2), status=status, **kwargs
    )


def invite(meeting, person, organisation=None, kind="member", response=""):
    from meetings.models import Participant

    return Participant.objects.create(
        meeting=meeting,
        person=person,
        organisation=organisation or person.organisation,
        kind=kind,
        response=response,
    )


# --- workplan -----------------------------------------------------------------------------------


def _first_thematic_area():
    from workplan.models import ThematicArea

    return ThematicArea.objects.order_by("order").first()


class WorkplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workplan.Workplan"
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.LazyAttribute(lambda o: f"Workplan {o.year}")


class DeliverableFactory(factory.django.DjangoModelFactory):
    """A deliverable serving ToR objective 1 unless given `tor_objectives=[...]`."""

    class Meta:
        model = "workplan.Deliverable"
        skip_postgeneration_save = True

    workplan = factory.SubFactory(WorkplanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Deliverable number {n}")
    description = "What the network will deliver."
    thematic_area = factory.LazyFunction(_first_thematic_area)
    lead_agency = factory.SubFactory(OrganisationFactory)
    start_quarter = 1
    end_quarter = 4
    budget_required = 10000

    @factory.post_generation
    def tor_objectives(self, create, extracted, **kwargs):
        from core.models import ToRObjective

        if create:
            self.tor_objectives.set(extracted or ToRObjective.objects.filter(number=1))

    @factory.post_generation
    def gcm_objectives(self, create, extracted, **kwargs):
        if create and extracted:
            self.gcm_objectives.set(extracted)

    @factory.post_generation
    def supporting_agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.supporting_agencies.set(extracted)


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workplan.Funding"

    deliverable = factory.SubFactory(DeliverableFactory)
    source_kind = "donor"
    source = "European Union"
    amount = 1000
    status = "confirmed"
