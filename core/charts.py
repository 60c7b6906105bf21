"""Server-rendered SVG charts, shared by every module and by the PDFs (no JavaScript).

A chart is built in a view, a report section or a PDF context from its data, and drawn by the
`{% chart %}` tag (core/templatetags/charts.py). Drawing happens at render time, in the language
being rendered: the layout mirrors for right-to-left languages, and every number written into
the SVG's geometry is formatted here with "." as the decimal mark (Django localises numbers in
templates, and in some locales that would write "12,5" into a coordinate).

Every chart carries its text alternative: a title and a description (the SVG's accessible name
and description) and its data as a table, shown under the chart in print and kept for screen
readers on screen. Colour is never the only signal: values are written on the chart and in the
table, and the series of a line chart also differ by dash pattern and marker.

Four kinds: `bar_chart`, `stacked_bar_chart` (horizontal bars), `line_chart` (values over time)
and `heat_map` (a grid of counts).
"""

import contextlib
import contextvars
import itertools
import math
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext

#: Colours of the series, in order (Okabe and Ito's, readable by people with colour-blindness).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "diamond", "triangle")
VALUE_FORMATS = ("integer", "decimal", "money", "percent")

_ids = itertools.count(1)

#: Set while a PDF is rendered (core.pdf): WeasyPrint draws SVG text glyph by glyph, without
#: shaping or bidi, so Arabic inside an SVG would print as separate letters in reverse. In a PDF,
#: the chart's text is therefore laid over the SVG as HTML, at the same coordinates.
_printing = contextvars.ContextVar("charts_printing", default=False)

#: The widest a chart prints, in CSS px (A4 portrait between margins is about 650px).
PRINT_WIDTH = 620


@contextlib.contextmanager
def printing():
    """Charts rendered inside this block are laid out for WeasyPrint (see `_printing`)."""
    token = _printing.set(True)
    try:
        yield
    finally:
        _printing.reset(token)


#: Presentation attributes of each part, so a chart looks the same where no stylesheet reaches
#: it (WeasyPrint draws inline SVG with its own renderer); the web CSS may refine them.
STYLES = {
    "chart-grid": {"stroke": "#dee2e6", "stroke-width": "1"},
    "chart-baseline": {"stroke": "#6c757d", "stroke-width": "1"},
    "chart-axis": {"font-size": "10", "fill": "#595f64"},
    "chart-label": {"font-size": "11", "fill": "#212529"},
    "chart-value": {"font-size": "11", "fill": "#495057", "font-weight": "bold"},
    "chart-cell": {"font-size": "10", "font-weight": "bold"},
    "chart-line": {"fill": "none", "stroke-width": "2"},
}


def number(value):
    """A coordinate as SVG wants it: '.' for decimals, never grouped, never localised."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value, value_format="decimal"):
    """A data value as the reader reads it, in the active language's number format."""
    if value is None:
        return "—"
    if value_format in ("integer", "money"):
        return formats.number_format(round(Decimal(str(value))), 0, force_grouping=True)
    if value_format == "percent":
        return formats.number_format(round(Decimal(str(value))), 0) + "%"
    exact = Decimal(str(value)).normalize()
    places = min(2, max(0, -exact.as_tuple().exponent))
    return formats.number_format(exact, places, force_grouping=True)


def nice_max(value, *, integer=False, ticks=4):
    """A round axis maximum at or above value, split into `ticks` round steps."""
    value = float(value)
    if value <= 0:
        return float(ticks)
    raw_step = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 10):
        step = factor * magnitude
        if step >= raw_step and (not integer or step == int(step)):
            return step * ticks
    return 10 * magnitude * ticks  # pragma: no cover


@dataclass(frozen=True)
class Series:
    """One series of a chart: its label in the legend and the table, and its colour."""

    label: str
    colour: str = ""
    key: str = ""


@dataclass
class Shape:
    """One SVG element of a laid-out chart; coordinates are already formatted strings."""

    kind: str  # rect, text, line, polyline, polygon, circle
    attrs: dict
    text: str = ""
    tooltip: str = ""

    def __post_init__(self):
        self.attrs = {**STYLES.get(self.attrs.get("class", ""), {}), **self.attrs}


