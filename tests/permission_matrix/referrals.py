"""Referrals: only the referral officers of the two organisations of a referral see it; everyone
else gets 404, co-chairs, the RCO and platform admins included. The service directory is read by
members; the statistics by co-chairs and the RCO; officers are appointed by the RCO and focal
points. IOM's and UNHCR's officers are appointed by the matrix (tests/referrals/conftest.py)."""

from . import CO_CHAIRS, MEMBERS, Page, allow

OFFICERS = ("iom_referrals", "unhcr_referrals")
TWO_SIDES = allow(OFFICERS, denied=404)
SENDER_ONLY = allow(("iom_referrals",), denied=404)
STATISTICS = allow((*CO_CHAIRS, "rco"))
FOCAL_POINTS_AND_RCO = allow(("rco", "iom_focal", "ilo_focal", "unhcr_focal", "unicef_focal"))


def _sent(world):
    from tests.referrals.conftest import make_referral

    if getattr(world, "matrix_referral", None) is None:
        world.matrix_referral = make_referral(world)
    return {"reference": world.matrix_referral.reference}


def _draft(world):
    from tests.referrals.conftest import make_referral

    if getattr(world, "matrix_draft", None) is None:
        world.matrix_draft = make_referral(world, consent=False, send=False)
    return {"reference": world.matrix_draft.reference}


def _acknowledge(world):
    return {**_sent(world), "action": "acknowledge"}


def _attachment(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from referrals.attachments import attachment_add

    kwargs = _sent(world)
    if getattr(world, "matrix_attachment", None) is None:
        world.matrix_attachment = attachment_add(
            referral=world.matrix_referral,
            upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n"),
            by=world.users["iom_referrals"],
        )
    return {**kwargs, "uuid": world.matrix_attachment.stored_file.uuid}


def _export(world):
    from core.jobs import job_run
    from referrals.services import export_request

    kwargs = _sent(world)
    if getattr(world, "matrix_export", None) is None:
        job = export_request(referral=world.matrix_referral, by=world.users["iom_referrals"])
        job_run(job_id=job.pk)
        world.matrix_export = job
    return {**kwargs, "uuid": world.matrix_export.uuid}


def _world(world):
    from tests.referrals.conftest import referral_world

    referral_world(world)
    return {}


def _service(world):
    from referrals.models import ServiceOffer

    _world(world)
    return {
        "pk": ServiceOffer.objects.get(
            organisation=world.organisation("UNHCR"), kind="protection"
        ).pk
    }


def _officer(world):
    from referrals.models import ReferralOfficerAppointment

    _world(world)
    return {
        "pk": ReferralOfficerAppointment.objects.filter(organisation=world.organisation("UNICEF"))
        .first()
        .pk
    }


PAGES = [
    Page("referrals:index", allow(OFFICERS), kwargs=_world),
    Page("referrals:create", allow(OFFICERS), kwargs=_world),
    Page("referrals:services", allow(MEMBERS), kwargs=_world),
    Page(
        "referrals:service_create",
        allow(
            ("iom_focal", "ilo_focal", "unhcr_focal", "unicef_focal", "who_alternate", *OFFICERS)
        ),
        kwargs=_world,
    ),
    Page(
        "referrals:service_edit",
        allow(("iom_focal", "ilo_focal", "unhcr_focal", "unhcr_referrals")),
        kwargs=_service,
    ),
    Page("referrals:officers", FOCAL_POINTS_AND_RCO, kwargs=_world),
    # Only the RCO and UNICEF's focal point may end UNICEF's officer; others do not find it.
    Page(
        "referrals:officer_end",
        allow(("rco", "unicef_focal"), ok=302, denied=404),
        kwargs=_officer,
        method="post",
    ),
    Page("referrals:statistics", STATISTICS, kwargs=_world),
    Page("referrals:detail", TWO_SIDES, kwargs=_sent),
    Page("referrals:detail", SENDER_ONLY, kwargs=_draft, note="draft"),
    Page("referrals:consent", SENDER_ONLY, kwargs=_draft),
    Page("referrals:messages", TWO_SIDES, kwargs=_sent, htmx=True),
    Page("referrals:correct", TWO_SIDES, kwargs=_sent),
    Page("referrals:erase", TWO_SIDES, kwargs=_sent),
    Page("referrals:access_log", TWO_SIDES, kwargs=_sent),
    # Attachments: decrypted only by the two sides (the receiver under consent to documents).
    Page("referrals:attachment", TWO_SIDES, kwargs=_attachment),
    # The export: either side asks (302 to the job page); only the requester downloads theirs.
    Page("referrals:export", allow(OFFICERS, ok=302, denied=404), kwargs=_sent, method="post"),
    Page("referrals:export_download", SENDER_ONLY, kwargs=_export),
    # Posting without a file: the two sides are sent back with the form's error.
    Page(
        "referrals:attachment_add",
        allow(OFFICERS, ok=302, denied=404),
        kwargs=_sent,
        method="post",
    ),
    Page(
        "referrals:consent_withdraw",
        allow(("iom_referrals",), ok=302, denied=404),
        kwargs=_draft,
        method="post",
    ),
    # The receiver acknowledges; the sender is sent back with an error (wrong side): no change.
    Page(
        "referrals:transition",
        allow(OFFICERS, ok=302, denied=404),
        kwargs=_acknowledge,
        method="post",
    ),
]
