"""State changes of reports: each one transaction, authorized here, validated, audited."""

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError

from . import permissions, rules, selectors
from .models import NarrativePart, NarrativeRevision, Report, ReportShare, ReportVersion

NARRATIVE_MAX_LENGTH = 20_000


def _locked(report):
    """Reload the report with its row locked: every change of a report goes through here."""
    return Report.objects.select_for_update().get(pk=report.pk)


def _check_editable(report):
    if report.is_read_only:
        raise DomainError(
            _("This report is %(status)s: it can no longer be changed.")
            % {"status": report.get_status_display().lower()}
        )


def report_create(*, kind, period, by, title=""):
    """Start a draft report of a kind for a period (one per kind and period)."""
    if not permissions.can_manage_reports(by):
        raise DomainError(_("Only a co-chair or the secretariat may prepare reports."))
    if kind not in Report.Kind.values:
        raise DomainError(_("Choose a kind of report."))
    kind_label = Report.Kind(kind).label
    if kind == Report.Kind.BIANNUAL and (period.start.month, period.start.day) not in (
        (1, 1),
        (7, 1),
    ):
        raise DomainError(_("A bi-annual report covers January to June or July to December."))
    if Report.objects.filter(kind=kind, period_start=period.start, period_end=period.end).exists():
        raise DomainError(_("There is already a report of this kind for this period."))
    try:
        with transaction.atomic():
            report = Report(
                kind=kind,
                period_start=period.start,
                period_end=period.end,
                title=(title or "").strip() or rules.default_title(kind_label, period),
                created_by=by,
            )
            report.full_clean()
            report.save()
            audit.record(
                "reports.report.created",
                actor=by,
                obj=report,
                kind=kind,
                period=[period.start.isoformat(), period.end.isoformat()],
            )
    except IntegrityError as error:
        # Two people starting the same report at once: the constraint keeps one.
        raise DomainError(_("There is already a report of this kind for this period.")) from error
    return report


def narrative_save(*, report, language, texts, by):
    """Save the narrative parts that changed, each as a new revision (the history is kept)."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("This language is not available."))
    unknown = set(texts) - set(NarrativePart.values)
    if unknown:
        raise ValueError(f"Unknown narrative parts: {sorted(unknown)}")
    with transaction.atomic():
        report = _locked(report)
        _check_editable(report)
        if not permissions.can_edit_report(by, report):
            raise DomainError(_("Only a co-chair or the secretariat may write the narrative."))
        current = selectors.current_texts(report)
        changed = []
        for part, text in texts.items():
            text = (text or "").strip()
            if len(text) > NARRATIVE_MAX_LENGTH:
                raise DomainError(
                    _("Each part of the narrative is at most %(limit)s characters.")
                    % {"limit": NARRATIVE_MAX_LENGTH}
                )
            if text != current.get((part, language), ""):
                NarrativeRevision.objects.create(
                    report=report, part=part, language=language, text=text, created_by=by
                )
                changed.append(part)
        if changed:
            audit.record(
                "reports.narrative.saved", actor=by, obj=report, language=language, parts=changed
            )
    return changed


def report_finalize(*, report, by):
    """Make a draft final: its sections are frozen as they stand and it becomes read-only."""
    if not permissions.can_finalize_reports(by):
        raise DomainError(_("Only a co-chair may make a report final."))
    with transaction.atomic():
        report = _locked(report)
        if not report.is_draft:
            raise DomainError(_("This report is final already."))
        if not any(text for _part, _label, text in selectors.narrative_of(report, "en")):
            raise DomainError(_("Write at least the executive summary before making it final."))
        report.snapshot = selectors.snapshot_of(report)
        report.status = Report.Status.FINAL
        report.finalized_at = timezone.now()
        report.finalized_by = by
        report.save(update_fields=["snapshot", "status", "finalized_at", "finalized_by"])
        audit.record("reports.report.finalized", actor=by, obj=report)
    return report


def report_submit(*, report, submitted_on, submitted_to, by):
    """Record that a final report went to its addressees (the RC, the UNCT, the Government)."""
    if not permissions.can_finalize_reports(by):
        raise DomainError(_("Only a co-chair may record the submission of a report."))
    submitted_to = (submitted_to or "").strip()
    if not submitted_to:
        raise DomainError(_("Say to whom the report was submitted."))
    with transaction.atomic():
        report = _locked(report)
        if report.status == Report.Status.DRAFT:
            raise DomainError(_("Make the report final before recording its submission."))
        if report.status == Report.Status.SUBMITTED:
            raise DomainError(_("The submission of this report is recorded already."))
        if submitted_on > timezone.localdate():
            raise DomainError(_("The date of submission cannot be in the future."))
        if submitted_on < timezone.localdate(report.finalized_at):
            raise DomainError(_("A report is submitted on or after the day it became final."))
        report.status = Report.Status.SUBMITTED
        report.submitted_on = submitted_on
        report.submitted_to = submitted_to[:300]
        report.submitted_by = by
        report.save(update_fields=["status", "submitted_on", "submitted_to", "submitted_by"])
        audit.record(
            "reports.report.submitted",
            actor=by,
            obj=report,
            submitted_on=submitted_on.isoformat(),
            submitted_to=report.submitted_to,
        )
    return report


def report_share_with_guest(*, report, person, by):
    """Share a final Government update with a guest of a government ministry or agency."""
    if not permissions.can_manage_reports(by):
        raise DomainError(_("Only a co-chair or the secretariat may share reports."))
    if report.kind != Report.Kind.GOVERNMENT:
        raise DomainError(_("Only updates to the Government are shared with government guests."))
    if not report.is_read_only:
        raise DomainError(_("Make the update final before sharing it."))
    if not permissions.may_share_with(person):
        raise DomainError(_("Updates are shared only with guests of a government body."))
    with transaction.atomic():
        share, created = ReportShare.objects.get_or_create(
            report=report, person=person, defaults={"shared_by": by}
        )
        if created:
            audit.record(
                "reports.report.shared", actor=by, obj=report, person=person.email, shared=True
            )
    return share


def report_unshare(*, report, person, by):
    """Stop sharing a Government update with a guest."""
    if not permissions.can_manage_reports(by):
        raise DomainError(_("Only a co-chair or the secretariat may share reports."))
    with transaction.atomic():
        deleted, _rows = ReportShare.objects.filter(report=report, person=person).delete()
        if deleted:
            audit.record(
                "reports.report.unshared", actor=by, obj=report, person=person.email, shared=False
            )
    return bool(deleted)


def version_record(*, report, language, pdf_bytes, request_key, by, pdf_file=None, xlsx_file=None):
    """Keep one generated edition as the next numbered version (once per generation request).

    A request that runs twice (a retried job) finds the version it made the first time.
    """
    existing = ReportVersion.objects.filter(request_key=request_key).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        report = _locked(report)
        existing = ReportVersion.objects.filter(request_key=request_key).first()
        if existing is not None:
            return existing
        number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = ReportVersion.objects.create(
            report=report,
            number=number,
            language=language,
            is_final=report.is_read_only,
            checksum=hashlib.sha256(pdf_bytes).hexdigest(),
            generated_by=by,
            request_key=request_key,
            pdf_file=pdf_file,
            xlsx_file=xlsx_file,
        )
        audit.record(
            "reports.version.generated",
            actor=by,
            obj=report,
            version=number,
            language=language,
            final=version.is_final,
            checksum=version.checksum,
        )
    return version
