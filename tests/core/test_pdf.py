"""The PDF service: only our static files are fetched; documents print in either language."""

import base64
import copy
import io
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from core import pdf as core_pdf
from core.charts import Series, bar_chart, stacked_bar_chart
from core.models import Network

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(__file__).parent / "templates"
SAMPLE = "tests_core/print_sample.html"

# A one-pixel transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(autouse=True)
def _sample_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates


@pytest.fixture
def network():
    network = Network.objects.get_current()
    network.name = "UN Network on Migration in Bahrain"
    network.save()
    return network


def _text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _runs(page):
    """(text, x) of each text run drawn on a page."""
    runs = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            runs.append((text.strip(), cm[4] + tm[4] * cm[0]))

    page.extract_text(visitor_text=visitor)
    return runs


# --- The fetcher -----------------------------------------------------------------------------


@pytest.fixture
def fetcher():
    return core_pdf.StaticOnlyFetcher()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/core/print.css",
        "https://127.0.0.1/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "data:,plain text",
        "data:text/css;base64,Ym9keXt9",
        "ftp://example.org/file",
        f"{core_pdf.PRINT_ORIGIN}/static/../../../../etc/passwd",
        f"{core_pdf.PRINT_ORIGIN}/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{core_pdf.PRINT_ORIGIN}/static/core/..%2f..%2f..%2funnm/settings.py",
        f"{core_pdf.PRINT_ORIGIN}/manage.py",
        f"{core_pdf.PRINT_ORIGIN}/static/core/print.css?x=1",
        f"{core_pdf.PRINT_ORIGIN}/static/core/no-such-file.css",
        "https://static.unnm.invalid.example.org/static/core/print.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(fetcher, url, caplog):
    with (
        caplog.at_level(logging.WARNING, logger="core.pdf"),
        pytest.raises(core_pdf.FetchRefused),
    ):
        fetcher.fetch(url)
    assert "PDF fetch refused" in caplog.text


@pytest.mark.parametrize(
    "path", ["../../../etc/passwd", "core/../../unnm/settings.py", "/etc/passwd", "core\\..\\x"]
)
def test_a_static_path_cannot_leave_the_static_files(path):
    with pytest.raises(core_pdf.FetchRefused, match="path traversal"):
        core_pdf.static_file_path(path)


def test_the_fetcher_reads_a_static_file_from_disk(fetcher):
    response = fetcher.fetch(f"{core_pdf.PRINT_ORIGIN}/static/core/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_the_fetcher_allows_data_images(fetcher):
    encoded = base64.b64encode(PNG).decode()
    response = fetcher.fetch(f"data:image/png;base64,{encoded}")
    assert response.content_type == "image/png"
    assert response.read() == PNG


def test_a_refused_resource_is_left_out_of_the_pdf(network):
    """The document still prints; the local file named in it is not fetched into it."""
    data = core_pdf.render_pdf(
        SAMPLE,
        {
            "heading": "Images",
            "images": ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "/static/img/logo.svg"],
        },
        language="en",
    )
    assert data.startswith(b"%PDF")
    assert b"root:" not in data


