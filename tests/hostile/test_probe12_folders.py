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


def test_a_folder_holding_a_path_too_long_to_open_is_indexed_and_names_it(tmp_path: Path) -> None:
    # a tree nested past PATH_MAX (4,096 bytes on Linux; an unpacked archive, a node_modules of old npm) failed the
    # whole update with "the store at ... cannot be written: File name too long": the store was never at fault
    import os

    docs = write_tree(tmp_path / "docs", {"top.md": "# Top\n\nThe walrus ferry leaves at noon.\n"})
    fd = os.open(docs, os.O_RDONLY)
    try:
        for n in range(24):  # 24 folders of 203 characters: past 4,096 however deep tmp_path is
            name = f"d{n:02d}" + "x" * 200
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"# Deep\n\nThe walrus ferry at depth.\n")
        os.close(out)
    finally:
        os.close(fd)
    with DocIndex(tmp_path / "store") as index:
        report = index.update(docs)
        assert report.added == 1 and "path too long" in report.summary()
        assert index.search("walrus ferry", k=1, mode="lexical")[0].source == "top.md"


def test_eval_names_a_file_whatever_unicode_form_its_name_was_written_in(tmp_path: Path) -> None:
    # a folder from a Mac keeps "café.md" decomposed (e + U+0301); the questions file, typed here, names it composed:
    # every score was 0 without a word why
    import unicodedata

    docs = write_tree(tmp_path / "docs", {unicodedata.normalize("NFD", "café.md"): "# Café\n\nThe walrus café opens at seven.\n",
                                         "other.md": "# Other\n\nTea and biscuits.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        report = index.evaluate([{"question": "When does the walrus café open?",
                                  "expected": [unicodedata.normalize("NFC", "café.md")]}])
    assert report.rows[0]["lexical"] == 1


def test_patterns_name_a_file_whatever_unicode_form_its_name_was_written_in(tmp_path: Path) -> None:
    # --exclude "café.md" typed here left a Mac folder's decomposed café.md in; --glob "café*" indexed nothing of it
    import unicodedata

    from jupyter_docchat.indexing.index_options import IndexOptions

    docs = write_tree(tmp_path / "docs", {unicodedata.normalize("NFD", "café.md"): "# Café\n\nThe walrus café.\n",
                                         "other.md": "# Other\n\nTea and biscuits.\n"})
    nfc = unicodedata.normalize("NFC", "café")
    with DocIndex(tmp_path / "store") as index:
        assert index.update(docs, IndexOptions(excludes=[f"{nfc}.md"])).added == 1
        assert index.update(docs, IndexOptions(globs=[f"{nfc}*"])).added == 1
        assert [h.source for h in index.search("walrus café", k=2, mode="lexical")] == \
            [unicodedata.normalize("NFD", "café.md")]
