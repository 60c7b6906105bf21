"""A word-level comparison of two texts of the Terms of Reference.

difflib (standard library) does the matching; no diff library is needed for whole words. The
tokens keep their whitespace (each token is a word with the spaces and line breaks after it), so
joining them gives back the text exactly and the line structure survives in the comparison.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Chunk:
    kind: str  # "equal", "insert" or "delete"
    text: str


def tokens(text):
    return TOKEN.findall(text or "")


def word_diff(old, new):
    """The chunks that turn `old` into `new`: equal, deleted and inserted runs of words."""
    before, after = tokens(old), tokens(new)
    # Compare words without their trailing whitespace: a reflowed line is not a changed word.
    matcher = SequenceMatcher(
        None, [t.strip() for t in before], [t.strip() for t in after], autojunk=False
    )
    chunks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(Chunk("equal", "".join(after[j1:j2])))
            continue
        if op in ("delete", "replace"):
            chunks.append(Chunk("delete", "".join(before[i1:i2])))
        if op in ("insert", "replace"):
            chunks.append(Chunk("insert", "".join(after[j1:j2])))
    return chunks


def diff_stats(chunks):
    """How many words were inserted and deleted."""
    inserted = sum(len(c.text.split()) for c in chunks if c.kind == "insert")
    deleted = sum(len(c.text.split()) for c in chunks if c.kind == "delete")
    return {"inserted": inserted, "deleted": deleted}


def plain_changes(chunks, *, context=6):
    """Each change as one line of plain text, wdiff style: `… words [-old-] {+new+} words …`.

    For emails and the text of the decision, where markup cannot show the comparison.
    """
    lines = []
    index = 0
    while index < len(chunks):
        if chunks[index].kind == "equal":
            index += 1
            continue
        before = chunks[index - 1].text.split()[-context:] if index > 0 else []
        parts = []
        while index < len(chunks) and chunks[index].kind != "equal":
            chunk = chunks[index]
            words = " ".join(chunk.text.split())
            parts.append(f"[-{words}-]" if chunk.kind == "delete" else f"{{+{words}+}}")
            index += 1
        after = chunks[index].text.split()[:context] if index < len(chunks) else []
        lines.append(
            " ".join(
                [*(["…"] if before else []), *before, *parts, *after, *(["…"] if after else [])]
            )
        )
    return lines


# Lines, not only blank-line paragraphs: the items of a numbered list are one line each.
PARAGRAPH_BREAK = re.compile(r"(\n\s*)")


def _fold(text, *, first, last):
    """An unchanged stretch: whole paragraphs (lines) away from any change fold in <details>.

    The paragraphs a change is in stay open (the end of the stretch before a change, the start
    of the one after it), so each change is read in its sentence.
    """
    parts = PARAGRAPH_BREAK.split(text)
    # parts alternate text, break, text, ...: paragraph i is parts[2 * i].
    count = (len(parts) + 1) // 2
    keep_head = 0 if first else 1
    keep_tail = 0 if last else 1
    if count - keep_head - keep_tail < 2:
        return format_html("{}", text)
    head = "".join(parts[: 2 * keep_head])
    middle_end = len(parts) - 2 * keep_tail + (1 if keep_tail else 0)
    middle = "".join(parts[2 * keep_head : middle_end])
    tail = "".join(parts[middle_end:])
    hidden = count - keep_head - keep_tail
    summary = ngettext(
        "%(count)s unchanged paragraph", "%(count)s unchanged paragraphs", hidden
    ) % {"count": hidden}
    return format_html(
        '{}<details class="terms-diff-fold"><summary>{}</summary>{}</details>{}',
        head,
        summary,
        middle,
        tail,
    )


def render_diff(chunks, *, fold=True):
    """HTML of the comparison: <ins> and <del> with a text label each (not colour alone).

    Every piece of text is escaped by format_html; the result keeps line breaks when shown in
    an element with `white-space: pre-wrap`. With `fold`, unchanged paragraphs away from the
    changes are folded (a <details> element: no script, keyboard-operable).
    """
    added, removed = _("[added]"), _("[removed]")
    parts = []
    for index, chunk in enumerate(chunks):
        if chunk.kind == "equal":
            if fold:
                parts.append(_fold(chunk.text, first=index == 0, last=index == len(chunks) - 1))
            else:
                parts.append(format_html("{}", chunk.text))
        elif chunk.kind == "insert":
            parts.append(
                format_html(
                    '<ins><span class="visually-hidden">{} </span>{}</ins>', added, chunk.text
                )
            )
        else:
            parts.append(
                format_html(
                    '<del><span class="visually-hidden">{} </span>{}</del>', removed, chunk.text
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 (each part is built by format_html)
