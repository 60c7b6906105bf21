"""Read models of the report pages: the compiled sections, the narrative, the archive."""

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery

from core import charts
from core.registry import Section, Table, report_sections_for

from .models import NarrativePart, NarrativeRevision, Report, ReportShare, ReportVersion

ARCHIVE_PAGE_SIZE = 20


def compile_sections(report, language):
    """The report's sections in `language`: frozen for a final report, compiled live for a draft.

    Only the registered sections are read (core.registry.report_sections): the reports app never
    queries another app's tables. A section whose app is absent or that has nothing is left out.
    """
    if report.snapshot and language in report.snapshot:
        return [section_from_dict(data) for data in report.snapshot[language]]
    return report_sections_for(report.period, report.audience, language)


def section_to_dict(section):
    """A section as JSON: the figures and tables, every cell as text, and the charts' data.

    Each chart is kept as the data it was built from (core.charts.to_data), not rebuilt from the
    frozen tables: the tables hold formatted text ("USD 40,000") and not always the chart's
    figures (the funding chart has no table of its own), so parsing them back would be guesswork.
    The drawing itself is not stored; it is laid out again when the report is rendered.
    """
    return {
        "key": section.key,
        "title": str(section.title),
        "summary": str(section.summary),
        "figures": [[str(label), _text(value)] for label, value in section.figures],
        "tables": [
            {
                "columns": [str(column) for column in table.columns],
                "rows": [[_text(cell) for cell in row] for row in table.rows],
                "caption": str(table.caption),
            }
            for table in section.tables
        ],
        "charts": [charts.to_data(chart) for chart in section.charts],
        "order": section.order,
    }


def section_from_dict(data):
    return Section(
        key=data["key"],
        title=data["title"],
        summary=data.get("summary", ""),
        figures=[tuple(pair) for pair in data.get("figures", [])],
        tables=[Table(**table) for table in data.get("tables", [])],
        charts=[charts.from_data(chart) for chart in data.get("charts", [])],
        order=data.get("order", 100),
    )


def _text(value):
    return "" if value is None else str(value)


def snapshot_of(report):
    """Every language's compiled sections, as stored when a report becomes final."""
    return {
        code: [
            section_to_dict(section)
            for section in report_sections_for(report.period, report.audience, code)
        ]
        for code, _name in settings.LANGUAGES
    }


def narrative_of(report, language, *, fallback=True):
    """The current text of each narrative part, in order: [(part, label, text)].

    An Arabic edition whose narrative is not translated yet shows the English text.
    """
    texts = current_texts(report)
    parts = []
    for part in NarrativePart:
        text = texts.get((part.value, language), "")
        if not text and fallback and language != settings.LANGUAGE_CODE:
            text = texts.get((part.value, settings.LANGUAGE_CODE), "")
        parts.append((part.value, part.label, text))
    return parts


def current_texts(report):
    """{(part, language): text} of the latest revision of each part and language (one query)."""
    latest = (
        NarrativeRevision.objects.filter(report=report)
        .values("part", "language")
        .annotate(last=Max("pk"))
        .values("last")
    )
    return {
        (row.part, row.language): row.text
        for row in NarrativeRevision.objects.filter(pk__in=Subquery(latest)).only(
            "part", "language", "text"
        )
    }


def narrative_history(report):
    return report.revisions.select_related("created_by").order_by("-created_at", "-pk")


def archive(user, *, kind="", year=None, q=""):
    """The reports this person may open, newest period first."""
    reports = Report.objects.visible_to(user).search(q)
    if kind:
        reports = reports.filter(kind=kind)
    if year:
        reports = reports.filter(period_start__year__lte=year, period_end__year__gte=year)
    latest_final = ReportVersion.objects.filter(report=OuterRef("pk"), is_final=True).order_by(
        "-number"
    )
    return reports.annotate(
        final_version=Subquery(latest_final.values("number")[:1]),
        final_pdf=Subquery(latest_final.values("pdf_file__uuid")[:1]),
    ).order_by("-period_end", "kind", "-pk")


def archive_years():
    return sorted(
        {d.year for d in Report.objects.dates("period_start", "year")}
        | {d.year for d in Report.objects.dates("period_end", "year")},
        reverse=True,
    )


def versions_for(user, report):
    """The versions this person may see: readers of the archive only the final editions."""
    from .permissions import can_finalize_reports, can_manage_reports

    versions = report.versions.select_related("generated_by", "pdf_file", "xlsx_file").order_by(
        "-number"
    )
    if not (can_manage_reports(user) or can_finalize_reports(user)):
        versions = versions.filter(is_final=True)
    return versions


def final_version(report, language=None):
    """The edition the archive hands out: the latest version generated from the final text."""
    versions = report.versions.filter(is_final=True)
    if language:
        versions = versions.filter(language=language)
    return versions.order_by("-number").first()


def shares_of(report):
    return ReportShare.objects.filter(report=report).select_related(
        "person", "person__organisation"
    )


def latest_final_reports(user, limit=5):
    return list(Report.objects.visible_to(user).released().order_by("-period_end", "-pk")[:limit])
