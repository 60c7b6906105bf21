"""State changes of knowledge products: each one transaction, authorized, validated, audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.files import stored_file_save
from core.jobs import job_enqueue
from core.uploads import check_upload, content_type_of

from . import notifications, permissions, rules
from .models import KnowledgeProduct, ProductComment, ProductVersion

FILE_KIND = "library.version"
EXTRACT_JOB = "library.extract_text"

FIELDS = ("kind", "title", "summary", "year", "lead_agency", "other_authors", "languages")
M2M_FIELDS = ("agencies", "authors", "tor_objectives", "gcm_objectives", "deliverables")


def _locked(product):
    return KnowledgeProduct.objects.select_for_update().get(pk=product.pk)


def _split(fields):
    fields = dict(fields)
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a knowledge product: {sorted(unknown)}")
    return fields, m2m


def _check_languages(languages):
    known = {code for code, _name in rules.LANGUAGE_CHOICES}
    if any(code not in known for code in languages or ()):
        raise DomainError(_("Choose the languages from the list."))


def _decision_pending(product):
    decision = product.endorsement_decision
    return decision is not None and rules.decision_pending(decision.status)


def product_create(*, by, **fields):
    """Draft a product: co-chairs and the secretariat for any agency, focal points for theirs."""
    fields, m2m = _split(fields)
    lead = fields.get("lead_agency")
    if not permissions.can_manage_products(by) and (
        lead is None or lead.pk not in permissions.drafting_agencies(by)
    ):
        raise DomainError(_("You may draft knowledge products for your own agency only."))
    _check_languages(fields.get("languages"))
    fields.setdefault("year", timezone.localdate().year)
    with transaction.atomic():
        product = KnowledgeProduct(created_by=by, **fields)
        product.full_clean()
        product.save()
        for name, values in m2m.items():
            getattr(product, name).set(values)
        audit.record("library.product.drafted", actor=by, obj=product, kind=product.kind)
    return product


def product_update(*, product, by, **fields):
    """Change what a product is about while it is drafted or in review."""
    fields, m2m = _split(fields)
    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_edit_product(by, product):
            raise DomainError(_("This knowledge product can no longer be changed by you."))
        lead = fields.get("lead_agency")
        if (
            lead is not None
            and lead.pk != product.lead_agency_id
            and not permissions.can_manage_products(by)
        ):
            raise DomainError(_("Only the co-chairs and the secretariat change the lead agency."))
        _check_languages(fields.get("languages"))
        changed = [name for name, value in fields.items() if getattr(product, name) != value]
        for name in changed:
            setattr(product, name, fields[name])
        product.full_clean()
        product.save()
        for name, values in m2m.items():
            before = set(getattr(product, name).values_list("pk", flat=True))
            after = {getattr(value, "pk", value) for value in values}
            if before != after:
                getattr(product, name).set(values)
                changed.append(name)
        if changed:
            audit.record("library.product.edited", actor=by, obj=product, fields=changed)
    return product


def version_upload(*, product, upload, by, note=""):
    """Store an uploaded file as the product's next version and extract its text afterwards."""
    problem = check_upload(upload)
    if problem:
        raise DomainError(problem)
    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_upload_version(by, product):
            raise DomainError(_("You may not add a file to this knowledge product now."))
        stored = stored_file_save(
            content=upload,
            name=upload.name,
            content_type=content_type_of(upload),
            kind=FILE_KIND,
            owner=product,
            by=by,
        )
        if ProductVersion.objects.filter(stored_file=stored).exists():
            raise DomainError(_("This file is already the current version."))
        version = ProductVersion.objects.create(
            product=product,
            number=stored.version,
            stored_file=stored,
            note=(note or "").strip()[:300],
            uploaded_by=by,
        )
        # The search text follows the current file: until the new one is read, it has none.
        product.file_text = ""
        product.save(update_fields=["file_text", "updated_at"])
        audit.record(
            "library.version.uploaded",
            actor=by,
            obj=product,
            version=version.number,
            file=stored.name,
            sha256=stored.sha256,
        )
        job_enqueue(
            kind=EXTRACT_JOB,
            by=by,
            obj=version,
            params={"version_id": version.pk},
            idempotency_key=f"{EXTRACT_JOB}:{version.pk}",
        )
    return version


