"""Sanitizing the HTML of minutes: headings, lists, links and tables survive; scripts never do."""

import nh3

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan"}, "td": {"colspan"}}


def sanitize_html(html):
    """Keep the formatting of minutes, drop everything executable (scripts, handlers, styles)."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        # Tables always get Bootstrap's table style; no class attribute survives otherwise.
        set_tag_attribute_values={"table": {"class": "table table-sm"}},
    ).strip()
