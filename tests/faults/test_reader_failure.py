"""A reader's own fault on one file skips that file, named with the error's kind; the rest of the folder is indexed.

Probe 30: a notebook whose cell's source was null ended `docchat index` with "the store at ... failed: 'NoneType' object has
no attribute 'strip'" and nothing indexed, the store blamed for a reader's bug. That notebook is read now; this is the
net under every reader for the next such bug, made here by a reader that fails on one file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing import read_file
from jupyter_docchat.indexing.read_file import READER_FAILED


def fail_on_bad(monkeypatch, error: type[Exception]) -> None:
    """A reader that fails with ``error`` on each file whose name starts "bad", and reads the others."""
    read = read_file.read_sections

    def failing(path: Path, data: bytes):
        if path.name.startswith("bad"):
            raise error("a reader's bug")
        return read(path, data)

    monkeypatch.setattr(read_file, "read_sections", failing)


@pytest.mark.parametrize("error", [TypeError, RecursionError, KeyError])
def test_the_file_a_reader_fails_on_is_named_and_the_rest_indexed(tmp_path: Path, monkeypatch, error) -> None:
    fail_on_bad(monkeypatch, error)
    folder = write_tree(tmp_path / "docs", {
        "good.md": "# Tides\n\nThe spring tide at the harbour reached four metres on the night of the storm.\n",
        "bad.md": "# Broken\n\nThis file makes the reader fail.\n",
        "more.txt": "The ferry timetable changes on the first Monday of April every year.\n",
    })
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert ("bad.md", f"{READER_FAILED} ({error.__name__})") in report.skipped_files
        assert set(index.catalog.files(index.collection)) == {"good.md", "more.txt"}
        assert index.search("spring tide harbour", k=1)[0].source == "good.md"
        assert READER_FAILED in report.summary()


def test_a_file_indexed_before_and_failing_now_does_not_stop_the_update(tmp_path: Path, monkeypatch) -> None:
    fail_on_bad(monkeypatch, TypeError)
    folder = write_tree(tmp_path / "docs", {"good.md": "# A\n\nThe first note says the lighthouse keeper retired.\n",
                                            "notes.md": "# B\n\nThe second note names the new keeper.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        (folder / "bad.md").write_text("# C\n\nA third note the reader fails on.\n")
        (folder / "notes.md").write_text("# B\n\nThe second note, edited, names the new keeper again.\n")
        report = index.update(folder)
        assert ("bad.md", f"{READER_FAILED} (TypeError)") in report.skipped_files
        assert "edited" in index.search("second note new keeper", k=1)[0].text
