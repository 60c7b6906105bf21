"""The Arabic catalogue: compiled, and covering every string of the layout and the dashboard."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "ar" / "LC_MESSAGES"
# The templates every page goes through: their strings must all be translated.
LAYOUT_TEMPLATES = [
    ROOT / "templates" / "base.html",
    *sorted((ROOT / "templates" / "core").glob("*.html")),
]
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1\s*%}""")
BLOCKTRANSLATE_TAG = re.compile(r"{%\s*blocktranslate[^%]*%}(.+?){%\s*endblocktranslate\s*%}", re.S)


def layout_strings():
    strings = set()
    for template in LAYOUT_TEMPLATES:
        text = template.read_text()
        strings |= {match[1] for match in TRANSLATE_TAG.findall(text)}
        for body in BLOCKTRANSLATE_TAG.findall(text):
            # {{ name }} in a blocktranslate is %(name)s in the catalogue.
            strings.add(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body))
    return sorted(strings)


def test_the_compiled_catalogue_is_committed_next_to_its_source():
    po = CATALOGUE / "django.po"
    mo = CATALOGUE / "django.mo"

    assert po.exists()
    assert mo.exists()
    assert mo.stat().st_size > 1000
    assert "Plural-Forms: nplurals=6;" in po.read_text()


def test_the_layout_has_strings_to_check():
    strings = layout_strings()

    assert "Skip to main content" in strings
    assert "Welcome, %(name)s" in strings


@pytest.mark.parametrize("message", layout_strings())
def test_every_layout_string_is_translated_to_arabic(message):
    if "{% plural %}" in message:
        # A counted message: look up its plural, for a count that shows the number (3).
        singular, message = re.split(r"{%\s*plural\s*%}", message)
        with translation.override("ar"):
            translated = ngettext(singular, message, 3)
    else:
        with translation.override("ar"):
            translated = gettext(message)

    assert translated != message, f"no Arabic for {message!r}: run `make messages` and translate"
    assert re.search(r"[\u0600-\u06ff]", translated), translated
    # Placeholders survive translation.
    assert set(re.findall(r"%\(\w+\)s", translated)) == set(re.findall(r"%\(\w+\)s", message))


def test_module_names_in_the_navigation_are_translated():
    from core.registry import navigation

    with translation.override("ar"):
        labels = [str(entry.label) for entry in navigation.entries()]

    assert labels[:4] == ["الأعضاء", "الاجتماعات", "القرارات", "خطة العمل"]
    assert all(re.search(r"[\u0600-\u06ff]", label) for label in labels)
