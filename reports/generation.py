"""The report as a document: the PDF (WeasyPrint) and its Excel annex (openpyxl)."""

from io import BytesIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Network
from core.pdf import render_html, render_pdf

from . import selectors

# A table longer than this shows its first rows in the PDF; all of it is in the Excel annex,
# so a busy year's deliverables do not fill dozens of pages.
PDF_TABLE_ROWS = 25


def build_report_document(report, language):
    """The PDF and the Excel annex of a report in one language: (pdf_bytes, xlsx_bytes)."""
    sections = selectors.compile_sections(report, language)
    with translation.override(language):
        context = print_context(report, language, sections)
        pdf = render_pdf(
            "reports/print/report.html",
            context,
            language=language,
            title=context["title"],
            draft=report.is_draft,
        )
        xlsx = build_annex(report, language, sections)
    return pdf, xlsx


def print_context(report, language, sections):
    annexed = []
    for section in sections:
        section.print_tables = []
        for table in section.tables:
            rows = list(table.rows)
            shown = rows[:PDF_TABLE_ROWS]
            section.print_tables.append(
                {
                    "table": table,
                    "rows": shown,
                    "more": len(rows) - len(shown),
                    "total": len(rows),
                }
            )
            if len(rows) > len(shown):
                annexed.append(table)
    return {
        "network": Network.objects.get_current(),
        "report": report,
        # The portal's default title is worded in the edition's language; a title a person wrote
        # is in the portal's language, so another edition uses its kind.
        "title": report.display_title
        if report.is_default_title or language == settings.LANGUAGE_CODE
        else str(report.get_kind_display()),
        "language": language,
        "rtl": translation.get_language_bidi(),
        "draft": report.is_draft,
        "narrative": [part for part in selectors.narrative_of(report, language) if part[2].strip()],
        "sections": sections,
        "annexed": annexed,
        "generated_on": timezone.localdate(),
    }


def render_report_html(report, language, sections):
    """The HTML the PDF is printed from (the preview and tests read it)."""
    context = print_context(report, language, sections)
    return render_html(
        "reports/print/report.html",
        context,
        language=language,
        title=context["title"],
        draft=report.is_draft,
    )


def _sheet_title(title, used):
    # Excel: at most 31 characters, none of []:*?/\ , unique in the workbook.
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in str(title)).strip()[:28]
    cleaned = cleaned or _("Table")
    name, counter = cleaned, 2
    while name.lower() in used:
        name = f"{cleaned[:27]} {counter}"
        counter += 1
    used.add(name.lower())
    return name


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def build_annex(report, language, sections):
    """Every table of the report in full, one sheet each, after a sheet of the key figures."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rtl = translation.get_language_bidi()
    workbook = Workbook()
    used = set()
    summary = workbook.active
    summary.title = _sheet_title(_("Summary"), used)
    summary.append([report.display_title])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([report.period_label])
    summary.append([])
    for section in sections:
        summary.append([str(section.title)])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        for label, value in section.figures:
            summary.append([_safe(str(label)), _safe(_plain(value))])
    summary.column_dimensions["A"].width = 45
    summary.column_dimensions["B"].width = 18
    summary.sheet_view.rightToLeft = rtl
    for section in sections:
        for table in section.tables:
            sheet = workbook.create_sheet(_sheet_title(table.caption or section.title, used))
            sheet.sheet_view.rightToLeft = rtl
            sheet.append([_safe(str(column)) for column in table.columns])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([_safe(_plain(cell)) for cell in row])
            sheet.freeze_panes = "A2"
            for index in range(len(table.columns)):
                letter = sheet.cell(row=1, column=index + 1).column_letter
                sheet.column_dimensions[letter].width = 40 if index == 1 else 16
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return str(value)
