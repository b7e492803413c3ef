"""Probe 12: indexing a different folder that gives nothing to index (a typo naming an empty folder, a folder whose
files are all ignored, /dev) emptied the collection: every file of the folder it mirrored was removed, vectors and
all, and the summary said so only afterwards. A folder that gives nothing now is an error that changes nothing; the
folder the collection mirrors, emptied, still empties it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import FolderError


def _indexed(tmp_path: Path) -> tuple[DocIndex, Path]:
    docs = write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe walrus ferry leaves at noon.\n",
                                         "b.md": "# B\n\nThe harbour opens at dawn.\n"})
    index = DocIndex(tmp_path / "store")
    index.update(docs)
    return index, docs


@pytest.mark.parametrize("other", ["empty", "ignored"])
def test_another_folder_with_nothing_to_index_leaves_the_collection_alone(tmp_path: Path, other: str) -> None:
    index, docs = _indexed(tmp_path)
    with index:
        folder = tmp_path / other
        folder.mkdir()
        if other == "ignored":
            write_tree(folder, {".gitignore": "*.md\n", "notes.md": "# Notes\n\nignored\n"})
        with pytest.raises(FolderError, match="no files to index") as raised:
            index.update(folder)
        assert "nothing was removed" in str(raised.value)
        assert [c.files for c in index.status()] == [2] and index.status()[0].root == str(docs)
        assert index.search("walrus ferry", k=1, mode="lexical")[0].source == "a.md"


def test_the_mirrored_folder_emptied_still_empties_the_collection(tmp_path: Path) -> None:
    index, docs = _indexed(tmp_path)
    with index:
        for f in docs.iterdir():
            f.unlink()
        report = index.update(docs)
        assert report.removed == 2 and index.status()[0].files == 0