@pytest.fixture
def probe_server():
    """A web server on 127.0.0.1 serving a stylesheet, counting the requests it gets."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = b'main::after { content: " LEAKED-HTTP "; }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_a_document_cannot_make_the_server_fetch_urls_or_read_files(
    network, probe_server, tmp_path
):
    origin, requests = probe_server
    local = tmp_path / "local.css"
    local.write_text('main::before { content: " LEAKED-FILE "; }')
    inline = base64.b64encode(b'h1::after { content: " LEAKED-DATA"; }').decode()
    context = {
        "heading": "Probe",
        "stylesheets": [
            f"{origin}/probe.css",
            local.as_uri(),
            f"data:text/css;base64,{inline}",
        ],
    }

    text = _text(core_pdf.render_pdf(SAMPLE, context, language="en"))

    assert "Probe" in text
    assert "LEAKED" not in text
    assert requests == []
    # The probe works: WeasyPrint's own fetcher would have fetched all three.
    html = core_pdf.render_html(SAMPLE, context, language="en")
    # (https is left out so that it does not look up the print origin's reserved name.)
    unguarded_fetcher = URLFetcher(allowed_protocols=["http", "file", "data"])
    unguarded = _text(HTML(string=html, url_fetcher=unguarded_fetcher).write_pdf())
    assert all(probe in unguarded for probe in ("LEAKED-HTTP", "LEAKED-FILE", "LEAKED-DATA"))
    assert requests == ["/probe.css"]


def test_an_allowed_svg_image_cannot_fetch_for_itself(network, probe_server):
    """A data: SVG is an image we allow; what it references goes through the same fetcher."""
    origin, requests = probe_server
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' width="10" height="10"><image xlink:href="{origin}/inner.png" href="{origin}/inner.png"'
        ' width="10" height="10"/></svg>'
    )
    encoded = base64.b64encode(svg.encode()).decode()
    context = {"heading": "Nested", "images": [f"data:image/svg+xml;base64,{encoded}"]}

    core_pdf.render_pdf(SAMPLE, context, language="en")
    assert requests == []

    html = core_pdf.render_html(SAMPLE, context, language="en")
    HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["http", "data"])).write_pdf()
    assert requests == ["/inner.png"]  # the probe works: unguarded, the SVG fetched it


def test_the_pdf_embeds_allowed_images(network):
    encoded = base64.b64encode(PNG).decode()
    plain = core_pdf.render_pdf(SAMPLE, {"heading": "Images"}, language="en")
    with_image = core_pdf.render_pdf(
        SAMPLE, {"heading": "Images", "images": [f"data:image/png;base64,{encoded}"]}, language="en"
    )
    reader = PdfReader(io.BytesIO(with_image))
    assert reader.pages[0]["/Resources"]["/XObject"]
    assert not PdfReader(io.BytesIO(plain)).pages[0]["/Resources"].get("/XObject")


# --- English layout --------------------------------------------------------------------------


def _long_english():
    return {
        "heading": "Annual report of the network",
        "paragraphs": [f"Paragraph {n}. " + "Migration governance text. " * 30 for n in range(40)],
    }


def test_an_english_pdf_has_header_page_numbers_and_no_draft_mark(network):
    data = core_pdf.render_pdf(SAMPLE, _long_english(), language="en", title="Annual report")
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages > 1
    first = reader.pages[0].extract_text()
    assert "UN NETWORK ON MIGRATION IN BAHRAIN" in first.upper()
    assert f"Page 1 of {pages}" in first
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    # The running header repeats on every page.
    assert "BAHRAIN" in reader.pages[-1].extract_text().upper()
    assert "DRAFT" not in _text(data)
    assert reader.metadata.title == "Annual report"


def test_a_draft_pdf_is_marked_draft_on_every_page(network):
    data = core_pdf.render_pdf(SAMPLE, _long_english(), language="en", draft=True)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    assert all("DRAFT" in page.extract_text() for page in reader.pages)


def test_the_pdf_is_tagged_with_its_language(network):
    data = core_pdf.render_pdf(SAMPLE, {"heading": "Tagged"}, language="en", title="Tagged")
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"


def test_the_print_stylesheet_is_loaded_through_the_fetcher(network):
    """print.css sets the Noto font; without it WeasyPrint would print in the default serif."""
    data = core_pdf.render_pdf(SAMPLE, {"heading": "Fonts"}, language="en")
    page = PdfReader(io.BytesIO(data)).pages[0]
    fonts = [str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()]
    assert any("NotoSans" in name.replace("-", "") for name in fonts), fonts


# --- Arabic ----------------------------------------------------------------------------------

ARABIC_HEADING = "تقرير الشبكة"


def _arabic_context():
    return {
        "heading": ARABIC_HEADING,
        "paragraphs": [
            "أقرّت الشبكة خطة العمل. المرجع UNNM-BH/2026/004 في الاجتماع.",
            "الشبكة الأممية المعنية بالهجرة في مملكة البحرين.",
        ],
    }


def test_an_arabic_document_is_right_to_left(network):
    html = core_pdf.render_html(SAMPLE, _arabic_context(), language="ar")
    assert '<html lang="ar" dir="rtl">' in html
    english = core_pdf.render_html(SAMPLE, _arabic_context(), language="en")
    assert '<html lang="en" dir="ltr">' in english


def test_an_arabic_pdf_reads_in_logical_order_and_starts_on_the_right(network):
    data = core_pdf.render_pdf(SAMPLE, _arabic_context(), language="ar")
    reader = PdfReader(io.BytesIO(data))
    text = _text(data)
    # The words come out as typed, not reversed glyph by glyph.
    assert "الشبكة" in text
    assert "الشبكة"[::-1] not in text
    assert "البحرين" in text
    assert "UNNM-BH/2026/004" in text
    # The heading sits on the right half of the page: the page is laid out right to left.
    page = reader.pages[0]
    width = float(page.mediabox.width)
    heading = [x for run, x in _runs(page) if "تقرير" in run]
    assert heading, _runs(page)
    assert heading[0] > width / 2
    # Arabic glyphs come from an Arabic font.
    fonts = [str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()]
    assert any("NotoNaskhArabic" in name.replace("-", "") for name in fonts), fonts
    assert reader.trailer["/Root"]["/Lang"] == "ar"


def test_text_people_write_keeps_its_own_direction_in_a_pdf(network):
    """An English label in an Arabic table keeps "1." before its words (bdi, dir=auto)."""
    assert core_pdf.resolve_auto_direction(
        '<p>المرجع <bdi>1. Joint programming</bdi> <span dir="auto">مرحبا</span>'
        '<bdi dir="ltr">x</bdi></p><div data-dir-auto-children><p>Hello</p><h3>مرحبا</h3></div>'
    ) == (
        '<p>المرجع <bdi dir="ltr">1. Joint programming</bdi> <span dir="rtl">مرحبا</span>'
        '<bdi dir="ltr">x</bdi></p><div data-dir-auto-children><p dir="ltr">Hello</p>'
        '<h3 dir="rtl">مرحبا</h3></div>'
    )
    # Line separators other than "\n" in the text do not shift what follows.
    assert core_pdf.resolve_auto_direction("<p>a\u2028b\r\nc\x0bd</p>\n<bdi>مرحبا</bdi>") == (
        '<p>a\u2028b\r\nc\x0bd</p>\n<bdi dir="rtl">مرحبا</bdi>'
    )
    data = core_pdf.render_pdf(
        SAMPLE,
        {"heading": ARABIC_HEADING, "labels": ["1. Joint programming"], "label_prefix": "الهدف"},
        language="ar",
    )
    runs = _runs(PdfReader(io.BytesIO(data)).pages[0])
    # Laid out left to right: "1." is drawn before "Joint programming", not after it.
    assert "1. Joint programming" in " ".join(text for text, _x in runs)


def test_an_english_heading_starts_on_the_left(network):
    data = core_pdf.render_pdf(SAMPLE, {"heading": "Network report"}, language="en")
    page = PdfReader(io.BytesIO(data)).pages[0]
    heading = [x for run, x in _runs(page) if "Network report" in run]
    assert heading and heading[0] < float(page.mediabox.width) / 2


# --- Charts in PDFs --------------------------------------------------------------------------


def test_charts_print_inside_a_pdf_with_their_data_table(network):
    charts = [
        bar_chart("Deliverables by status", [("On track", 4), ("Delayed", 2)]),
        stacked_bar_chart(
            "Funding by objective",
            [("Objective 1", [1000, 500]), ("Objective 2", [200, 800])],
            series=[Series("Confirmed"), Series("Gap")],
            value_format="money",
        ),
    ]
    html = core_pdf.render_html(SAMPLE, {"heading": "Charts", "charts": charts}, language="en")
    assert html.count("<svg") >= 2
    data = core_pdf.render_pdf(SAMPLE, {"heading": "Charts", "charts": charts}, language="en")
    text = _text(data)
    # Text drawn in the SVG and the data table under it are both in the PDF.
    assert text.count("On track") >= 2
    assert "Objective 2" in text
    assert "1,500" in text
