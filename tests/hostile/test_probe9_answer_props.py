"""Probe 9: random tables under captions, and Markdown tables, through the offline answer layer (the caption
blocks, the named-row bonus, the numbered-title malus): no exception, what a fenced block quotes are lines of a
source, and a caption's markup stays text in the HTML view."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from jupyter_docchat.markdown_html import render_markdown
from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import extractive_answer
from jupyter_docchat.types import Hit

WORDS = st.sampled_from(["ampere", "kelvin", "Table", "1.", "2:", "<b>", "`x`", "|", "3.14", "-", "**", "[1]",
                         "<script>alert(1)</script>", "```", "~~~~", "see", "default", "A.1", "é", "\t", "#"])
LINE = st.lists(WORDS, min_size=0, max_size=8).map(" ".join)
_FENCE = re.compile(r"^(`{3,}|~{3,})")


def _fenced_lines(answer: str) -> list[str]:
    out, fence = [], ""
    for line in answer.splitlines():
        match = _FENCE.match(line.strip())
        if match and (not fence or line.strip().startswith(fence)):
            fence = "" if fence else match[1]
            continue
        if fence:
            out.append(line)
    return out


@settings(max_examples=60, deadline=None)
@example(1, "", [], ["# ```", "# ampere"], "ampere")  # a heading of a fence opened a block
@given(st.integers(1, 30), LINE, st.lists(LINE, min_size=0, max_size=12), st.lists(LINE, max_size=3), LINE)
def test_a_captioned_table_of_any_text_is_quoted_from_its_source(number: int, caption: str, rows: list[str],
                                                                  after: list[str], question: str) -> None:
    text = "\n".join([f"Table {number}: {caption}", *rows, *after])
    hits = [Hit(id="a", text=text, source="units.pdf", page=1),
            Hit(id="b", text=f"The units are listed in Table {number}.\n\n| name | value |\n|---|---|\n| {caption} | 1 |",
                source="guide.md")]
    answer = extractive_answer(f"which units does table {number} list? {question}", hits, levers=SHIPPED)
    source_lines = {line.strip() for hit in hits for line in hit.text.splitlines()}
    for line in _fenced_lines(answer):
        assert line.strip() in source_lines or line.strip() == "…", line
    html = render_markdown(answer, citations=2)
    assert "<script>" not in html and "<b>" not in html