class _Canvas:
    """Collects shapes in left-to-right coordinates and mirrors them for right-to-left."""

    def __init__(self, width, rtl):
        self.width = width
        self.rtl = rtl
        self.shapes = []

    def _x(self, x, width=0):
        return self.width - x - width if self.rtl else x

    def rect(self, x, y, width, height, *, fill, tooltip="", css=""):
        self.shapes.append(
            Shape(
                "rect",
                {
                    "x": number(self._x(x, width)),
                    "y": number(y),
                    "width": number(width),
                    "height": number(height),
                    "fill": fill,
                    "class": css,
                },
                tooltip=tooltip,
            )
        )

    def text(self, x, y, text, *, anchor="start", css="chart-label", fill=""):
        if self.rtl and anchor != "middle":
            anchor = "end" if anchor == "start" else "start"
        attrs = {"x": number(self._x(x)), "y": number(y), "text-anchor": anchor, "class": css}
        if fill:
            attrs["fill"] = fill
        self.shapes.append(Shape("text", attrs, text=str(text)))

    def line(self, x1, y1, x2, y2, *, css="chart-grid"):
        self.shapes.append(
            Shape(
                "line",
                {
                    "x1": number(self._x(x1)),
                    "y1": number(y1),
                    "x2": number(self._x(x2)),
                    "y2": number(y2),
                    "class": css,
                },
            )
        )

    def polyline(self, points, *, stroke, dash=""):
        attrs = {
            "points": " ".join(f"{number(self._x(x))},{number(y)}" for x, y in points),
            "stroke": stroke,
            "class": "chart-line",
        }
        if dash:
            attrs["stroke-dasharray"] = dash
        self.shapes.append(Shape("polyline", attrs))

    def marker(self, x, y, *, shape, fill, tooltip="", size=3.5):
        x = self._x(x)
        if shape == "circle":
            self.shapes.append(
                Shape(
                    "circle",
                    {"cx": number(x), "cy": number(y), "r": number(size), "fill": fill},
                    tooltip=tooltip,
                )
            )
            return
        if shape == "square":
            corners = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
        elif shape == "diamond":
            corners = [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)]
        else:
            corners = [(0, -1.3), (1.2, 1), (-1.2, 1)]
        points = " ".join(f"{number(x + dx * size)},{number(y + dy * size)}" for dx, dy in corners)
        self.shapes.append(Shape("polygon", {"points": points, "fill": fill}, tooltip=tooltip))


@dataclass
class DataTable:
    """A chart's data as a table: column headers, then rows of (header, [cells])."""

    columns: list
    rows: list


@dataclass
class Chart:
    """Base of the chart kinds: what every chart has (title, description, data, format)."""

    title: str
    description: str = ""
    value_format: str = "decimal"
    unit: str = ""
    id: str = ""
    kind: str = field(default="", init=False)

    def __post_init__(self):
        if self.value_format not in VALUE_FORMATS:
            raise ValueError(f"value_format must be one of {VALUE_FORMATS}")
        if not self.id:
            self.id = f"chart-{next(_ids)}"

    # Each kind defines table() -> DataTable, draw(rtl) -> (width, height, shapes), legend().

    def fmt(self, value):
        return format_value(value, self.value_format)

    def render(self):
        """The chart as HTML: a figure with the SVG, its legend and its data table."""
        rtl = translation.get_language_bidi()
        width, height, shapes = self.draw(rtl)
        context = {
            "chart": self,
            "view_box": f"0 0 {number(width)} {number(height)}",
            "width": number(width),
            "height": number(height),
            "shapes": shapes,
            "labels": [],
            "legend": self.legend(),
            "table": self.table(),
        }
        if _printing.get():
            scale = min(1.0, PRINT_WIDTH / width)
            context.update(
                width=number(width * scale),
                height=number(height * scale),
                shapes=[shape for shape in shapes if shape.kind != "text"],
                labels=[
                    _html_label(shape, width, scale) for shape in shapes if shape.kind == "text"
                ],
            )
        return render_to_string("core/charts/chart.html", context)

    def legend(self):
        return []


def _series_colours(series):
    return [
        Series(s.label, s.colour or PALETTE[i % len(PALETTE)], s.key or f"s{i}")
        for i, s in enumerate(series)
    ]


