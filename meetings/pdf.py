"""PDFs of the agenda and the minutes, rendered with WeasyPrint from the print templates."""

from django.template.loader import render_to_string
from weasyprint import HTML

from core.models import Network

from . import selectors


def _render(template, context):
    html = render_to_string(template, {"network": Network.objects.get_current(), **context})
    # No base URL: the templates carry their styles, and nothing is fetched from the network.
    return HTML(string=html).write_pdf()


def agenda_pdf(meeting, items=None):
    if items is None:
        items = list(selectors.agenda(meeting).filter(status="accepted"))
    return _render("meetings/print/agenda_pdf.html", {"meeting": meeting, "items": items})


def minutes_pdf(minutes):
    return _render(
        "meetings/print/minutes_pdf.html",
        {"minutes": minutes, "meeting": minutes.meeting},
    )
