"""Demo organisations, memberships and people of a country network (see README: demo accounts)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import Network

from .models import Appointment, Invitation, Membership, Organisation
from .roles import Role
from .services import hash_token

NETWORK = {
    "name": "UN Network on Migration in Bahrain",
    "short_name": "UNNM Bahrain",
    "country": "Bahrain",
    "time_zone": "Asia/Bahrain",
    "decision_prefix": "UNNM-BH",
    "weekend_days": [4, 5],  # Friday and Saturday
}

# acronym, name, resident in the country
UN_AGENCIES = [
    ("IOM", "International Organization for Migration", True),
    ("ILO", "International Labour Organization", False),
    ("UNHCR", "United Nations High Commissioner for Refugees", False),
    ("UNICEF", "United Nations Children's Fund", True),
    ("WHO", "World Health Organization", True),
    ("UNODC", "United Nations Office on Drugs and Crime", False),
    ("UN Women", "United Nations Entity for Gender Equality and the Empowerment of Women", False),
    ("UNDP", "United Nations Development Programme", True),
    ("UNFPA", "United Nations Population Fund", False),
    ("OHCHR", "Office of the United Nations High Commissioner for Human Rights", False),
    ("UNEP", "United Nations Environment Programme", True),
    ("UN-Habitat", "United Nations Human Settlements Programme", True),
    ("UNIDO", "United Nations Industrial Development Organization", True),
]
RCO = ("RCO", "United Nations Resident Coordinator's Office")

STAKEHOLDERS = [
    ("LMRA", "Labour Market Regulatory Authority", Organisation.Kind.GOVERNMENT),
    ("MOI", "Ministry of Interior", Organisation.Kind.GOVERNMENT),
    ("MOL", "Ministry of Labour", Organisation.Kind.GOVERNMENT),
    ("MOH", "Ministry of Health", Organisation.Kind.GOVERNMENT),
    ("MWPS", "Migrant Workers Protection Society", Organisation.Kind.NGO),
    ("UOB", "University of Bahrain", Organisation.Kind.ACADEMIA),
    ("BCCI", "Bahrain Chamber of Commerce and Industry", Organisation.Kind.EMPLOYERS),
    ("GFBTU", "General Federation of Bahrain Trade Unions", Organisation.Kind.WORKERS),
]

# email, full name, job title, organisation, roles held through groups, appointment
DEMO_ACCOUNTS = [
    ("admin@example.org", "Platform Administrator", "Portal operator", None, [], None),
    ("rco@example.org", "Rania Haddad", "Partnerships Officer", "RCO", [Role.RCO_ADMIN], None),
    (
        "iom.focal@example.org",
        "Omar Farouk",
        "Head of Office",
        "IOM",
        [Role.SECRETARIAT],
        ("focal_point", "representative"),
    ),
    (
        "ilo.focal@example.org",
        "Layla Mansour",
        "Senior Programme Officer",
        "ILO",
        [],
        ("focal_point", "senior_programme_manager"),
    ),
    (
        "unhcr.focal@example.org",
        "Daniel Okafor",
        "Protection Officer",
        "UNHCR",
        [],
        ("focal_point", "focal_point"),
    ),
    (
        "unicef.focal@example.org",
        "Sara Al-Amin",
        "Child Protection Specialist",
        "UNICEF",
        [],
        ("focal_point", "specialist"),
    ),
    (
        "who.alternate@example.org",
        "Priya Raman",
        "Health Officer",
        "WHO",
        [],
        ("alternate", "specialist"),
    ),
    (
        "undp.staff@example.org",
        "Karim Nasser",
        "Programme Analyst",
        "UNDP",
        [Role.AGENCY_STAFF],
        None,
    ),
    (
        "iom.referrals@example.org",
        "Maria Santos",
        "Protection Assistant",
        "IOM",
        [Role.REFERRAL_OFFICER],
        None,
    ),
    (
        "unhcr.referrals@example.org",
        "Ahmed Yusuf",
        "Case Worker",
        "UNHCR",
        [Role.REFERRAL_OFFICER],
        None,
    ),
    ("guest@example.org", "Fatima Al-Khalifa", "Director of Policy", "LMRA", [Role.GUEST], None),
]

# The other member agencies' focal points and alternates, so every agency has a focal point.
OTHER_FOCAL_POINTS = [
    ("WHO", "focal_point", "Hassan Al-Sayed", "deputy"),
    ("UNODC", "focal_point", "Elena Petrova", "focal_point"),
    ("UN Women", "focal_point", "Noor Abbas", "specialist"),
    ("UNDP", "focal_point", "James Whitfield", "deputy"),
    ("UNFPA", "focal_point", "Aisha Rahman", "focal_point"),
    ("OHCHR", "focal_point", "Lucia Moreno", "specialist"),
    ("UNEP", "focal_point", "Tariq Jaber", "focal_point"),
    ("UN-Habitat", "focal_point", "Mei Chen", "focal_point"),
    ("UNIDO", "focal_point", "Youssef Karam", "senior_programme_manager"),
    ("IOM", "alternate", "Grace Mwangi", "senior_programme_manager"),
    ("ILO", "alternate", "Rashid Qasim", "specialist"),
    ("UNICEF", "alternate", "Hana Sato", "focal_point"),
]


# email, organisation, role, level, days until expiry (negative: already past), status
DEMO_INVITATIONS = [
    ("unfpa.alternate@example.org", "UNFPA", "alternate", "specialist", 12, "pending"),
    ("unodc.staff@example.org", "UNODC", "agency_staff", "", 9, "pending"),
    ("mwps.guest@example.org", "MWPS", "guest", "", 13, "pending"),
    ("moh.guest@example.org", "MOH", "guest", "", -20, "expired"),
    ("unwomen.alternate@example.org", "UN Women", "alternate", "focal_point", -2, "pending"),
]


def _invitations(context, inviter):
    """Invitations in each state; their links are unknown (only a digest of a random token)."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.crypto import get_random_string

    now = timezone.now()
    for email, acronym, role, level, days, status in DEMO_INVITATIONS:
        if Invitation.objects.filter(email=email).exists():
            continue
        Invitation.objects.create(
            email=email,
            organisation=context.organisations[acronym],
            role=role,
            level=level,
            token_hash=hash_token(get_random_string(43)),
            status=status,
            expires_at=now + timedelta(days=days),
            sent_at=now + timedelta(days=days - 14),
            send_count=1,
            invited_by=inviter,
        )


