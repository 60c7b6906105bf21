"""Scale dataset (seed_scale): a decade of referrals between the agencies, most of them ended.

The demo agencies (IOM, UNHCR) send or receive most of them, so their referral officers' lists,
dashboards and the statistics see the volume. Referrals that ended before the retention period
are erased as the retention task would have erased them: no name, no summary, no consent purpose.
The people are fictional ("Scale person N").
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.scaling import bulk_create
from members.models import Organisation

from . import rules
from .crypto import person_hash
from .models import Consent, DataCategory, Referral, ServiceKind
from .services import new_reference

CHUNK = 5_000
DEMO_SHARE = 0.7  # of referrals sent or received by a demo agency with referral officers
ENDED = [
    (Referral.Status.CLOSED, 0.6),
    (Referral.Status.DECLINED, 0.2),
    (Referral.Status.WITHDRAWN, 0.2),
]
# The last weeks: referrals still moving through the workflow.
OPEN = [
    Referral.Status.SENT,
    Referral.Status.ACKNOWLEDGED,
    Referral.Status.ACCEPTED,
    Referral.Status.DRAFT,
]


def seed(context):
    size = context.size
    total = size.referrals
    if not total:
        return
    rng = context.rng
    now = timezone.now()
    first = now - timedelta(days=365 * (size.years - 1))
    step = (now - timedelta(hours=1) - first) / total
    cutoff = rules.retention_cutoff(now, settings.REFERRALS_RETENTION_MONTHS)
    demo = list(Organisation.objects.filter(acronym__in=["IOM", "UNHCR"]).order_by("acronym"))
    agencies = context.agencies
    # Who records each agency's referrals: the demo's referral officers, else the focal point.
    authors = dict(context.representatives)
    for org in demo:
        officer = context.demo.people.get(f"{org.acronym.lower()}.referrals@example.org")
        if officer is not None:
            authors[org.pk] = officer.pk
    services = list(ServiceKind.values)
    categories = list(DataCategory.values)
    # Each demo agency's usual partners: the first agencies of the network other than itself.
    partners = {org.pk: [other for other in agencies if other.pk != org.pk][:20] for org in demo}
    statuses = [status for status, _share in ENDED]
    weights = [share for _status, share in ENDED]
    counts = dict.fromkeys(("referrals", "erased"), 0)
    for start in range(0, total, CHUNK):
        referrals = []
        for index in range(start, min(start + CHUNK, total)):
            created = first + step * index
            if rng.random() < DEMO_SHARE:
                sender = rng.choice(demo)
                receiver = rng.choice(partners[sender.pk])
                if rng.random() < 0.5:
                    sender, receiver = receiver, sender
            else:
                sender, receiver = rng.sample(agencies, 2)
            recent = now - created < timedelta(days=21)
            status = rng.choice(OPEN) if recent else rng.choices(statuses, weights)[0]
            referral = Referral(
                reference=new_reference(),
                from_organisation=sender,
                to_organisation=receiver,
                urgency=rng.choice(Referral.Urgency.values),
                services=rng.sample(services, rng.choice((1, 1, 2))),
                status=status,
                created_by_id=authors[sender.pk],
                created_at=created,
            )
            _timestamps(referral, status, created)
            if referral.ended_at and referral.ended_at < cutoff:
                referral.erased_at = referral.ended_at + (now - cutoff)
                referral.decline_reason = referral.outcome = ""
                counts["erased"] += 1
            else:
                referral.full_name = f"Scale person {index + 1}"
                referral.year_of_birth = str(1960 + index % 45)
                referral.summary = "Needs shelter and legal counselling (fictional case)."
                referral.person_hash = person_hash(referral.full_name, referral.year_of_birth)
            referrals.append(referral)
        bulk_create(Referral, referrals)
        bulk_create(
            Consent,
            [
                Consent(
                    referral=referral,
                    receiving_organisation=referral.to_organisation,
                    purpose="" if referral.erased_at else "Referral for the services requested.",
                    categories=categories,
                    obtained_by_id=referral.created_by_id,
                    obtained_on=timezone.localdate(referral.created_at),
                    method=Consent.Method.WRITTEN,
                    language="Arabic",
                )
                for referral in referrals
            ],
        )
        counts["referrals"] += len(referrals)
    context.log.append(
        f"Referrals: {counts['referrals']} (of which {counts['erased']} erased after retention)."
    )


def _timestamps(referral, status, created):
    """The dates of each step up to `status`, a few hours to days apart."""
    if status == Referral.Status.DRAFT:
        return
    referral.sent_at = created + timedelta(minutes=30)
    referral.acknowledge_due_at = referral.sent_at + timedelta(days=2)
    if status == Referral.Status.WITHDRAWN:
        referral.withdrawn_at = referral.ended_at = referral.sent_at + timedelta(hours=20)
        return
    if status == Referral.Status.SENT:
        return
    referral.acknowledged_at = referral.sent_at + timedelta(hours=6)
    if status == Referral.Status.DECLINED:
        referral.declined_at = referral.ended_at = referral.acknowledged_at + timedelta(days=1)
        referral.decline_reason = "Outside our eligibility criteria."
        return
    if status == Referral.Status.ACKNOWLEDGED:
        return
    referral.accepted_at = referral.acknowledged_at + timedelta(days=1)
    if status == Referral.Status.CLOSED:
        referral.closed_at = referral.ended_at = referral.accepted_at + timedelta(days=30)
        referral.outcome = "Services provided."
