"""A direction override a document or a model leaves open ends with its piece of text in the answer's HTML: a
document's "\u202etxt.exe" reversed the rest of its paragraph, the citation after it too (probe 24). Balanced
controls, as right-to-left text writes them, are kept; nothing is removed. The function alone, a Hypothesis
property, then an answer from a real store rendered by IPython's display formatter."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st
from IPython.core.interactiveshell import InteractiveShell

from jupyter_docchat import DocIndex
from jupyter_docchat.markdown_html import bidi_closed, render_markdown

RLO, PDF, RLI, PDI, LRE = "\u202e", "\u202c", "\u2067", "\u2069", "\u202a"


def _depth_left(text: str) -> int:
    """How many overrides, embeddings and isolates stay open at the end of ``text`` (the algorithm's pairing)."""
    stack: list[str] = []
    for ch in text:
        if ch in "\u202a\u202b\u202d\u202e":
            stack.append("e")
        elif ch in "\u2066\u2067\u2068":
            stack.append("i")
        elif ch == PDF and stack and stack[-1] == "e":
            stack.pop()
        elif ch == PDI and "i" in stack:
            while stack.pop() != "i":
                pass
    return len(stack)


def test_an_open_override_is_closed_and_a_balanced_isolate_kept() -> None:
    assert bidi_closed(f"txt{RLO}exe") == f"txt{RLO}exe{PDF}"
    assert bidi_closed(f"a {RLI}שלום{PDI} b") == f"a {RLI}שלום{PDI} b"
    assert bidi_closed(f"{RLI}{LRE}x") == f"{RLI}{LRE}x{PDF}{PDI}"
    assert bidi_closed("plain") == "plain"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab [1]\n") + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                                            "\u2066", "\u2067", "\u2068", "\u2069"]), max_size=40))
def test_nothing_is_left_open_and_nothing_removed(text: str) -> None:
    closed = bidi_closed(text)
    assert closed.startswith(text) and _depth_left(closed) == 0
    html = render_markdown(text, citations=1)
    for paragraph in html.split("</p>"):
        assert _depth_left(paragraph.split('<a class="docchat-cite"')[0]) == 0


def test_an_answer_quoting_an_override_keeps_its_citation_in_place(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text(
        f"Ferry notes\n\nThe walrus ferry leaves from pier {RLO}exe.txt every morning at nine.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(tmp_path / "docs")
        answer = index.ask("When does the walrus ferry leave?")
    bundle, _ = InteractiveShell.instance().display_formatter.format(answer)
    page = bundle["text/html"]
    assert 'class="docchat-cite"' in page
    before_citation = page.split('class="docchat-cite"')[0]
    assert RLO in before_citation and _depth_left(before_citation.rsplit("<p", 1)[-1]) == 0
