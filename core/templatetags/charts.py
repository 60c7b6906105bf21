"""`{% chart some_chart %}`: draws a chart of core.charts, in the language being rendered."""

from django import template

register = template.Library()


@register.simple_tag
def chart(chart):
    """The chart's figure: SVG, legend and data table."""
    return chart.render()
