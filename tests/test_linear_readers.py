"""Reading and chunking stay linear in a file's size, and no reader stalls on hostile text: the leftovers of
bench/README.md's "Left:" notes (a page of empty headings, a notebook of headings that are not top-level ones, a
heading of "![" repeated, LaTeX sectioning commands written over lines or several to a line)."""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import markdown, read_sections


def _seconds(read: Callable[[], object], runs: int = 2) -> float:
    """The least of ``runs`` timings (a shared machine's pauses only ever add)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        read()
        times.append(time.process_time() - start)
    return min(times)


def _read_and_chunk(name: str, text: str) -> Callable[[], object]:
    def read() -> object:
        return Chunker(1000, 100).chunk(name, "h", read_sections(Path(name), text.encode()))
    return read


def _doubling(name: str, make: Callable[[int], str], size: int) -> tuple[float, float]:
    one, two = (_seconds(_read_and_chunk(name, make(n))) for n in (size, 2 * size))
    assert two < 2.2 * one + 0.05, (name, one, two)  # + 0.05 s: a timer's and a shared machine's noise
    return one, two


# 1. A page of empty headings ("\n# " repeated): markdown-it's block parse is the least it costs, and the reader
# cost as much again on top (each heading's inline parse, the trail read afresh), 10-17 s/MB.

def _empty_headings(n: int) -> str:
    return "\n# " * (n // 3)


def test_a_page_of_empty_headings_is_read_in_linear_time() -> None:
    one, two = _doubling("a.md", _empty_headings, 40_000)
    assert two < 2, two  # 80 kB


def test_a_heading_without_markup_is_not_parsed_and_each_title_is_read_once(monkeypatch) -> None:
    calls = []
    parser = markdown._inline_parser()

    class Counting:
        def parseInline(self, *args, **kwargs):  # noqa: N802 (markdown-it's name)
            calls.append(args[0])
            return parser.parseInline(*args, **kwargs)

    monkeypatch.setattr(markdown, "_inline_parser", lambda links=True: Counting())
    text = "\n# " * 1000 + "\n## Plain words, numbers 1.5 (and more)\n" * 100 + "\n## With `code`\n" * 100
    sections = read_sections(Path("a.md"), text.encode())
    assert calls == ["With `code`"]  # 1,201 before: every heading parsed, each time again
    assert {s.heading for s in sections} >= {"Plain words, numbers 1.5 (and more)", "With code"}


def test_a_page_of_small_blocks_is_parsed_without_full_collections() -> None:
    full = []

    def count(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(count)
    try:
        was = gc.isenabled()
        read_sections(Path("a.md"), _empty_headings(100_000).encode())
        assert gc.isenabled() == was  # the collector is on again after
    finally:
        gc.callbacks.remove(count)
    assert not full, len(full)  # each walked every token alive again


# 2. A notebook's Markdown cell of lines that look like headings and are not top-level ones: it was parsed down to
# its first such line and twice as far each time, two to three parses of the whole cell (20-25 s/MB).

@pytest.fixture(scope="module")
def nbformat_loaded() -> None:
    """nbformat imported before a test's time starts (3 s: jsonschema's format checkers build a grammar)."""
    import nbformat  # noqa: F401


def _notebook(*sources: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": source} for source in sources],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


NOT_TOP_LEVEL = ("- x\n  # a\n", "- x\n  ## a\n  ### b\n", "> x\n> ## a\n", "\n---", "a\n\n===", "<div>\n## a\n")


def test_a_cell_of_headings_that_are_not_top_level_is_parsed_once_at_most(monkeypatch, nbformat_loaded) -> None:
    from markdown_it import MarkdownIt

    parsed = []
    parse = MarkdownIt.parse

    def counting(self, src, env=None):
        parsed.append(len(src))
        return parse(self, src, env)

    monkeypatch.setattr(MarkdownIt, "parse", counting)
    for unit in NOT_TOP_LEVEL:
        cell = unit * (20_000 // len(unit))
        parsed.clear()
        [section] = read_sections(Path("n.ipynb"), _notebook(cell).encode())
        assert section.heading == "", unit
        assert sum(parsed) <= len(cell) + 100, (unit, len(cell), parsed)  # 2.5 times the cell before


def test_a_notebook_of_headings_that_are_not_top_level_is_read_in_linear_time(nbformat_loaded) -> None:
    _doubling("n.ipynb", lambda n: _notebook("- x\n  # a\n" * (n // 10)), 60_000)


def test_a_cell_s_title_is_found_at_once_where_it_is_near_the_top(monkeypatch, nbformat_loaded) -> None:
    from markdown_it import MarkdownIt

    parsed = []
    parse = MarkdownIt.parse
    monkeypatch.setattr(MarkdownIt, "parse", lambda self, src, env=None: parsed.append(len(src)) or parse(self, src, env))
    for cell, title in (("Intro.\n\n# Title\n" + "- x\n  # a\n" * 5000, "Title"),
                        ("- x\n  # a\n" * 5000 + "\n# Title\n" + "text\n" * 5000, "Title"),
                        ("Results\n=======\n" + "- x\n  # a\n" * 5000, "Results")):
        parsed.clear()
        [section] = read_sections(Path("n.ipynb"), _notebook(cell).encode())
        assert section.heading == title
        assert sum(parsed) <= len(cell) + 100, (title, parsed)


# 3. A heading of "![" repeated: each "[" the link and image rules try walks the rest of the title, nested up to
# markdown-it's 20 levels (37 ms a heading of 1,000 characters; 37 s/MB).

def test_a_heading_of_open_brackets_is_read_at_once() -> None:
    for unit in ("![", "[", "![a", "[![", "! [", "![ "):
        title = (unit * 1000)[:990]
        one = _seconds(lambda: markdown.heading_text(title, {}), runs=3)
        assert one < 0.010, (unit, one)  # 16-37 ms before
    page = "".join(f"# {'![' * 400} {n}\n" for n in range(250))  # 200 kB of them
    _doubling("a.md", lambda n: page[:n], 100_000)


def test_a_title_of_many_brackets_that_may_link_reads_as_written() -> None:
    link = "![" * 300 + "](x)"
    assert markdown.heading_text(link, {}) == "![" * 300 + "](x)"
    badges = "Tool [![CI](https://ci/badge.svg)](https://ci) [![PyPI](https://pypi/v.svg)](https://pypi)"
    assert markdown.heading_text(badges, {}) == "Tool"


_MARKUP = st.text(alphabet="![]()*_`<>&#;\\ ax:/.\n\"'", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_MARKUP)
def test_a_title_that_cannot_link_reads_the_same_without_the_link_rules(title: str) -> None:
    if "](" in title:
        title = title.replace("](", "] (")
    tokens = [(t.type, t.content) for t in markdown._inline_parser().parseInline(title, {})[0].children or []]
    screened = [(t.type, t.content) for t in markdown._inline_parser(False).parseInline(title, {})[0].children or []]
    assert screened == tokens
