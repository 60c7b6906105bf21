"""Checks of an Arabic PDF shared by the documents' tests, read with pypdf as readers' tools do."""

import io
import re

from pypdf import PdfReader

ARABIC = re.compile(r"[\u0600-\u06ff]")


def text_runs(page):
    """(text, x) of each text run drawn on a page, x being where the run starts."""
    runs = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            runs.append((text.strip(), cm[4] + tm[4] * cm[0]))

    page.extract_text(visitor_text=visitor)
    return runs


def assert_arabic_pdf(data, *, heading, phrases=()):
    """`data` is a right-to-left Arabic PDF whose text reads in logical order.

    - tagged as Arabic (/Lang), its Arabic glyphs from an Arabic font (Noto Naskh/Sans Arabic);
    - the `heading` and each of `phrases` come out of the text as typed, not reversed glyph by
      glyph (a PDF laid out left to right, or shaped by hand, extracts them backwards);
    - the first page is laid out right to left: its heading starts on the right half of the page,
      where an English one starts on the left.
    Returns the PDF's text.
    """
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for phrase in (heading, *phrases):
        assert phrase in text, (phrase, text[:500])
        if ARABIC.search(phrase) and len(phrase) > 2:
            assert phrase[::-1] not in text
    first = reader.pages[0]
    fonts = [str(font["/BaseFont"]) for font in first["/Resources"]["/Font"].values()]
    assert any("Arabic" in name for name in fonts), fonts
    width = float(first.mediabox.width)
    runs = text_runs(first)
    starts = [x for run, x in runs if heading.split()[0] in run]
    assert starts, runs
    assert starts[0] > width / 2, (heading, starts[0], width)
    return text
