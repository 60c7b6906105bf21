"""The workplan as an Excel workbook (openpyxl) and as a PDF for the UNCT (core.pdf)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.pdf import render_pdf

from . import selectors

MONEY_FORMAT = "#,##0.00"


def _names(items):
    return "; ".join(str(item) for item in items)


def deliverable_columns():
    """(header, width, value function) of each column of the deliverables sheet."""
    return [
        (_("Code"), 10, lambda d: d.code),
        (_("Title"), 40, lambda d: d.title),
        (_("Description"), 50, lambda d: d.description),
        (_("Status"), 14, lambda d: str(d.get_status_display())),
        (_("Lead agency"), 14, lambda d: d.lead_agency.acronym),
        (
            _("Supporting agencies"),
            24,
            lambda d: ", ".join(o.acronym for o in d.supporting_agencies.all()),
        ),
        (_("ToR objectives"), 30, lambda d: _names(d.tor_objectives.all())),
        (_("GCM objectives"), 30, lambda d: _names(d.gcm_objectives.all())),
        (_("SDG targets"), 16, lambda d: ", ".join(t.target for t in d.sdg_targets.all())),
        (_("Thematic area"), 30, lambda d: d.thematic_area.label),
        (_("Start quarter"), 8, lambda d: str(d.get_start_quarter_display())),
        (_("End quarter"), 8, lambda d: str(d.get_end_quarter_display())),
        (_("Budget required (USD)"), 16, lambda d: d.budget_required),
        (_("Confirmed funds (USD)"), 16, lambda d: d.confirmed_total),
        (_("Pledged funds (USD)"), 16, lambda d: d.pledged_total),
        (_("Funding gap (USD)"), 16, lambda d: d.funding_gap),
        (_("Last progress update"), 14, lambda d: d.last_update_on),
    ]


MONEY_COLUMNS = {13, 14, 15, 16}


def _write(sheet, value, **style):
    """A cell for a write-only sheet; text that starts with "=" stays text (openpyxl would store
    a formula).

    Titles, sources and notes are typed by people: "=HYPERLINK(...)" must not become a live
    formula in the workbook the network shares with the UNCT (spreadsheet formula injection).
    """
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _header(sheet, headers, freeze):
    """Column widths, frozen panes and the header row: written before any other row."""
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="003F6E")
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, (_title, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = freeze
    sheet.append(
        [_write(sheet, str(title), font=bold, fill=fill, alignment=wrap) for title, _w in headers]
    )


def workplan_xlsx(workplan):
    """The year's deliverables, one row each with all their links, and their funding lines.

    Write-only: rows are streamed to the file as they come (in chunks from the database), so a
    year of thousands of deliverables is never held as a whole workbook in memory.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Deliverables")[:31])
    columns = deliverable_columns()
    _header(sheet, [(title, width) for title, width, _value in columns], freeze="C2")
    wrap = Alignment(wrap_text=True, vertical="top")
    rows = 1
    for deliverable in selectors.deliverables_of(workplan).iterator(chunk_size=500):
        cells = []
        for column, (_title, _width, value) in enumerate(columns, start=1):
            if column in MONEY_COLUMNS:
                style = {"number_format": MONEY_FORMAT}
            elif column == len(columns):
                style = {"number_format": "yyyy-mm-dd"}
            else:
                style = {"alignment": wrap}
            cells.append(_write(sheet, value(deliverable), **style))
        sheet.append(cells)
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows}"

    funding = workbook.create_sheet(_("Funding")[:31])
    _header(
        funding,
        [
            (_("Code"), 10),
            (_("Deliverable"), 40),
            (_("Kind of source"), 22),
            (_("Source"), 24),
            (_("Amount (USD)"), 16),
            (_("Status"), 12),
            (_("Note"), 40),
        ],
        freeze="C2",
    )
    for line in selectors.fundings_of(workplan).iterator(chunk_size=500):
        funding.append(
            [
                _write(
                    funding,
                    line.deliverable.code if line.deliverable.workplan_id == workplan.pk else "",
                ),
                _write(funding, line.deliverable.title),
                _write(funding, str(line.get_source_kind_display())),
                _write(funding, line.source),
                _write(funding, line.amount, number_format=MONEY_FORMAT),
                _write(funding, str(line.get_status_display())),
                _write(funding, line.note),
            ]
        )

    about = workbook.create_sheet(_("About")[:31])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 70
    about.append([str(workplan)])
    about.append([_("Status"), str(workplan.get_status_display())])
    about.append([_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.append(
        [_("Funding gap"), _("Budget required minus confirmed funds; pledges do not count.")]
    )

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workplan_pdf(workplan, *, request=None, language=None):
    """The workplan as a PDF for the UNCT, in `language` (default: the reader's language)."""
    if language is None and request is not None:
        language = getattr(request, "LANGUAGE_CODE", None)
    return render_pdf(
        "workplan/workplan_pdf.html",
        {
            "workplan": workplan,
            "deliverables": list(selectors.deliverables_of(workplan)),
            "summary": selectors.summary(workplan),
            "generated_on": timezone.localdate(),
        },
        language=language,
        title=str(workplan),
    )
