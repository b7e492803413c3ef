"""Probe 9: random tables under captions, and Markdown tables, through the offline answer layer (the caption
blocks, the named-row bonus, the numbered-title malus): no exception, what a fenced block quotes are lines of a
source, and a caption's markup stays text in the HTML view."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jupyter_docchat.markdown_html import render_markdown
from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import extractive_answer
from jupyter_docchat.qa.table_pieces import with_table_neighbours
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


CELL = st.sampled_from(["a", "b b", "`x`", "**y**", "<i>", "1.2", "", "Table 2:", "\\|"])
HEADERS = st.sampled_from([("name", "value"), ("name", "value", "note"), ("key", "value")])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(HEADERS, st.lists(st.lists(CELL, min_size=1, max_size=3), min_size=0, max_size=4),
                          st.booleans()), min_size=1, max_size=5), st.data())
def test_table_pieces_of_any_file_join_only_its_own_lines(pieces, data) -> None:
    chunks = []
    for n, (header, rows, intro) in enumerate(pieces):
        lines = (["The plugins:", ""] if intro else []) + [f"| {' | '.join(header)} |", "|" + "---|" * len(header)] \
            + [f"| {' | '.join((row + [''] * len(header))[:len(header)])} |" for row in rows]
        chunks.append(Hit(id=f"c{n}", text="\n".join(lines), source="t.md", start_line=10 * n + 1, end_line=10 * n + 9))
    picked = data.draw(st.lists(st.sampled_from(chunks), unique_by=lambda h: h.id, min_size=1, max_size=3))
    joined = with_table_neighbours(picked, lambda source: list(chunks) if source == "t.md" else [])
    assert [h.id for h in joined] == [h.id for h in picked]
    file_lines = {line for c in chunks for line in c.text.splitlines()}
    for before, after in zip(picked, joined):
        assert set(after.text.splitlines()) <= file_lines
        assert after.start_line <= before.start_line and after.end_line >= before.end_line
    answer = extractive_answer("which value has the name a b?", joined, levers=SHIPPED)
    assert "<i>" not in render_markdown(answer, citations=len(joined))


def test_a_variable_named_like_release_notes_is_not_ranked_as_one(ip) -> None:
    # A variable's source is its name: one named "news" (or "NEWS", "whatsnew") lost the release notes' 0.1 in
    # the offline answer, as if the frame the question is about were a changelog.
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.qa.variables import variable_hits

    frame = pd.DataFrame({"headline": ["Rates rise", "Bank fails"], "clicks": [120, 80]})
    scores = {}
    for name in ("news", "feed"):
        ip.user_ns[name] = frame
        [hit] = variable_hits(ip.user_ns, [name])
        best = rank_units("Which headline has the most clicks?", [hit], levers=SHIPPED)[0]
        scores[name] = best.bonus
    assert scores["news"] == scores["feed"]
