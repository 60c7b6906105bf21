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


# --- The whole catalogue -----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _catalogue():
    import polib

    return polib.pofile(str(CATALOGUE / "django.po"))


def test_the_arabic_catalogue_is_complete_with_no_fuzzy_entry():
    catalogue = _catalogue()
    entries = [entry for entry in catalogue if not entry.obsolete]

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert len(entries) > 1000
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert catalogue.percent_translated() == 100


def test_every_plural_entry_has_the_six_arabic_forms():
    catalogue = _catalogue()
    plural_forms = catalogue.metadata["Plural-Forms"]
    assert plural_forms.startswith("nplurals=6;"), plural_forms

    plurals = [entry for entry in catalogue if entry.msgid_plural and not entry.obsolete]
    assert plurals
    for entry in plurals:
        forms = entry.msgstr_plural
        assert sorted(forms) == [0, 1, 2, 3, 4, 5], entry.msgid
        assert all(text.strip() for text in forms.values()), entry.msgid


def test_translations_keep_the_placeholders_of_their_source():
    """A lost or renamed %(name)s raises KeyError, or drops a value, when the text is shown."""
    broken = []
    for entry in _catalogue():
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            expected = set(PLACEHOLDER.findall(entry.msgid_plural)) | set(
                PLACEHOLDER.findall(entry.msgid)
            )
            # A form for exactly one or two may spell the number out instead of %(count)s.
            for index, text in entry.msgstr_plural.items():
                if not set(PLACEHOLDER.findall(text)) <= expected:
                    broken.append((entry.msgid, index))
        elif set(PLACEHOLDER.findall(entry.msgstr)) != set(PLACEHOLDER.findall(entry.msgid)):
            broken.append((entry.msgid, None))
    assert broken == []


def test_the_compiled_catalogue_matches_its_source():
    """`compilemessages` was run after the last edit: the .mo holds every translation of the .po."""
    import polib

    compiled = {
        (entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(CATALOGUE / "django.mo"))
    }
    stale = []
    for entry in _catalogue():
        if entry.obsolete or not entry.translated():
            continue
        found = compiled.get((entry.msgctxt, entry.msgid))
        if found is None or (found.msgstr or found.msgstr_plural) != (
            entry.msgstr or entry.msgstr_plural
        ):
            stale.append(entry.msgid)
    assert stale == [], f"{len(stale)} not compiled, e.g. {stale[:5]}: run compilemessages"
