"""A Markdown heading's trail reads its markup ("Install with pip & run"), in a file and in a notebook; the heading
line in the text stays as written."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_tree
from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.markdown import heading_text
from jupyter_docchat.types import HeadingTrail

INTRO = " ".join(["The guide walks through the marsh station's equipment, one instrument a page."] * 14)
HEADING = "Install with `pip` &amp; **run** it ([docs](https://example.org/docs)) ![badge](ci.svg)"


def test_the_trail_reads_a_heading_s_markup_and_the_text_keeps_it(tmp_path: Path) -> None:
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": f"## {HEADING}"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import subprocess\nsubprocess.run(['pip', 'install', 'heronlib'])"}]}
    folder = write_tree(tmp_path / "docs", {
        "guide.md": f"# Guide\n\n{INTRO}\n\n## {HEADING}\n\nRun the heronlib installer and wait for the egret banner.\n",
        "setup.ipynb": json.dumps(notebook)})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hit = next(h for h in index.search("heronlib installer egret banner", k=5) if h.source == "guide.md")
        assert HeadingTrail.of(hit.heading).parts == ("Guide", "Install with pip & run it (docs)")
        assert "`pip` &amp; **run**" in hit.text
        cell = next(h for h in index.search("subprocess heronlib install", k=5) if h.source == "setup.ipynb")
        assert HeadingTrail.of(cell.heading).parts == ("Install with pip & run it (docs)",)


WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
MARKUP = st.sampled_from(["{}", "**{}**", "*{}*", "`{}`", "[{}](https://example.org/x)", "_{}_"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORD, MARKUP), min_size=1, max_size=6))
def test_marked_up_words_read_as_the_words(words: list[tuple[str, str]]) -> None:
    assert heading_text(" ".join(markup.format(word) for word, markup in words)) == " ".join(w for w, _ in words)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_heading_reads_as_one_line(text: str) -> None:
    title = heading_text(text)
    assert "\n" not in title and "\r" not in title and title == title.strip()


def test_a_heading_that_is_only_a_picture_reads_as_its_alt_text() -> None:
    """A README's banner heading ("# ![Project logo](logo.png)") headed its sections with an empty trail; a badge
    beside a heading's words stays out of it."""
    assert heading_text("![Heron tracker logo](logo.png)") == "Heron tracker logo"
    assert heading_text("[![Build status](ci.svg)](https://ci.example.org)") == "Build status"
    assert heading_text("Install ![PyPI](https://img.example.org/pypi.svg)") == "Install"
    assert heading_text("![](logo.png)") == ""


def test_a_picture_heading_heads_its_section_in_a_real_store(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"README.md": (
        "# ![Heron tracker](logo.png)\n\nThe heron tracker logs each bird's flight from its GPS collar.\n\n"
        "## Install\n\nRun pip install herontracker inside a fresh virtual environment.\n")})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hit = index.search("How do I install the heron tracker?", k=1)[0]
        assert hit.heading.startswith("Heron tracker")
