"""Geometry of the server-rendered SVG charts (no JavaScript, no chart library)."""

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Segment:
    x: float
    width: float
    css: str
    value: object
    label: str


@dataclass
class Bar:
    label: str
    y: float
    text_y: float
    segments: list
    total: object
    total_x: float


def _nice_max(value):
    """A round axis maximum at or above value (1, 2, 2.5, 5 times 10^n)."""
    value = float(value)
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def stacked_bars(
    rows,
    *,
    series,
    label_width=210,
    plot_width=420,
    bar_height=18,
    spacing=10,
    ticks=4,
    integer=False,
):
    """Horizontal stacked bars.

    rows: [(label, [value per series])]; series: [(css class, legend label)]. With `integer`
    (counts), the axis ticks fall on whole numbers.
    """
    largest = max((sum(float(v) for v in values) for _, values in rows), default=0)
    whole = float(ticks * max(1, math.ceil(largest / ticks)))
    maximum = whole if integer else _nice_max(largest)
    bars = []
    top = 8
    for index, (label, values) in enumerate(rows):
        y = top + index * (bar_height + spacing)
        x = float(label_width)
        segments = []
        for (css, legend), value in zip(series, values, strict=True):
            width = float(value) / maximum * plot_width
            if width > 0:
                segments.append(Segment(round(x, 1), round(width, 1), css, value, legend))
            x += width
        total = sum((Decimal(str(v)) for v in values), Decimal(0))
        bars.append(
            Bar(
                label=label,
                y=y,
                text_y=y + bar_height * 0.72,
                segments=segments,
                total=total,
                total_x=round(x + 6, 1),
            )
        )
    height = top + len(rows) * (bar_height + spacing) + 24
    axis = [
        {
            "x": round(label_width + plot_width * i / ticks, 1),
            "value": maximum * i / ticks,
        }
        for i in range(ticks + 1)
    ]
    return {
        "bars": bars,
        "series": [{"css": css, "label": legend} for css, legend in series],
        "width": label_width + plot_width + 90,
        "height": height,
        "bar_height": bar_height,
        "label_x": label_width - 8,
        "axis": axis,
        "axis_y": height - 16,
        "plot_top": top,
        "plot_bottom": height - 22,
    }
