"""PDFs of the agenda and the minutes, printed through the portal's PDF service (core.pdf)."""

from core.pdf import render_pdf

from . import selectors


def agenda_pdf(meeting, items=None, *, language=None):
    """The agenda's accepted items as a PDF, in `language` (default: the active language)."""
    if items is None:
        items = list(selectors.agenda(meeting).filter(status="accepted"))
    return render_pdf(
        "meetings/print/agenda_pdf.html",
        {"meeting": meeting, "items": items},
        language=language,
    )


def minutes_pdf(minutes, *, language=None):
    """The minutes as a PDF; until they are approved every page is marked DRAFT."""
    return render_pdf(
        "meetings/print/minutes_pdf.html",
        {"minutes": minutes, "meeting": minutes.meeting},
        language=language,
        draft=not minutes.is_approved,
    )
