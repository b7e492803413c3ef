"""Probe 8: what a folder holds besides documents, and what the store holds besides its own files."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import write_tree

from jupyter_docchat import DocIndex


def test_a_loop_of_links_is_named_and_the_rest_indexed(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"notes.md": "# Rates\n\nThe deposit rate is four percent.\n"})
    os.symlink("loop2", docs / "loop1")
    os.symlink("loop1", docs / "loop2")
    os.symlink("self", docs / "self")
    index = DocIndex(tmp_path / "store")
    report = index.update(docs)  # failed whole: "the store at ... failed: Symlink loop from '.../loop1'"
    assert report.added == 1
    assert sorted(report.skipped_files) == [("loop1", "link loop"), ("loop2", "link loop"), ("self", "link loop")]
    assert index.search("deposit rate", k=1)[0].source == "notes.md"
    index.close()
