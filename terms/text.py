"""The Terms of Reference as HTML: headings, paragraphs and numbered lists from plain text.

The text is kept as plain text, so versions compare word by word. Its only conventions are those
of the signed document: "# ", "## " and "### " start a heading, a blank line ends a paragraph,
and lines starting "1. " are the items of a numbered list. That is all the ToR needs, so no
Markdown library (and no HTML sanitiser) is involved: every piece of text is escaped.
"""

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
ITEM = re.compile(r"^(\d+)\.\s+(.*)$")


def blocks(text):
    """The text as ("heading", level, text), ("paragraph", text) and ("list", [(n, text)])."""
    result = []
    paragraph = []
    items = []

    def flush():
        if paragraph:
            result.append(("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if items:
            result.append(("list", list(items)))
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = HEADING.match(line)
        if heading:
            flush()
            result.append(("heading", len(heading.group(1)), heading.group(2)))
            continue
        item = ITEM.match(line)
        if item:
            if paragraph:
                flush()
            items.append((item.group(1), item.group(2)))
            continue
        if items:
            # A line without a number continues the item above it.
            number, previous = items[-1]
            items[-1] = (number, f"{previous} {line}")
            continue
        paragraph.append(line)
    flush()
    return result


def render_terms(text, *, top_level=2):
    """HTML of the text; a "# " heading becomes h`top_level` (the page has its own h1)."""
    html = []
    for block in blocks(text):
        if block[0] == "heading":
            level = min(top_level + block[1] - 1, 6)
            html.append(format_html("<h{0}>{1}</h{0}>", level, block[2]))
        elif block[0] == "paragraph":
            html.append(format_html("<p>{}</p>", block[1]))
        else:
            start = block[1][0][0]
            html.append(
                format_html(
                    '<ol start="{}">{}</ol>',
                    start,
                    format_html_join(
                        "", '<li value="{}">{}</li>', ((n, body) for n, body in block[1])
                    ),
                )
            )
    return mark_safe("".join(html))  # noqa: S308 (every block is built by format_html)
