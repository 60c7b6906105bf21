"""The report as a PDF (parsed with pypdf) and its Excel annex (read with openpyxl)."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import generation, services

from .conftest import PERIOD


def _text(pdf):
    reader = PdfReader(BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


@pytest.fixture
def written(report, period_data):
    services.narrative_save(
        report=report,
        language="en",
        texts={
            "summary": "The Network met twice and adopted its workplan.",
            "challenges": "Funding for research remains short.",
        },
        by=period_data.chair,
    )
    services.narrative_save(
        report=report,
        language="ar",
        texts={"summary": "عقدت الشبكة اجتماعين واعتمدت خطة عملها."},
        by=period_data.chair,
    )
    return report


def test_the_pdf_has_a_cover_contents_sections_and_page_numbers(written):
    pdf, _xlsx = generation.build_report_document(written, "en")

    reader, pages = _text(pdf)
    assert len(reader.pages) > 1
    cover = pages[0]
    assert "Bi-annual progress report" in cover
    assert "January\N{EN DASH}June 2025" in cover
    assert "DRAFT" in cover
    everything = "\n".join(pages)
    for heading in ("Contents", "Executive summary", "Meetings", "Decisions", "Workplan progress"):
        assert heading in everything
    assert "Labour inspectors trained on forced labour indicators" in everything
    assert "UNNM-BH/2025/002" in everything
    assert "The Network met twice and adopted its workplan." in everything
    # The running header names the network; page numbers in the footer; the contents point at
    # real pages.
    assert "UN Network on Migration".upper() in pages[2].upper()
    assert re.search(rf"Page 2 of {len(reader.pages)}", everything)
    contents = next(page for page in pages if "Contents" in page)
    assert re.search(r"Decisions\s*\.*\s*\d+", contents)


def test_a_final_report_carries_no_draft_watermark(written, period_data):
    services.report_finalize(report=written, by=period_data.chair)
    written.refresh_from_db()

    pdf, _xlsx = generation.build_report_document(written, "en")

    _reader, pages = _text(pdf)
    assert "DRAFT" not in "\n".join(pages)


def test_large_tables_go_to_the_excel_annex(written, period_data, monkeypatch):
    monkeypatch.setattr(generation, "PDF_TABLE_ROWS", 1)

    pdf, xlsx = generation.build_report_document(written, "en")

    _reader, pages = _text(pdf)
    assert "the full table is in the Excel annex" in " ".join("\n".join(pages).split())
    workbook = load_workbook(BytesIO(xlsx))
    assert workbook.sheetnames[0] == "Summary"
    deliverables = workbook["Deliverables"]
    titles = [row[1] for row in deliverables.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == 3
    assert "Mapping of services for migrant workers" in titles


def test_the_arabic_edition_is_right_to_left_and_its_text_extracts_in_logical_order(written):
    html = generation.render_report_html(
        written, "ar", generation.selectors.compile_sections(written, "ar")
    )
    assert 'dir="rtl"' in html

    pdf, xlsx = generation.build_report_document(written, "ar")

    _reader, pages = _text(pdf)
    everything = "\n".join(pages)
    # pypdf returns the words in logical (reading) order, not reversed visual order. (A full
    # stop ending a right-to-left line is extracted before it: neutral punctuation, so the
    # sentence is checked without it.)
    assert "عقدت الشبكة اجتماعين واعتمدت خطة عملها" in everything
    # The English title is not on the Arabic cover (the kind's label is, once translated).
    assert "Bi-annual progress report, " not in pages[0]
    assert "UNNM-BH/2025/001" in everything
    assert load_workbook(BytesIO(xlsx)).active.sheet_view.rightToLeft


def test_the_government_update_leaves_out_internal_sections(period_data):
    update = services.report_create(kind="government", period=PERIOD, by=period_data.chair)

    pdf, _xlsx = generation.build_report_document(update, "en")

    _reader, pages = _text(pdf)
    everything = "\n".join(pages)
    assert "Update to the Government" in pages[0]
    assert "Workplan progress" in everything
    assert "UNNM-BH/2025/001" not in everything
    assert "Action points" not in everything
    assert "Nadia Focal" not in everything


def _flat(pages):
    return " ".join("\n".join(pages).split())


@pytest.mark.parametrize("final", [False, True], ids=["draft", "final"])
def test_the_pdf_draws_the_sections_charts_in_english_and_in_arabic(written, period_data, final):
    if final:  # the sections are frozen in the snapshot: the charts must survive it
        services.report_finalize(report=written, by=period_data.chair)
        written.refresh_from_db()
        assert written.snapshot["en"]

    english = _flat(_text(generation.build_report_document(written, "en")[0])[1])
    arabic = _flat(_text(generation.build_report_document(written, "ar")[0])[1])

    # The funding chart has no table of its own: its title is the chart's (caption, with unit).
    assert "Funding by ToR objective (USD)" in english
    assert "Attendance by agency" in english
    # Progress by objective is a table caption and a chart title: twice.
    assert english.count("Progress by ToR objective") == 2
    assert "التمويل حسب هدف الاختصاصات" in arabic
    assert arabic.count("التقدم حسب هدف الاختصاصات") == 2


def test_an_arabic_report_pdf_is_right_to_left_in_logical_order(written):
    from tests.pdf_checks import assert_arabic_pdf

    pdf = generation.build_report_document(written, "ar")[0]

    # The cover's title is centred: the line under it ("Not for circulation.") starts on the right.
    assert_arabic_pdf(
        pdf,
        heading="ليس للتعميم",
        phrases=["التقرير المرحلي نصف السنوي", "عقدت الشبكة اجتماعين واعتمدت خطة عملها"],
    )


def test_a_default_title_reads_in_the_readers_language_and_a_written_one_as_written(report):
    from django.utils import translation

    with translation.override("en"):
        english = report.display_title
    with translation.override("ar"):
        arabic = report.display_title
    assert english.startswith("Bi-annual progress report, ")
    assert arabic.startswith("التقرير المرحلي نصف السنوي")
    assert arabic != english

    report.title = "Our own title"
    with translation.override("ar"):
        assert report.display_title == "Our own title"