def _horizontal_axis(canvas, *, left, width, top, bottom, maximum, ticks, fmt):
    for i in range(ticks + 1):
        x = left + width * i / ticks
        canvas.line(x, top, x, bottom)
        canvas.text(x, bottom + 12, fmt(maximum * i / ticks), anchor="middle", css="chart-axis")


@dataclass
class StackedBarChart(Chart):
    """Horizontal bars, each split into the values of several series (e.g. funding)."""

    rows: list = field(default_factory=list)  # [(label, [value per series])]
    series: list = field(default_factory=list)  # [Series]
    label_width: int = 210
    plot_width: int = 420
    bar_height: int = 18
    spacing: int = 10
    ticks: int = 4

    def __post_init__(self):
        super().__post_init__()
        self.kind = "stacked_bar"
        self.series = _series_colours(self.series)
        for label, values in self.rows:
            if len(values) != len(self.series):
                raise ValueError(f"{label}: one value per series expected")

    def legend(self):
        return [{"label": s.label, "colour": s.colour, "shape": "rect"} for s in self.series]

    def table(self):
        columns = [*(s.label for s in self.series)]
        if len(self.series) > 1:
            columns.append(gettext("Total"))
        rows = []
        for label, values in self.rows:
            cells = [self.fmt(v) for v in values]
            if len(self.series) > 1:
                cells.append(self.fmt(sum(Decimal(str(v)) for v in values)))
            rows.append((label, cells))
        return DataTable(columns, rows)

    def draw(self, rtl):
        totals = [sum(float(v) for v in values) for _label, values in self.rows]
        maximum = nice_max(
            max(totals, default=0), integer=self.value_format == "integer", ticks=self.ticks
        )
        width = self.label_width + self.plot_width + 90
        top = 8
        height = top + len(self.rows) * (self.bar_height + self.spacing) + 24
        canvas = _Canvas(width, rtl)
        _horizontal_axis(
            canvas,
            left=self.label_width,
            width=self.plot_width,
            top=top,
            bottom=height - 22,
            maximum=maximum,
            ticks=self.ticks,
            fmt=self.fmt,
        )
        for index, (label, values) in enumerate(self.rows):
            y = top + index * (self.bar_height + self.spacing)
            text_y = y + self.bar_height * 0.72
            canvas.text(self.label_width - 8, text_y, _truncate(label, 34), anchor="end")
            x = float(self.label_width)
            for serie, value in zip(self.series, values, strict=True):
                bar = float(value) / maximum * self.plot_width
                if bar > 0:
                    tooltip = f"{label} — {serie.label}: {self.fmt(value)}"
                    canvas.rect(
                        x, y, bar, self.bar_height, fill=serie.colour, tooltip=tooltip, css=""
                    )
                x += bar
            canvas.text(x + 6, text_y, self.fmt(totals[index]), css="chart-value")
        return width, height, canvas.shapes


class BarChart(StackedBarChart):
    """Horizontal bars, one value per row (e.g. deliverables per status)."""

    def __init__(self, title, rows, *, value_label="", colour="", **options):
        super().__init__(
            title,
            rows=[(label, [value]) for label, value in rows],
            series=[Series(value_label or title, colour)],
            **options,
        )

    def __post_init__(self):
        super().__post_init__()
        self.kind = "bar"

    def legend(self):
        return []


