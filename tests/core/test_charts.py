"""The shared SVG charts: valid SVG with a text alternative, in English and in Arabic."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from core import charts
from core.charts import Series, bar_chart, heat_map, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
COORDINATES = ("x", "y", "width", "height", "x1", "x2", "y1", "y2", "cx", "cy", "r")


def _bar():
    return bar_chart(
        "Deliverables by status",
        [("On track", 4), ("Delayed", 2.5), ("متأخر", 3)],
        description="How many deliverables are in each status.",
    )


def _stacked():
    return stacked_bar_chart(
        "Funding by objective",
        [("Objective 1", [1000.5, 500]), ("الهدف 2", [200, 812.25])],
        series=[Series("Confirmed"), Series("Gap")],
        description="Confirmed funds and the gap of each objective.",
        value_format="money",
        unit="USD",
    )


def _line():
    return line_chart(
        "Referrals per quarter",
        ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"],
        [Series("Received"), Series("Closed")],
        [[3, 5.5, 8, 6], [1, 4, None, 5]],
        description="Referrals received and closed each quarter.",
    )


def _heat():
    return heat_map(
        "Deliverables by agency and quarter",
        ["IOM", "UNHCR", "منظمة العمل الدولية"],
        ["Q1", "Q2", "Q3"],
        [[1, 2, 3], [0, 5, 1], [4, 0, 2]],
        description="Deliverables each agency leads in each quarter.",
        value_format="integer",
    )


@pytest.fixture
def djangos_arabic_formats(settings):
    """Django's own Arabic formats (decimal comma) instead of the portal's (decimal point)."""
    settings.FORMAT_MODULE_PATH = None
    formats.reset_format_cache()  # FORMAT_MODULE_PATH is not among the settings that reset it
    yield
    formats.reset_format_cache()


KINDS = {"bar": _bar, "stacked_bar": _stacked, "line": _line, "heat_map": _heat}


def _render(chart, language="en"):
    with translation.override(language):
        return Template("{% load charts %}{% chart chart %}").render(Context({"chart": chart}))


def _parse(markup):
    return ET.fromstring(markup)  # noqa: S314 (markup this test rendered itself)


def _svg(html):
    return _parse(re.search(r"<svg xmlns.*?</svg>", html, re.S).group(0))


def _coordinates(svg):
    values = []
    for element in svg.iter():
        values += [element.get(name) for name in COORDINATES if element.get(name) is not None]
        if element.get("points"):
            values += re.split(r"[ ,]", element.get("points"))
    return values


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_valid_svg_with_a_title_a_description_and_a_table(kind):
    chart = KINDS[kind]()
    html = _render(chart)
    svg = _svg(html)
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title.text == chart.title
    assert desc.text == chart.description
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    # The data table is the text alternative: every row label appears in it.
    table = re.search(r'<table class="chart-data">.*?</table>', html, re.S).group(0)
    assert f"<caption>{chart.title}" in table
    for header, _cells in chart.table().rows:
        assert f"<bdi>{header}</bdi>" in table
    # The whole figure is well-formed markup too.
    _parse(html.replace("<bdi>", "<span>").replace("</bdi>", "</span>"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("djangos_arabic_formats")
def test_coordinates_stay_plain_numbers_where_decimals_take_a_comma(kind):
    """Django's own Arabic format writes 2.5 as "2,5": the values do, the geometry must not."""
    html = _render(KINDS[kind](), "ar")
    coordinates = _coordinates(_svg(html))
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates
    assert any("." in value for value in coordinates)


