"""The comparison of two versions shows the changed words."""

from terms.diff import diff_stats, plain_changes, render_diff, word_diff
from terms.text import render_terms


def test_the_diff_shows_the_changed_words():
    old = "Meeting Frequency: Bi-monthly and as needed.\nThe Network will report to the RC."
    new = (
        "Meeting Frequency: Quarterly and as needed.\n"
        "The Network will report twice a year to the RC."
    )

    chunks = word_diff(old, new)
    html = str(render_diff(chunks))

    assert [c.text.strip() for c in chunks if c.kind == "delete"] == ["Bi-monthly"]
    inserted = [c.text.strip() for c in chunks if c.kind == "insert"]
    assert inserted[0] == "Quarterly"
    assert inserted[1] == "twice a year"
    assert '<del><span class="visually-hidden">[removed] </span>Bi-monthly </del>' in html
    assert '<ins><span class="visually-hidden">[added] </span>Quarterly </ins>' in html
    # Unchanged words are not marked; joining the chunks gives back the texts.
    assert "Quarterly </ins>and as needed.\nThe Network will report <ins>" in html
    assert "".join(c.text for c in chunks if c.kind != "delete") == new
    assert diff_stats(chunks) == {"inserted": 4, "deleted": 1}


def test_identical_texts_have_no_change():
    chunks = word_diff("One two three.", "One two three.")
    assert {c.kind for c in chunks} == {"equal"}


def test_the_diff_escapes_the_text():
    html = str(render_diff(word_diff("a <b>", "a <script>alert(1)</script>")))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_text_is_rendered_with_headings_and_numbered_lists_and_escaped():
    html = str(
        render_terms(
            "# Title\n\n## Objectives\n\n1. First <b>\n2. Second\ncontinued\n\nA paragraph."
        )
    )
    assert "<h2>Title</h2>" in html
    assert "<h3>Objectives</h3>" in html
    assert (
        '<ol start="1"><li value="1">First &lt;b&gt;</li><li value="2">Second continued</li></ol>'
        in html
    )
    assert "<p>A paragraph.</p>" in html


def test_unchanged_paragraphs_away_from_the_changes_are_folded():
    paragraphs = [f"Paragraph {n} stays." for n in range(1, 8)]
    old = "\n\n".join(paragraphs)
    new = old.replace("Paragraph 4 stays.", "Paragraph 4 changes.")

    html = str(render_diff(word_diff(old, new)))

    # Paragraphs 1-3 and 5-7 are folded, paragraph 4 (the change) is open.
    assert html.count("<details") == 2
    assert "3 unchanged paragraphs" in html
    assert "Paragraph 4 <del>" in html
    assert "Paragraph 1 stays." in html.split("</summary>")[1]
    unfolded = str(render_diff(word_diff(old, new), fold=False))
    assert "<details" not in unfolded


def test_the_changes_read_in_plain_text_for_emails():
    old = "The Network will report on its progress to the RC every six months."
    new = "The Network will report in writing on its progress to the RC every year."

    assert plain_changes(word_diff(old, new), context=3) == [
        "… Network will report {+in writing+} on its progress …",
        "… the RC every [-six months.-] {+year.+}",
    ]
