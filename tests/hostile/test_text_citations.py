"""Issue 22, item 10: a literal ``[1]`` inside a quoted document is not turned into a link to this answer's
source 1; the answer's own citations still are. With property tests of citation linking."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ask
from hypothesis import given, settings, strategies as st

from jupyter_docchat.safe_text import quoted_text
from jupyter_docchat.markdown_html import render_markdown

CITE = re.compile(r'<a class="docchat-cite" href="#[^"]*-src-(\d+)">\[\d+\]</a>')


def test_a_documents_own_footnote_mark_is_not_linked(ip, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "term_sheet.md").write_text(
        "# Term sheet\n\nThe haircut on pledged collateral is waived, as footnote [1] of the term sheet says [2].\n\n"
        "Collateral such as `bonds[1]` is valued at par.\n")
    (docs / "other.md").write_text("# Other\n\nDeposits are insured up to the limit.\n")
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    view = ask(ip, "What does the term sheet say about the haircut on pledged collateral?", "--no-stream")
    html = view._repr_mimebundle_()["text/html"]
    assert "footnote [1] of the term sheet says [2]" in html  # shown as written, not linked
    linked = CITE.findall(html)
    assert linked and set(linked) <= {str(s["n"]) for s in view.turn.sources}
    # Each link is the answer's own citation, at the end of a quote.
    assert len(linked) == len(re.findall(r"(?<!\\)\[(\d+)\](?:\n|$)", view.turn.answer)), view.turn.answer


def test_the_escape_and_the_code_span_keep_a_mark_unlinked() -> None:
    html = render_markdown(quoted_text("footnote [1], `a[1]`, ``b`[2]``, \\[3] and \\\\[1]") + " [1]", 3, "x")
    assert CITE.findall(html) == ["1"]
    assert "footnote [1], <code>a[1]</code>, <code>b`[2]</code>, [3] and \\[1] <a" in html


# Pieces that make Markdown: citation marks, code spans, escapes, emphasis, links and their definitions.
MARKDOWNISH = st.lists(st.sampled_from([*"ab [1]2`\\*_<>&#!():\n -", "[1]", "[2]", "](u)", "\n[1]: u\n"]),
                       max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH, count=st.integers(0, 3))
def test_linking_only_wraps_existing_sources_marks_and_changes_nothing_else(text: str, count: int) -> None:
    linked = render_markdown(text, count, "a")
    numbers = [int(n) for n in CITE.findall(linked)]
    assert all(1 <= n <= count for n in numbers)
    unwrapped = CITE.sub(lambda m: f"[{m[1]}]", linked)
    assert unwrapped == render_markdown(text)  # the same HTML but for the links


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH)
def test_quoted_text_is_never_linked_and_renders_the_same_text(text: str) -> None:
    assert CITE.findall(render_markdown(quoted_text(text), 999, "a")) == []
    # A document's "[1](u)" and "[1]: u" are shown as written, and a code span across lines may show a
    # backslash (a unit quoted is one line): otherwise the escape does not show.
    if "](" not in text and "]:" not in text and "\n" not in text:
        assert render_markdown(quoted_text(text)) == render_markdown(text)
