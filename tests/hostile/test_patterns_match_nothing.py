"""A mistyped ``--glob`` or ``--exclude`` that matches none of the folder's files used to mirror the
folder as the patterns saw it: an empty folder, so every file of the collection was removed (found by
probe 3: ``%docchat_index docs --glob '/etc/*'``: "6 removed, 0 in store"). Patterns that leave nothing
of a folder that holds files are a mistake: refused in one line, the collection kept. A folder that is
really empty still empties its collection (the user deleted the files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import FolderError
from jupyter_docchat.indexing.index_options import IndexOptions


def _indexed(tmp_path: Path) -> tuple[DocIndex, Path, int]:
    from conftest import EXAMPLE_DOCS

    docs = tmp_path / "docs"
    shutil.copytree(EXAMPLE_DOCS, docs)
    index = DocIndex(tmp_path / "store")
    index.update(docs)
    return index, docs, len(index.catalog.files(index.collection))


@pytest.mark.parametrize("options", [IndexOptions(globs=["/etc/*"]), IndexOptions(excludes=["*"]),
                                     IndexOptions(globs=["*.nothing"], excludes=["*.md"])])
def test_patterns_that_leave_nothing_are_refused_and_the_collection_kept(tmp_path: Path, options: IndexOptions) -> None:
    index, docs, before = _indexed(tmp_path)
    try:
        with pytest.raises(FolderError) as caught:
            index.update(docs, options)
        message = str(caught.value)
        assert "\n" not in message
        assert "match none" in message and "nothing was removed" in message
        assert len(index.catalog.files(index.collection)) == before
        assert index.search("deposit insurance", k=1)
    finally:
        index.close()


def test_a_folder_really_emptied_still_empties_its_collection(tmp_path: Path) -> None:
    index, docs, before = _indexed(tmp_path)
    try:
        assert before > 0
        for path in docs.iterdir():
            path.unlink() if path.is_file() else shutil.rmtree(path)
        (docs / "keep.md").write_text("# Kept\n\nOne file left.\n")
        report = index.update(docs, IndexOptions(globs=["*.md"]))
        assert list(index.catalog.files(index.collection)) == ["keep.md"]
        assert report.removed == before
    finally:
        index.close()


def test_the_cli_says_so_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    index, docs, before = _indexed(tmp_path)
    index.close()
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(tmp_path / "store"), "index",
                           str(docs), "--glob", "/etc/*"], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "match none" in done.stderr and "Traceback" not in done.stderr
    index = DocIndex(tmp_path / "store")
    try:
        assert len(index.catalog.files(index.collection)) == before
    finally:
        index.close()
