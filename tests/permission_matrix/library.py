"""Library: members read; co-chairs and the secretariat manage; focal points draft for their
agency; a guest reads only what is published to the public; the platform admin reads nothing."""

from . import CO_CHAIRS, EVERYONE, FOCAL_POINTS, MEMBERS, Page, allow

UNHCR_DRAFTERS = ("iom_focal", "ilo_focal", "unhcr_focal")
OUTSIDERS_404 = {role: 404 for role in EVERYONE if role not in MEMBERS}
# A draft of UNHCR: seen by the co-chairs and UNHCR's focal point; a 404 for everyone else.
DRAFT_EDITORS = allow(
    UNHCR_DRAFTERS, **{role: 404 for role in EVERYONE if role not in UNHCR_DRAFTERS}
)
# A product in review: members see it; only co-chairs and the secretariat act on it.
IN_REVIEW_MANAGERS = allow(CO_CHAIRS, **OUTSIDERS_404)


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _draft(world, with_file=True):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from library import services

    focal = world.users["unhcr_focal"]
    product = services.product_create(
        by=focal,
        kind="policy_brief",
        title="Refugees in the labour market",
        lead_agency=world.organisation("UNHCR"),
    )
    if with_file:
        services.version_upload(
            product=product,
            upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
            by=focal,
        )
    return product


def _in_review(world):
    from datetime import timedelta

    from library import services

    return services.review_start(
        product=_draft(world),
        comment_deadline=_today() + timedelta(days=7),
        by=world.users["iom_focal"],
    )


def _endorsed(world):
    from library.models import KnowledgeProduct

    product = _in_review(world)
    KnowledgeProduct.objects.filter(pk=product.pk).update(status="endorsed", endorsed_on=_today())
    return product


def _published(audience):
    def make(world):
        from library.models import KnowledgeProduct

        product = _endorsed(world)
        KnowledgeProduct.objects.filter(pk=product.pk).update(
            status="published", audience=audience, published_on=_today()
        )
        return product

    return make


def _pk(factory):
    return lambda world: {"pk": factory(world).pk}


def _new_product(world):
    return {
        "kind": "policy_brief",
        "title": "Labour migration governance",
        "year": _today().year,
        "lead_agency": world.organisation("IOM").pk,
    }


PAGES = [
    Page("library:list", allow(MEMBERS, guest=200)),
    Page(
        "library:list",
        allow(MEMBERS, guest=200),
        data={"q": "labour", "kind": "policy_brief", "year": "2026"},
        note="search",
    ),
    Page("library:create", allow(FOCAL_POINTS)),
    Page(
        "library:create",
        # Only IOM's people may name IOM the lead agency: the other focal points get the form back.
        allow(FOCAL_POINTS, ok=302, unhcr_focal=400, unicef_focal=400, who_alternate=400),
        method="post",
        data=_new_product,
    ),
    Page("library:detail", DRAFT_EDITORS, kwargs=_pk(_draft), note="draft"),
    Page("library:detail", allow(MEMBERS, **OUTSIDERS_404), kwargs=_pk(_in_review), note="review"),
    Page(
        "library:detail",
        allow(MEMBERS, admin=404, guest=200),
        kwargs=_pk(_published("public")),
        note="public",
    ),
    Page(
        "library:detail",
        allow(MEMBERS, **OUTSIDERS_404),
        kwargs=_pk(_published("un_networks")),
        note="UN networks",
    ),
    Page("library:edit", DRAFT_EDITORS, kwargs=_pk(_draft)),
    Page(
        "library:edit",
        allow(UNHCR_DRAFTERS, ok=302, **{r: 404 for r in EVERYONE if r not in UNHCR_DRAFTERS}),
        kwargs=_pk(_draft),
        method="post",
        data=lambda world: {
            "kind": "policy_paper",
            "title": "Refugees at work",
            "year": _today().year,
            "lead_agency": world.organisation("UNHCR").pk,
        },
    ),
    Page(
        "library:edit",
        # Members see a published product; nobody changes it.
        allow((), **{**OUTSIDERS_404, "guest": 403}),
        kwargs=_pk(_published("public")),
        note="published",
    ),
    Page("library:upload", DRAFT_EDITORS, kwargs=_pk(_draft)),
    Page("library:review", {**DRAFT_EDITORS, "unhcr_focal": 403}, kwargs=_pk(_draft)),
    Page(
        "library:review",
        # IOM's co-chair puts it in review; the members after it then see it, but may not (403);
        # the RCO, walked before, did not see the draft (404).
        allow(("iom_focal",), ok=302, **{**OUTSIDERS_404, "rco": 404}),
        kwargs=_pk(_draft),
        method="post",
        data=lambda world: {"comment_deadline": _today().isoformat()},
    ),
    Page("library:deadline", IN_REVIEW_MANAGERS, kwargs=_pk(_in_review)),
    Page(
        "library:deadline",
        allow(CO_CHAIRS, ok=302, **OUTSIDERS_404),
        kwargs=_pk(_in_review),
        method="post",
        data=lambda world: {"comment_deadline": _today().isoformat()},
    ),
    Page("library:return", IN_REVIEW_MANAGERS, kwargs=_pk(_in_review)),
    Page(
        "library:return",
        # IOM's co-chair takes it back to draft: the draft then is a 404 for the other members
        # (the RCO, walked before, saw it in review: 403).
        {
            **DRAFT_EDITORS,
            "rco": 403,
            "iom_focal": 302,
            "ilo_focal": 403,
            "unhcr_focal": 403,
            "anonymous": 302,
        },
        kwargs=_pk(_in_review),
        method="post",
        data={"reason": "Rework section 2."},
    ),
    Page(
        "library:comment",
        allow(MEMBERS, ok=302, **OUTSIDERS_404),
        kwargs=_pk(_in_review),
        method="post",
        data={"body": "Please cite the 2024 survey."},
    ),
    Page(
        "library:comment",
        allow((), **OUTSIDERS_404),
        kwargs=_pk(_published("un_networks")),
        method="post",
        data={"body": "Too late."},
        note="closed",
    ),
    Page("library:endorse", IN_REVIEW_MANAGERS, kwargs=_pk(_in_review)),
    Page(
        "library:endorse",
        # IOM's co-chair asks for a decision; once it is pending, ILO's may not ask again.
        allow(("iom_focal",), ok=302, **OUTSIDERS_404),
        kwargs=_pk(_in_review),
        method="post",
        data={"decision": ""},
    ),
    Page("library:publish", IN_REVIEW_MANAGERS, kwargs=_pk(_endorsed)),
    Page(
        "library:publish",
        # Published to the public by IOM's co-chair: the guest then sees it, may not publish.
        allow(("iom_focal",), ok=302, **{**OUTSIDERS_404, "guest": 403}),
        kwargs=_pk(_endorsed),
        method="post",
        data=lambda world: {"audience": "public", "published_on": _today().isoformat()},
    ),
    Page("library:submission", IN_REVIEW_MANAGERS, kwargs=_pk(_published("un_networks"))),
    Page(
        "library:submission",
        allow(CO_CHAIRS, ok=302, **OUTSIDERS_404),
        kwargs=_pk(_published("un_networks")),
        method="post",
        data=lambda world: {"regional_on": _today().isoformat()},
    ),
]