def version_text_store(*, version_id, text, extraction):
    """Keep the text read from a version's file; the product's search text if it is current."""
    with transaction.atomic():
        version = ProductVersion.objects.select_for_update().get(pk=version_id)
        version.extracted_text = text
        version.extraction = extraction
        version.save(update_fields=["extracted_text", "extraction"])
        product = KnowledgeProduct.objects.select_for_update().get(pk=version.product_id)
        newest = product.versions.order_by("-number").values_list("pk", flat=True).first()
        if newest == version.pk:
            product.file_text = text
            product.save(update_fields=["file_text", "updated_at"])
        audit.record(
            "library.version.text_extracted",
            actor=None,
            obj=product,
            version=version.number,
            extraction=extraction,
            characters=len(text),
        )
    return version


def review_start(*, product, comment_deadline, by):
    """Put a draft in review: members comment until the deadline (as on circulated minutes)."""
    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_start_review(by, product):
            raise DomainError(_("Only the co-chairs and the secretariat put a draft in review."))
        if comment_deadline < timezone.localdate():
            raise DomainError(_("The deadline for comments cannot be in the past."))
        if not product.versions.exists():
            raise DomainError(_("Upload the draft's file before putting it in review."))
        product.status = KnowledgeProduct.Status.IN_REVIEW
        product.comment_deadline = comment_deadline
        product.review_started_at = timezone.now()
        product.save(
            update_fields=["status", "comment_deadline", "review_started_at", "updated_at"]
        )
        audit.record("library.product.in_review", actor=by, obj=product, deadline=comment_deadline)
        notifications.send_for_comment(product.pk)  # delivered after the commit
    return product


def review_extend(*, product, comment_deadline, by):
    """Move the comment deadline of a product in review (also to reopen comments)."""
    with transaction.atomic():
        product = _locked(product)
        if not (product.in_review and permissions.can_manage_products(by)):
            raise DomainError(_("Only a product in review has a comment period."))
        if comment_deadline < timezone.localdate():
            raise DomainError(_("The deadline for comments cannot be in the past."))
        product.comment_deadline = comment_deadline
        product.save(update_fields=["comment_deadline", "updated_at"])
        audit.record(
            "library.product.deadline_changed", actor=by, obj=product, deadline=comment_deadline
        )
    return product


def return_to_draft(*, product, by, reason=""):
    """Take a product out of review (comments are kept) to rework it."""
    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_return_to_draft(
            by, product, decision_pending=_decision_pending(product)
        ):
            raise DomainError(
                _("A product in review goes back to draft only while no decision on it is open.")
            )
        product.status = KnowledgeProduct.Status.DRAFT
        product.comment_deadline = None
        product.endorsement_decision = None
        product.save(
            update_fields=["status", "comment_deadline", "endorsement_decision", "updated_at"]
        )
        audit.record("library.product.returned_to_draft", actor=by, obj=product, reason=reason)
    return product


def comment_add(*, product, body, by):
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a comment."))
    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_comment(by, product):
            raise DomainError(_("Comments on this knowledge product are closed."))
        comment = ProductComment.objects.create(product=product, author=by, body=body[:5000])
        audit.record("library.product.commented", actor=by, obj=product)
    return comment


