"""The one PDF service: Django templates printed by WeasyPrint, fetching only our static files.

Every PDF the portal makes (agenda, minutes, workplan, reports) goes through `render_pdf`. The
template extends `core/print/base.html`, which links the print stylesheet, sets the language and
direction of the document, and carries the running header, the page numbers and the DRAFT mark.

WeasyPrint fetches every URL a document names (stylesheets, images, fonts, SVG references). A
document can hold text people wrote (minutes, descriptions), so an unchecked fetcher would let
them read local files or make the server call internal hosts (WeasyPrint's SSRF advisories).
`StaticOnlyFetcher` allows the portal's own static files, read from disk by path, and `data:`
images; it refuses everything else.
"""

import base64
import logging
import mimetypes
import posixpath
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import charts
from .models import Network

logger = logging.getLogger(__name__)

#: The origin static URLs are resolved against inside a PDF. `.invalid` is reserved (RFC 2606)
#: and never resolves: nothing under it is fetched over the network, the fetcher maps its paths
#: onto static files on disk.
PRINT_ORIGIN = "https://static.unnm.invalid"

#: `data:` URLs are allowed for these image types only (no HTML, CSS or fonts inline).
DATA_IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/svg+xml", "image/gif", "image/webp"}
)

PRINT_STYLESHEET = "core/print.css"

VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)

#: PDF/UA-1 makes WeasyPrint write a tagged PDF (structure tree, language, title shown).
PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """A URL a PDF named that the fetcher will not fetch; WeasyPrint skips the resource."""


def _static_prefix():
    return "/" + settings.STATIC_URL.strip("/") + "/"


def static_file_path(relative):
    """The file on disk serving static path `relative`, or None if there is none.

    Raises FetchRefused for a path that would leave the static directories.
    """
    if "\\" in relative or "\x00" in relative or ".." in relative.split("/"):
        raise FetchRefused("path traversal")
    normalised = posixpath.normpath(relative)
    if normalised.startswith("/") or normalised in ("", "."):
        raise FetchRefused("path traversal")
    try:
        found = finders.find(normalised)
    except SuspiciousFileOperation:
        return None
    if found:
        return Path(found)
    # Collected (and, in production, hashed) names live only in STATIC_ROOT.
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / normalised).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def _data_url(url):
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise FetchRefused("malformed data: URL")
    parameters = [part.strip() for part in header.split(";")]
    media_type = parameters[0].lower()
    if media_type not in DATA_IMAGE_TYPES:
        raise FetchRefused(f"data: URL of type {media_type or 'text/plain'!r}")
    if "base64" in (part.lower() for part in parameters[1:]):
        body = base64.b64decode(unquote(payload), validate=False)
    else:
        body = unquote_to_bytes(payload)
    return media_type, body


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher allowing only our static files (by path) and `data:` images."""

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url)
        except FetchRefused as refused:
            logger.warning("PDF fetch refused: %s (%s)", _short(url), refused)
            raise

    def _fetch(self, url):
        if url[:5].lower() == "data:":
            media_type, body = _data_url(url)
            return URLFetcherResponse(url, body, {"Content-Type": media_type})
        try:
            parts = urlsplit(url)
        except ValueError as error:
            raise FetchRefused("malformed URL") from error
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin != PRINT_ORIGIN or parts.query:
            raise FetchRefused("not a static file of the portal")
        path = unquote(parts.path)
        if not path.startswith(_static_prefix()):
            raise FetchRefused("outside STATIC_URL")
        found = static_file_path(path[len(_static_prefix()) :])
        if found is None:
            raise FetchRefused("no such static file")
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})


def _short(url):
    return url if len(url) <= 80 else url[:77] + "..."


def _css_string(text):
    """`text` as a CSS string literal, safe inside a <style> element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>\n\r' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'


