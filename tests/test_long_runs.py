"""A run of characters without a space (a pasted image's base64, a line of "=") is cut short when read:
indexed whole, a 30 kB image was 190 chunks of gibberish that came second for every question."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.clean import KEPT, LONG_RUN, shorten_runs, spaceless_text


def _image(size: int = 30_000) -> str:
    return base64.b64encode(random.Random(0).randbytes(size)).decode()


def test_a_pasted_image_is_one_short_line_not_pages_of_chunks(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text(f"# Notes\n\nHere is the plot:\n\n![plot](data:image/png;base64,{_image()})\n\n"
                                   "The plot shows growth.\n")
    cell = {"cell_type": "markdown", "metadata": {}, "source": f"## Chart\n\n![chart](data:image/png;base64,{_image()})\n"}
    (docs / "chart.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (docs / "report.txt").write_text("Report\n" + "=" * 3000 + "\nThe zebra enclosure opens at 9 am.\n")
    (docs / "zoo.md").write_text("# Zoo\n\nThe zebra enclosure opens at 9 am daily.\n")
    index = DocIndex(tmp_path / "store")
    try:
        report = index.update(docs)
        assert report.chunks_total <= 5, report  # 200 and more before
        notes = index.file_chunks("notes.md")
        assert len(notes) == 1 and "data:image/png;base64," in notes[0].text and "characters left out)" in notes[0].text
        assert notes[0].location == "lines 1-7"  # the image's line is still one line
        for name in ("notes.md", "chart.ipynb", "report.txt", "zoo.md"):
            for hit in index.file_chunks(name):
                assert max(map(len, hit.text.split())) < LONG_RUN, (name, hit.text[:200])
        hits = index.search("When does the zebra enclosure open?", k=2, mode="dense")
        assert {h.source for h in hits} == {"zoo.md", "report.txt"}, [(h.source, h.text[:40]) for h in hits]
    finally:
        index.close()


_RUN = st.text(alphabet=st.characters(blacklist_categories=("Zs", "Cc", "Zl", "Zp")), min_size=LONG_RUN, max_size=2000)


@given(st.lists(st.one_of(st.text(max_size=80), _RUN), max_size=8))
def test_runs_are_cut_and_lines_kept(parts: list[str]) -> None:
    text = " \n".join(parts)
    short = shorten_runs(text)
    assert short.count("\n") == text.count("\n")
    assert all(len(word) < LONG_RUN or spaceless_text(word) for word in short.split()), short
    assert shorten_runs(short) == short
    if all(len(word) < LONG_RUN or spaceless_text(word) for word in text.split()):
        assert short == text
    for part in parts:
        if len(part) >= LONG_RUN and not any(c.isspace() for c in part) and not spaceless_text(part):
            assert f"{part[:KEPT]}… ({len(part) - KEPT:,} characters left out)" in short
