"""Reports change only through their services: authorized, validated, audited, final is final."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from core.registry import Period
from reports import permissions, selectors, services
from reports.models import NarrativeRevision, Report, ReportVersion
from tests.factories import UserFactory, focal_point

from .conftest import PERIOD, _decision


def _write(report, by, **texts):
    return services.narrative_save(
        report=report, language="en", texts=texts or {"summary": "Summary."}, by=by
    )


def test_a_co_chair_starts_a_report_with_the_usual_title(period_data):
    report = services.report_create(kind="biannual", period=PERIOD, by=period_data.chair)

    assert report.title == "Bi-annual progress report, January\N{EN DASH}June 2025"
    assert report.status == "draft"
    assert AuditEntry.objects.filter(action="reports.report.created").count() == 1


def test_the_secretariat_may_start_a_report(period_data):
    report = services.report_create(kind="government", period=PERIOD, by=period_data.secretariat)

    assert report.audience == "government"


@pytest.mark.parametrize("who", ["staff", "focal"])
def test_others_may_not_start_a_report(period_data, who):
    person = period_data.staff if who == "staff" else focal_point()

    with pytest.raises(DomainError, match="co-chair or the secretariat"):
        services.report_create(kind="biannual", period=PERIOD, by=person)
    assert not Report.objects.exists()


def test_one_report_per_kind_and_period(report, period_data):
    with pytest.raises(DomainError, match="already a report"):
        services.report_create(kind="biannual", period=PERIOD, by=period_data.chair)


def test_a_biannual_report_covers_a_half_year(period_data):
    with pytest.raises(DomainError, match="January to June or July to December"):
        services.report_create(
            kind="biannual",
            period=Period(date(2025, 3, 1), date(2025, 8, 31)),
            by=period_data.chair,
        )


def test_each_save_of_the_narrative_is_kept_as_a_revision(report, period_data):
    _write(report, period_data.chair, summary="First draft.")
    _write(report, period_data.secretariat, summary="Second draft.", highlights="A highlight.")
    unchanged = _write(report, period_data.chair, summary="Second draft.")

    assert unchanged == []
    assert [r.text for r in NarrativeRevision.objects.filter(part="summary").order_by("pk")] == [
        "First draft.",
        "Second draft.",
    ]
    narrative = {part: text for part, _label, text in selectors.narrative_of(report, "en")}
    assert narrative["summary"] == "Second draft."
    assert narrative["highlights"] == "A highlight."
    history = list(selectors.narrative_history(report))
    assert history[0].created_by == period_data.secretariat


def test_the_arabic_narrative_is_separate_and_falls_back_to_english(report, period_data):
    _write(report, period_data.chair, summary="English summary.", highlights="English only.")
    services.narrative_save(
        report=report, language="ar", texts={"summary": "ملخص"}, by=period_data.chair
    )

    arabic = {part: text for part, _label, text in selectors.narrative_of(report, "ar")}
    assert arabic["summary"] == "ملخص"
    assert arabic["highlights"] == "English only."


def test_agency_staff_may_not_write_the_narrative(report, period_data):
    with pytest.raises(DomainError):
        _write(report, period_data.staff)
    assert not NarrativeRevision.objects.exists()


def test_only_a_co_chair_makes_a_report_final(report, period_data):
    _write(report, period_data.chair)

    with pytest.raises(DomainError, match="co-chair"):
        services.report_finalize(report=report, by=period_data.secretariat)

    services.report_finalize(report=report, by=period_data.chair)
    report.refresh_from_db()
    assert report.status == "final"
    assert report.finalized_by == period_data.chair


def test_a_report_without_a_summary_cannot_be_made_final(report, period_data):
    with pytest.raises(DomainError, match="executive summary"):
        services.report_finalize(report=report, by=period_data.chair)


def test_a_final_report_is_immutable(report, period_data):
    _write(report, period_data.chair)
    services.report_finalize(report=report, by=period_data.chair)
    report.refresh_from_db()
    before = [s.tables[0].rows for s in selectors.compile_sections(report, "en")]

    # Its narrative can no longer be changed, nor can it be made final twice.
    with pytest.raises(DomainError, match="can no longer be changed"):
        _write(report, period_data.chair, summary="Changed afterwards.")
    with pytest.raises(DomainError, match="final already"):
        services.report_finalize(report=report, by=period_data.chair)
    # Records changed later do not change what the final report says.
    _decision("UNNM-BH/2025/009", "Late entry", "adopted", date(2025, 6, 20))
    after = [s.tables[0].rows for s in selectors.compile_sections(report, "en")]
    assert after == before
    assert not permissions.can_edit_report(period_data.chair, report)
    live = {s.key: s for s in selectors.report_sections_for(report.period, "network", "en")}
    assert len(live["decisions"].tables[0].rows) == 4


def test_submission_is_recorded_once_for_a_final_report(report, period_data):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="final before"):
        services.report_submit(
            report=report, submitted_on=today, submitted_to="RC", by=period_data.chair
        )
    _write(report, period_data.chair)
    services.report_finalize(report=report, by=period_data.chair)

    with pytest.raises(DomainError, match="future"):
        services.report_submit(
            report=report,
            submitted_on=today + timedelta(days=1),
            submitted_to="RC",
            by=period_data.chair,
        )
    with pytest.raises(DomainError, match="co-chair"):
        services.report_submit(
            report=report, submitted_on=today, submitted_to="RC", by=period_data.secretariat
        )
    services.report_submit(
        report=report,
        submitted_on=today,
        submitted_to="The Resident Coordinator and the UNCT Heads of Agencies",
        by=period_data.chair,
    )
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.is_read_only
    with pytest.raises(DomainError, match="recorded already"):
        services.report_submit(
            report=report, submitted_on=today, submitted_to="RC", by=period_data.chair
        )


def _government_update(period_data, final=True):
    update = services.report_create(kind="government", period=PERIOD, by=period_data.chair)
    if final:
        _write(update, period_data.chair)
        services.report_finalize(report=update, by=period_data.chair)
        update.refresh_from_db()
    return update


def _government_guest(period_data):
    from tests.factories import OrganisationFactory

    ministry = OrganisationFactory(acronym="MOLX", kind="government")
    return UserFactory(roles=["guest"], organisation=ministry)


def test_a_final_government_update_is_shared_with_a_government_guest(period_data):
    update = _government_update(period_data)
    guest = _government_guest(period_data)
    assert not Report.objects.visible_to(guest).exists()

    services.report_share_with_guest(report=update, person=guest, by=period_data.secretariat)

    assert list(Report.objects.visible_to(guest)) == [update]
    assert permissions.can_open_reports(guest)
    services.report_unshare(report=update, person=guest, by=period_data.secretariat)
    assert not Report.objects.visible_to(guest).exists()


def test_only_final_government_updates_go_to_government_guests(report, period_data):
    guest = _government_guest(period_data)
    ngo_guest = UserFactory(roles=["guest"])
    draft = _government_update(period_data, final=False)
    _write(report, period_data.chair)
    services.report_finalize(report=report, by=period_data.chair)

    with pytest.raises(DomainError, match="final before sharing"):
        services.report_share_with_guest(report=draft, person=guest, by=period_data.chair)
    with pytest.raises(DomainError, match="Only updates to the Government"):
        services.report_share_with_guest(report=report, person=guest, by=period_data.chair)
    final = _government_update_final(draft, period_data)
    with pytest.raises(DomainError, match="government body"):
        services.report_share_with_guest(report=final, person=ngo_guest, by=period_data.chair)
    with pytest.raises(DomainError):
        services.report_share_with_guest(report=final, person=guest, by=period_data.staff)


def _government_update_final(update, period_data):
    _write(update, period_data.chair)
    return services.report_finalize(report=update, by=period_data.chair)


def test_one_generation_request_makes_one_version_and_corrections_make_new_ones(
    report, period_data
):
    first = services.version_record(
        report=report, language="en", pdf_bytes=b"%PDF-1", request_key="job:a", by=period_data.chair
    )
    again = services.version_record(
        report=report, language="en", pdf_bytes=b"%PDF-1", request_key="job:a", by=period_data.chair
    )
    correction = services.version_record(
        report=report, language="en", pdf_bytes=b"%PDF-2", request_key="job:b", by=period_data.chair
    )

    assert again == first
    assert [first.number, correction.number] == [1, 2]
    assert ReportVersion.objects.count() == 2
    assert len(first.checksum) == 64 and first.checksum != correction.checksum
    assert not first.is_final
    assert selectors.final_version(report) is None


def test_the_final_edition_is_the_one_readers_download(report, period_data):
    from core.files import stored_file_save

    draft_file, final_file = (
        stored_file_save(
            content=content,
            name="report.pdf",
            content_type="application/pdf",
            kind="reports.report",
            owner=report,
        )
        for content in (b"%PDF-draft", b"%PDF-final")
    )
    services.version_record(
        report=report,
        language="en",
        pdf_bytes=b"draft",
        request_key="job:draft",
        by=period_data.chair,
        pdf_file=draft_file,
    )
    _write(report, period_data.chair)
    services.report_finalize(report=report, by=period_data.chair)
    final = services.version_record(
        report=report,
        language="en",
        pdf_bytes=b"final",
        request_key="job:final",
        by=period_data.chair,
        pdf_file=final_file,
    )

    assert final.is_final and selectors.final_version(report) == final
    staff, outsider = period_data.staff, UserFactory()
    assert permissions.may_download_version_file(staff, final_file.uuid)
    assert not permissions.may_download_version_file(staff, draft_file.uuid)
    assert permissions.may_download_version_file(period_data.chair, draft_file.uuid)
    assert not permissions.may_download_version_file(outsider, final_file.uuid)
