"""Templates show dates in the reader's locale: they name a format, never spell one out.

A literal such as |date:"j M Y" is English word order in an Arabic page; the named formats come
from unnm/formats/<language>/formats.py (docs/I18N.md).
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import formats, translation

ROOT = Path(settings.BASE_DIR)
LITERAL = re.compile(r"""\|(date|time):(["'])(?P<format>[^"']*)\2""")
# Django's named formats; "l" is the weekday name alone (before a DATE_FORMAT), "c" is ISO 8601
# for machines (datetime attributes).
ALLOWED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "l",
    "c",
}


def page_templates():
    """Every HTML template of the portal's pages: templates/ and each of our apps' templates/.
    The email templates (*/email/) still spell their formats out (docs/I18N.md)."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    ]
    for root in roots:
        for path in sorted(root.glob("**/*.html")):
            if "email" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text()


def test_no_page_template_spells_out_a_date_format():
    spelled_out = [
        (name, match.group(0))
        for name, text in page_templates()
        for match in LITERAL.finditer(text)
        if match.group("format") not in ALLOWED
    ]
    assert spelled_out == []


def test_the_guard_sees_a_spelled_out_format():
    assert LITERAL.search('{{ meeting.starts_at|date:"j M Y" }}').group("format") == "j M Y"


def test_each_language_defines_the_named_formats_the_templates_use():
    for language, expected in (("en", "j M Y, H:i"), ("ar", "d/m/Y، H:i")):
        with translation.override(language):
            assert formats.get_format("SHORT_DATETIME_FORMAT") == expected
            assert formats.get_format("TIME_FORMAT") == "H:i"