def page_counter_content():
    """The CSS `content` value writing "Page X of Y" in the active language."""
    # Translators: the page numbers at the foot of every PDF page.
    template = gettext("Page %(page)s of %(pages)s")
    marker = "\x00"
    text = template % {"page": f"{marker}page{marker}", "pages": f"{marker}pages{marker}"}
    parts = []
    for index, piece in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def _first_strong_direction(text):
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


class _AutoDirection(HTMLParser):
    """Finds the elements whose direction comes from their text (see `resolve_auto_direction`)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        # HTMLParser counts lines by "\n" only (not by every separator str.splitlines knows).
        self.line_offsets = [0] + [match.end() for match in re.finditer("\n", html)]
        self.stack = []  # [tag, pending, children_auto]
        self.found = []  # (offset, start tag text, direction)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parent_children_auto = bool(self.stack) and self.stack[-1][2]
        pending = None
        if (
            attrs.get("dir") == "auto"
            or (tag == "bdi" and "dir" not in attrs)
            or (parent_children_auto and "dir" not in attrs)
        ):
            line, column = self.getpos()
            pending = {"offset": self.line_offsets[line - 1] + column, "direction": None}
            pending["text"] = self.get_starttag_text()
        if tag in VOID_ELEMENTS:
            return
        self.stack.append([tag, pending, "data-dir-auto-children" in attrs])

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _tag, pending, _children in self.stack[index:]:
                    self._close(pending)
                del self.stack[index:]
                return

    def handle_data(self, data):
        direction = _first_strong_direction(data)
        if direction:
            for entry in self.stack:
                pending = entry[1]
                if pending and pending["direction"] is None:
                    pending["direction"] = direction

    def _close(self, pending):
        if pending:
            self.found.append((pending["offset"], pending["text"], pending["direction"] or "ltr"))

    def close(self):
        super().close()
        for _tag, pending, _children in self.stack:
            self._close(pending)
        self.stack = []


def resolve_auto_direction(html):
    """`html` with `dir="auto"` and `<bdi>` given the direction of their first strong letter.

    Browsers do this themselves; WeasyPrint lays `dir="auto"` and `<bdi>` out in the direction of
    the paragraph around them, so "1. Joint programming" in an Arabic table would print as
    "Joint programming .1". Children of an element marked `data-dir-auto-children` (a block of
    text people wrote, such as minutes) are resolved one by one, paragraph by paragraph.
    """
    parser = _AutoDirection(html)
    parser.feed(html)
    parser.close()
    pieces, position = [], 0
    for offset, tag_text, direction in sorted(parser.found):
        if html[offset : offset + len(tag_text)] != tag_text:
            continue  # the parser's position was off (malformed markup): leave that tag alone
        cleaned = re.sub(r"\sdir=(\"auto\"|'auto'|auto)(?=[\s/>])", "", tag_text)
        closing = "/>" if cleaned.endswith("/>") else ">"
        pieces += [html[position:offset], f'{cleaned[: -len(closing)]} dir="{direction}"{closing}']
        position = offset + len(tag_text)
    pieces.append(html[position:])
    return "".join(pieces)


def render_html(template_name, context=None, *, language=None, title="", draft=False):
    """The HTML a PDF is printed from, in `language` (default: the active language)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language), charts.printing():
        bidi = translation.get_language_bidi()
        return render_to_string(
            template_name,
            {
                "network": Network.objects.get_current(),
                **(context or {}),
                "pdf": {
                    "title": title,
                    "draft": draft,
                    "language": translation.get_language(),
                    "dir": "rtl" if bidi else "ltr",
                    "start": "right" if bidi else "left",
                    "end": "left" if bidi else "right",
                    "page_counter": page_counter_content(),
                    "stylesheet": PRINT_ORIGIN + static(PRINT_STYLESHEET),
                },
            },
        )


def render_pdf(template_name, context=None, *, language=None, title="", draft=False):
    """A PDF (bytes) of `template_name`, a template extending core/print/base.html."""
    html = render_html(template_name, context, language=language, title=title, draft=draft)
    html = resolve_auto_direction(html)
    document = HTML(string=html, base_url=PRINT_ORIGIN + "/", url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
