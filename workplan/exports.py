"""The workplan as an Excel workbook (openpyxl) and as a PDF for the UNCT (core.pdf)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
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


def _write(sheet, row, column, value):
    """Write a cell; text that starts with "=" stays text (openpyxl would store a formula).

    Titles, sources and notes are typed by people: "=HYPERLINK(...)" must not become a live
    formula in the workbook the network shares with the UNCT (spreadsheet formula injection).
    """
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _header(sheet, headers):
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="003F6E")
    for column, (title, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=str(title))
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "C2"


def workplan_xlsx(workplan):
    """The year's deliverables, one row each with all their links, and their funding lines."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Deliverables")[:31]
    columns = deliverable_columns()
    _header(sheet, [(title, width) for title, width, _value in columns])
    for row, deliverable in enumerate(selectors.deliverables_of(workplan), start=2):
        for column, (_title, _width, value) in enumerate(columns, start=1):
            cell = _write(sheet, row, column, value(deliverable))
            if column in MONEY_COLUMNS:
                cell.number_format = MONEY_FORMAT
            elif column == len(columns):
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.auto_filter.ref = sheet.dimensions

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
    )
    for row, line in enumerate(selectors.fundings_of(workplan), start=2):
        values = [
            line.deliverable.code if line.deliverable.workplan_id == workplan.pk else "",
            line.deliverable.title,
            str(line.get_source_kind_display()),
            line.source,
            line.amount,
            str(line.get_status_display()),
            line.note,
        ]
        for column, value in enumerate(values, start=1):
            cell = _write(funding, row, column, value)
            if column == 5:
                cell.number_format = MONEY_FORMAT

    about = workbook.create_sheet(_("About")[:31])
    about.append([str(workplan)])
    about.append([_("Status"), str(workplan.get_status_display())])
    about.append([_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.append(
        [_("Funding gap"), _("Budget required minus confirmed funds; pledges do not count.")]
    )
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 70

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
