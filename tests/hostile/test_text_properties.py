"""Property tests (issue 22) of the text cleaners and the history export and load: no escape sequence,
control or bidirectional character survives; exported Markdown renders as the text it holds, with nothing
live in it (read by a renderer that allows raw HTML, the worst a user may open it with); JSON round-trips."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from jupyter_docchat.safe_text import clean_text, for_terminal, markdown_text
from jupyter_docchat.views.history import save, to_markdown, turns

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\ud800-\udfff]")
# Any character (surrogates too), and more often the ones that attack a terminal or a Markdown file.
HOSTILE = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.sampled_from(["\x1b", "\x1b[31m", "\x1b]8;;http://x\x07", "\x1b]0;t\x1b\\", "\x07", "\x9b", "\r", "\t", "\n",
                     "\n\n", "    ", *BIDI, "\ud800", "\udcff", "<script>", "<img src=x onerror=1>", "[a](javascript:1)",
                     "![i](x)", "<http://x>", "# ", "- ", "1. ", "> ", "```", "~~~", "***", "===", "&amp;", "\\", "*", "_",
                     "`", "[1]", "[r]: http://x", "|", "http://x.org"]))
TEXT = st.lists(HOSTILE, max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=TEXT)
def test_for_terminal_leaves_no_escape_control_or_bidi_character(text: str) -> None:
    shown = for_terminal(text)
    assert not FORBIDDEN.search(shown)
    assert for_terminal(shown) == shown
    if not FORBIDDEN.search(text) and "\x1b" not in text:
        assert shown == text  # printable text is left as it is


class _Rendered(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(markdown: str) -> _Rendered:
    page = _Rendered()
    page.feed(MarkdownIt("commonmark", {"html": True, "linkify": True}).render(markdown))
    page.close()
    return page


def words(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=500, deadline=None)
@given(text=TEXT, one_line=st.booleans())
def test_markdown_text_renders_as_the_text_it_holds_and_nothing_else(text: str, one_line: bool) -> None:
    markdown = markdown_text(text, one_line=one_line)
    assert not FORBIDDEN.search(markdown)
    page = rendered(markdown)
    assert page.tags <= {"p", "br"} and not page.attrs, (markdown, page.tags)
    assert words("".join(page.text)) == words(for_terminal(text).replace("\x00", ""))


SOURCE = st.fixed_dictionaries({"source": TEXT, "location": TEXT, "text": TEXT, "n": st.integers(1, 9),
                                "score": st.floats(allow_nan=False, allow_infinity=False)})
ENTRY = st.fixed_dictionaries(
    {"question": TEXT.filter(lambda t: bool(t)), "answer": TEXT},
    optional={"standalone": TEXT, "model": TEXT, "time": TEXT, "status": TEXT, "note": TEXT, "refreshed": TEXT,
              "notices": st.lists(TEXT, max_size=2), "sources": st.lists(SOURCE, max_size=3),
              "seconds": st.floats(0, 100), "usage": st.none()})


@settings(max_examples=200, deadline=None)
@given(history=st.lists(ENTRY, max_size=4))
def test_history_saved_as_json_loads_back_the_same_turns(history: list) -> None:
    with TemporaryDirectory() as folder:
        path = save(history, Path(folder) / "h.json")
        loaded = json.loads(path.read_text(encoding="utf-8"))
    assert [t.to_dict() for t in turns(loaded)] == loaded  # what was saved loads back as it is
    assert [(t["question"], t["answer"], len(t["sources"])) for t in loaded] == [
        (clean_text(e["question"]), clean_text(e["answer"]), len(e.get("sources", []))) for e in history]
    assert [t["notices"] for t in loaded] == [[clean_text(n) for n in e.get("notices", [])] for e in history]


@settings(max_examples=200, deadline=None)
@given(history=st.lists(ENTRY, max_size=4))
def test_history_markdown_has_nothing_live_and_shows_every_question(history: list) -> None:
    markdown = to_markdown(history)
    assert not FORBIDDEN.search(markdown)
    page = rendered(markdown)
    # an answer's code block stays one (probe 27): its lines are shown as they are, nothing in them is live
    assert page.tags <= {"h1", "h2", "p", "em", "br", "pre", "code"} and not page.attrs, page.tags
    shown = words("".join(page.text))
    for entry in history:
        assert words(for_terminal(clean_text(entry["question"]))) in shown