def _slug(acronym):
    return acronym.lower().replace(" ", "").replace("-", "")


def _account(context, email, full_name, job_title, organisation):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=context.password,
            full_name=full_name,
            job_title=job_title,
            organisation=organisation,
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    context.people[email] = user
    return user


def _appoint(organisation, person, kind, level, start):
    if not Appointment.objects.active().filter(organisation=organisation, kind=kind).exists():
        Appointment.objects.get_or_create(
            organisation=organisation,
            person=person,
            kind=kind,
            end_date=None,
            defaults={"level": level, "start_date": start},
        )


def seed(context):
    network = Network.objects.get_current()
    for field, value in NETWORK.items():
        setattr(network, field, value)
    network.save()

    start = context.today.replace(year=context.today.year - 2, month=1, day=1)
    for acronym, name, resident in UN_AGENCIES:
        organisation, _created = Organisation.objects.get_or_create(
            acronym=acronym,
            defaults={"name": name, "kind": Organisation.Kind.UN_AGENCY, "is_resident": resident},
        )
        context.organisations[acronym] = organisation
        Membership.objects.get_or_create(
            organisation=organisation,
            role=Membership.Role.MEMBER,
            left_on=None,
            defaults={"joined_on": start},
        )
    rco, _created = Organisation.objects.get_or_create(
        acronym=RCO[0],
        defaults={"name": RCO[1], "kind": Organisation.Kind.UN_AGENCY, "is_resident": True},
    )
    context.organisations[RCO[0]] = rco
    for acronym, role in [
        ("IOM", Membership.Role.CO_CHAIR),
        ("IOM", Membership.Role.SECRETARIAT),
        ("ILO", Membership.Role.CO_CHAIR),
    ]:
        Membership.objects.get_or_create(
            organisation=context.organisations[acronym],
            role=role,
            left_on=None,
            defaults={"joined_on": start},
        )
    for acronym, name, kind in STAKEHOLDERS:
        organisation, _created = Organisation.objects.get_or_create(
            acronym=acronym, defaults={"name": name, "kind": kind, "is_resident": True}
        )
        context.organisations[acronym] = organisation
        Membership.objects.get_or_create(
            organisation=organisation,
            role=Membership.Role.STAKEHOLDER,
            left_on=None,
            defaults={"joined_on": start},
        )

    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    for email, full_name, job_title, acronym, roles, appointment in DEMO_ACCOUNTS:
        organisation = context.organisations.get(acronym) if acronym else None
        user = _account(context, email, full_name, job_title, organisation)
        if email == "admin@example.org" and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        for role in roles:
            user.groups.add(groups[role])
        if appointment:
            kind, level = appointment
            _appoint(organisation, user, kind, level, start)

    for acronym, kind, full_name, level in OTHER_FOCAL_POINTS:
        organisation = context.organisations[acronym]
        email = f"{_slug(acronym)}.{'focal' if kind == 'focal_point' else 'alternate'}@example.org"
        user = _account(context, email, full_name, "", organisation)
        _appoint(organisation, user, kind, level, start)

    _invitations(context, context.people["rco@example.org"])

    context.log.append(
        f"Members: {Organisation.objects.count()} organisations, "
        f"{Appointment.objects.active().count()} active appointments, "
        f"{len(context.people)} people."
    )