@pytest.mark.usefixtures("djangos_arabic_formats")
def test_values_follow_the_readers_number_format():
    assert "2,5" in _render(_bar(), "ar")
    assert "2.5" in _render(_bar(), "en")
    assert "1,000" in _render(_stacked(), "en")  # money: whole dollars, grouped


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "heat_map"])
def test_right_to_left_mirrors_the_layout(kind):
    """Row labels sit at the reading start: on the left in English, on the right in Arabic."""

    def first_label(language):
        svg = _svg(_render(KINDS[kind](), language))
        width = float(svg.get("viewBox").split()[2])
        label = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label")
        return float(label.get("x")) / width, label.get("text-anchor")

    english, arabic = first_label("en"), first_label("ar")
    assert english[0] < 0.5 < arabic[0]
    assert english[1] == "end" and arabic[1] == "start"


def test_a_line_chart_runs_from_the_reading_start():
    def first_point(language):
        svg = _svg(_render(_line(), language))
        width = float(svg.get("viewBox").split()[2])
        line = svg.find(f"{SVG}polyline")
        return float(line.get("points").split()[0].split(",")[0]) / width

    assert first_point("en") < 0.5 < first_point("ar")


def test_labels_are_bidi_isolated():
    html = _render(_stacked(), "ar")
    assert all(t.get("unicode-bidi") == "plaintext" for t in _svg(html).iter(f"{SVG}text"))
    assert "<bdi>الهدف 2</bdi>" in html


def test_a_line_with_a_missing_value_breaks_instead_of_dropping_to_zero():
    svg = _svg(_render(_line()))
    lines = svg.findall(f"{SVG}polyline")
    # "Received" is one line; "Closed" (missing Q3) is two pieces, but only one has two points.
    assert len(lines) == 2
    assert "—" in _render(_line())  # the table says the value is missing


def test_series_are_told_apart_without_colour():
    svg = _svg(_render(_line()))
    dashes = [line.get("stroke-dasharray") for line in svg.findall(f"{SVG}polyline")]
    assert dashes[0] is None and dashes[1]
    assert svg.findall(f"{SVG}circle") and svg.findall(f"{SVG}polygon")


def test_heat_map_cells_show_their_numbers():
    texts = [t.text for t in _svg(_render(_heat())).iter(f"{SVG}text")]
    assert texts.count("5") == 1 and "4" in texts


def test_in_print_the_text_is_html_over_the_svg():
    """WeasyPrint cannot shape Arabic inside SVG text, so a PDF gets the labels as HTML."""
    with charts.printing():
        html = _render(_bar(), "ar")
    svg = _svg(html)
    assert not list(svg.iter(f"{SVG}text"))
    assert '<span class="chart-print-label"' in html
    assert "<bdi>متأخر</bdi>" in html
    assert float(svg.get("width")) <= charts.PRINT_WIDTH


def test_mismatched_data_is_refused():
    with pytest.raises(ValueError):
        stacked_bar_chart("x", [("a", [1])], series=[Series("one"), Series("two")])
    with pytest.raises(ValueError):
        line_chart("x", ["Q1", "Q2"], [Series("one")], [[1]])
    with pytest.raises(ValueError):
        heat_map("x", ["a"], ["Q1", "Q2"], [[1]])
    with pytest.raises(ValueError):
        bar_chart("x", [("a", 1)], value_format="euros")


def test_axis_maxima_are_round():
    assert charts.nice_max(9, integer=True) == 12
    assert charts.nice_max(4, integer=True) == 4
    assert charts.nice_max(1500) == 1600
    assert charts.nice_max(0) == 4
    assert charts.number(12.0) == "12"
    assert charts.number(-0.001) == "0"
    assert charts.number(3.14159) == "3.14"


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_chart_survives_a_json_round_trip_and_draws_the_same(kind):
    import json

    chart = KINDS[kind]()
    kept = charts.from_data(json.loads(json.dumps(charts.to_data(chart))))

    assert kept.kind == chart.kind
    assert kept.id != chart.id  # ids stay unique on the page the chart is drawn on again
    for language in ("en", "ar"):
        assert _render(kept, language).replace(kept.id, "ID") == _render(chart, language).replace(
            chart.id, "ID"
        )