@dataclass
class LineChart(Chart):
    """Values over time: one line per series across periods (months, quarters, years)."""

    periods: list = field(default_factory=list)  # labels of the x axis, oldest first
    series: list = field(default_factory=list)  # [Series]
    values: list = field(default_factory=list)  # [[value or None per period] per series]
    plot_width: int = 520
    plot_height: int = 200
    ticks: int = 4

    def __post_init__(self):
        super().__post_init__()
        self.kind = "line"
        self.series = _series_colours(self.series)
        if len(self.values) != len(self.series):
            raise ValueError("one list of values per series expected")
        for values in self.values:
            if len(values) != len(self.periods):
                raise ValueError("one value per period expected")

    def legend(self):
        return [
            {
                "label": s.label,
                "colour": s.colour,
                "shape": "line",
                "dash": DASHES[i % len(DASHES)],
            }
            for i, s in enumerate(self.series)
        ]

    def table(self):
        rows = [
            (period, [self.fmt(values[i]) for values in self.values])
            for i, period in enumerate(self.periods)
        ]
        return DataTable([s.label for s in self.series], rows)

    def draw(self, rtl):
        present = [float(v) for values in self.values for v in values if v is not None]
        maximum = nice_max(
            max(present, default=0), integer=self.value_format == "integer", ticks=self.ticks
        )
        left, top, axis_width = 56, 10, 56
        # Room at both ends for half a period label, whichever side the time axis starts on.
        width = left + self.plot_width + 36
        bottom = top + self.plot_height
        height = bottom + 30
        canvas = _Canvas(width, rtl)
        for i in range(self.ticks + 1):
            y = bottom - self.plot_height * i / self.ticks
            canvas.line(left, y, left + self.plot_width, y)
            canvas.text(
                axis_width - 6,
                y + 3.5,
                self.fmt(maximum * i / self.ticks),
                anchor="end",
                css="chart-axis",
            )
        count = len(self.periods)
        step = self.plot_width / max(count - 1, 1)

        def x_of(index):
            return left + (index * step if count > 1 else self.plot_width / 2)

        every = max(1, math.ceil(count / 12))  # at most a dozen period labels
        for index, period in enumerate(self.periods):
            if index % every == 0 or index == count - 1:
                canvas.text(
                    x_of(index),
                    bottom + 16,
                    _truncate(period, 12),
                    anchor="middle",
                    css="chart-axis",
                )
        for s_index, (serie, values) in enumerate(zip(self.series, self.values, strict=True)):
            dash = DASHES[s_index % len(DASHES)]
            run = []
            for index, value in enumerate(values):
                if value is None:
                    # A gap in the data is a gap in the line, not a drop to zero.
                    if len(run) > 1:
                        canvas.polyline(run, stroke=serie.colour, dash=dash)
                    run = []
                    continue
                run.append((x_of(index), bottom - float(value) / maximum * self.plot_height))
            if len(run) > 1:
                canvas.polyline(run, stroke=serie.colour, dash=dash)
            for index, value in enumerate(values):
                if value is not None:
                    canvas.marker(
                        x_of(index),
                        bottom - float(value) / maximum * self.plot_height,
                        shape=MARKERS[s_index % len(MARKERS)],
                        fill=serie.colour,
                        tooltip=f"{serie.label}, {self.periods[index]}: {self.fmt(value)}",
                    )
        canvas.line(left, bottom, left + self.plot_width, bottom, css="chart-baseline")
        return width, height, canvas.shapes


@dataclass
class HeatMap(Chart):
    """A grid of values (rows by columns), darker for more; each cell also shows its number."""

    rows: list = field(default_factory=list)  # row labels
    columns: list = field(default_factory=list)  # column labels
    values: list = field(default_factory=list)  # [[value per column] per row]
    label_width: int = 180
    cell_width: int = 56
    cell_height: int = 24
    colour: str = "#0072b2"

    def __post_init__(self):
        super().__post_init__()
        self.kind = "heat_map"
        if len(self.values) != len(self.rows):
            raise ValueError("one list of values per row expected")
        for values in self.values:
            if len(values) != len(self.columns):
                raise ValueError("one value per column expected")

    def table(self):
        return DataTable(
            list(self.columns),
            [
                (row, [self.fmt(v) for v in values])
                for row, values in zip(self.rows, self.values, strict=True)
            ],
        )

    def legend(self):
        return []

    def draw(self, rtl):
        present = [float(v) for values in self.values for v in values if v is not None]
        maximum = max(present, default=0) or 1.0
        top = 24
        width = self.label_width + self.cell_width * len(self.columns) + 4
        height = top + self.cell_height * len(self.rows) + 4
        canvas = _Canvas(width, rtl)
        for c_index, column in enumerate(self.columns):
            canvas.text(
                self.label_width + (c_index + 0.5) * self.cell_width,
                top - 8,
                _truncate(column, 9),
                anchor="middle",
                css="chart-axis",
            )
        for r_index, (row, values) in enumerate(zip(self.rows, self.values, strict=True)):
            y = top + r_index * self.cell_height
            canvas.text(
                self.label_width - 8, y + self.cell_height * 0.65, _truncate(row, 30), anchor="end"
            )
            for c_index, value in enumerate(values):
                x = self.label_width + c_index * self.cell_width
                share = 0 if value is None else float(value) / maximum
                canvas.rect(
                    x + 1,
                    y + 1,
                    self.cell_width - 2,
                    self.cell_height - 2,
                    fill=_tint(self.colour, share),
                    tooltip=f"{row}, {self.columns[c_index]}: {self.fmt(value)}",
                )
                canvas.text(
                    x + self.cell_width / 2,
                    y + self.cell_height * 0.65,
                    self.fmt(value),
                    anchor="middle",
                    css="chart-cell",
                    fill="#fff" if share > 0.55 else "#111",
                )
        return width, height, canvas.shapes