def endorsement_propose(*, product, by, decision=None):
    """Ask the network to endorse the product by a consensus decision.

    With `decision`, the product is tied to that decision (a draft or open one; an adopted one
    endorses it at once). Without, a draft decision is created for the co-chairs to open.
    """
    from decisions.models import Decision
    from decisions.services import decision_create

    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_propose_endorsement(
            by, product, decision_pending=_decision_pending(product)
        ):
            raise DomainError(
                _("Only a co-chair proposes a product in review for endorsement, once.")
            )
        if decision is None:
            decision = decision_create(
                title=_("Endorsement of the %(kind)s “%(title)s”")
                % {"kind": product.get_kind_display().lower(), "title": product.title},
                text=_(
                    "The Network on Migration endorses the %(kind)s “%(title)s” (led by "
                    "%(agency)s) as a technical contribution of the network (ToR objective 4)."
                )
                % {
                    "kind": product.get_kind_display().lower(),
                    "title": product.title,
                    "agency": product.lead_agency.acronym,
                },
                rationale=product.summary,
                proposing_organisation=product.lead_agency,
                by=by,
            )
        else:
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
            if decision.status not in ("draft", "open", "adopted"):
                raise DomainError(
                    _("Choose a draft, open or adopted decision to endorse the product.")
                )
        product.endorsement_decision = decision
        product.refused_decision = None
        product.save(update_fields=["endorsement_decision", "refused_decision", "updated_at"])
        audit.record(
            "library.product.endorsement_proposed",
            actor=by,
            obj=product,
            decision=decision.pk,
        )
        if decision.status == "adopted":
            _endorse(product, decision, actor=by)
    return product


def _endorse(product, decision, *, actor):
    product.status = KnowledgeProduct.Status.ENDORSED
    product.endorsed_on = timezone.localdate(decision.closed_at)
    product.endorsement_decision = decision
    product.save(update_fields=["status", "endorsed_on", "endorsement_decision", "updated_at"])
    audit.record(
        "library.product.endorsed",
        actor=actor,
        obj=product,
        decision=decision.pk,
        reference=decision.reference,
    )


def products_follow_decision(*, decision, adopted):
    """A decision closed: the products it was to endorse are endorsed, or back in review.

    Called inside the transaction that closes the decision (decisions.signals.decision_closed).
    """
    products = KnowledgeProduct.objects.select_for_update().filter(
        endorsement_decision=decision, status=KnowledgeProduct.Status.IN_REVIEW
    )
    for product in products:
        if adopted:
            _endorse(product, decision, actor=None)
            continue
        product.endorsement_decision = None
        product.refused_decision = decision
        product.save(update_fields=["endorsement_decision", "refused_decision", "updated_at"])
        audit.record(
            "library.product.endorsement_refused",
            actor=None,
            obj=product,
            decision=decision.pk,
            reference=decision.reference,
        )


def product_publish(*, product, audience, published_on, by):
    """Publish an endorsed product to an audience (the network, the UN Networks, the public)."""
    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_publish(by, product):
            raise DomainError(_("Only an endorsed product can be published."))
        if audience not in KnowledgeProduct.Audience.values:
            raise DomainError(_("Choose the audience."))
        if not product.versions.exists():
            raise DomainError(_("Upload the product's file before publishing it."))
        if product.endorsed_on and published_on < product.endorsed_on:
            raise DomainError(_("A product cannot be published before it was endorsed."))
        if published_on > timezone.localdate():
            raise DomainError(_("The publication date cannot be in the future."))
        product.status = KnowledgeProduct.Status.PUBLISHED
        product.audience = audience
        product.published_on = published_on
        product.save(update_fields=["status", "audience", "published_on", "updated_at"])
        audit.record(
            "library.product.published",
            actor=by,
            obj=product,
            audience=audience,
            published_on=published_on,
        )
    return product


def submission_record(*, product, by, regional_on=None, global_on=None):
    """Record when the product was submitted to the regional and/or global UN Network."""
    if regional_on is None and global_on is None:
        raise DomainError(_("Give the date of at least one submission."))
    today = timezone.localdate()
    with transaction.atomic():
        product = _locked(product)
        if not permissions.can_record_submission(by, product):
            raise DomainError(
                _("Only a product published beyond the network is submitted to the UN Networks.")
            )
        for day in (regional_on, global_on):
            if day is not None and (day > today or day < product.endorsed_on):
                raise DomainError(_("A submission is dated between the endorsement and today."))
        product.submitted_regional_on = regional_on
        product.submitted_global_on = global_on
        product.full_clean()
        product.save(update_fields=["submitted_regional_on", "submitted_global_on", "updated_at"])
        audit.record(
            "library.product.submitted",
            actor=by,
            obj=product,
            regional_on=regional_on,
            global_on=global_on,
        )
    return product