def _html_label(shape, width, scale):
    """An SVG text shape as the inline style of an HTML label at the same place (for print)."""
    attrs = shape.attrs
    size = float(attrs.get("font-size") or 11)
    x, y = float(attrs["x"]), float(attrs["y"])
    # With line-height 1, Noto's baseline sits 0.88em below the top of the line box.
    style = [f"top:{number((y - 0.88 * size) * scale)}px", f"font-size:{number(size * scale)}px"]
    anchor = attrs.get("text-anchor", "start")
    if anchor == "end":
        style.append(f"right:{number((width - x) * scale)}px")
    elif anchor == "middle":
        style += [f"left:{number((x - 50) * scale)}px", f"width:{number(100 * scale)}px"]
        style.append("text-align:center")
    else:
        style.append(f"left:{number(x * scale)}px")
    if attrs.get("fill"):
        style.append(f"color:{attrs['fill']}")
    if attrs.get("font-weight"):
        style.append(f"font-weight:{attrs['font-weight']}")
    return {"text": shape.text, "style": ";".join(style)}


def _truncate(text, length):
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _tint(colour, share):
    """`colour` mixed with white: share 0 is nearly white, 1 is the full colour."""
    share = 0.08 + 0.92 * max(0.0, min(1.0, share))
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - part) * share) for part in (red, green, blue)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def bar_chart(title, rows, **options):
    """Horizontal bars: rows are (label, value)."""
    return BarChart(title, rows, **options)


def stacked_bar_chart(title, rows, *, series, **options):
    """Horizontal stacked bars: rows are (label, [value per series]); series are Series."""
    return StackedBarChart(title, rows=list(rows), series=list(series), **options)


def line_chart(title, periods, series, values, **options):
    """Lines over time: periods label the x axis; values holds one list per series."""
    return LineChart(
        title, periods=list(periods), series=list(series), values=list(values), **options
    )


def heat_map(title, rows, columns, values, **options):
    """A heat map: values holds one list per row, one value per column."""
    return HeatMap(title, rows=list(rows), columns=list(columns), values=list(values), **options)


# A chart as JSON and back, for documents that freeze what they show (a final report's snapshot).
# What is kept is the data a chart is drawn from, never its drawing: the layout is computed again
# when the chart is rendered, in the language and medium (screen or print) of that rendering.

_KINDS = {"bar": BarChart, "stacked_bar": StackedBarChart, "line": LineChart, "heat_map": HeatMap}


def _json_value(value):
    """A data value JSON keeps exactly: Decimals as text (restored as Decimals), others as is."""
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, Series):
        return {"series": [str(value.label), value.colour, value.key]}
    if isinstance(value, str):
        return str(value)  # lazy translations become text
    return value


def _python_value(value):
    if isinstance(value, dict) and "decimal" in value:
        return Decimal(value["decimal"])
    if isinstance(value, dict) and "series" in value:
        return Series(*value["series"])
    if isinstance(value, list):
        return [_python_value(item) for item in value]
    return value


def to_data(chart):
    """The chart as JSON-safe data: its kind and the arguments it was built with."""
    options = {
        f.name: _json_value(getattr(chart, f.name))
        for f in fields(chart)
        if f.init and f.name != "id"  # a redrawn chart gets an id unique on its page
    }
    options["title"] = str(chart.title)
    options["description"] = str(chart.description)
    return {"kind": chart.kind, "options": options}


def from_data(data):
    """The chart `to_data` described, ready to be drawn again."""
    options = {name: _python_value(value) for name, value in data["options"].items()}
    if data["kind"] == "bar":
        series = options.pop("series")[0]
        rows = [(label, values[0]) for label, values in options.pop("rows")]
        return BarChart(
            options.pop("title"), rows, value_label=series.label, colour=series.colour, **options
        )
    return _KINDS[data["kind"]](**options)
