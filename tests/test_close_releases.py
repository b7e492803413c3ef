"""DocIndex.close lets go of Chroma's files: a process that opens store after store (a script indexing folder
after folder, a kernel switching stores) does not keep a dozen descriptors open for each one it closed."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_docchat import DocIndex

from conftest import write_tree


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_closing_an_index_closes_its_chroma_files(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"a.md": "# Reserves\n\nThe reserve ratio was ten percent.\n"})
    counts = []
    for n in range(6):
        with DocIndex(tmp_path / f"store{n}") as index:
            index.update(docs)
            assert index.search("reserve ratio", k=1, mode="dense")
        counts.append(_open_descriptors())
    # Before: about 12 more for every store opened and closed (57 after the fourth, from 22 after the first).
    assert counts[-1] - counts[1] < 6, counts


def test_closing_one_of_two_indexes_on_a_store_leaves_the_other_working(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"a.md": "# Reserves\n\nThe reserve ratio was ten percent.\n"})
    with DocIndex(tmp_path / "store") as first:
        first.update(docs)
    one, two = DocIndex(tmp_path / "store"), DocIndex(tmp_path / "store")
    assert one.search("reserve ratio", k=1, mode="dense") and two.search("reserve ratio", k=1, mode="dense")
    one.close()
    hits = two.search("how high was the reserve ratio?", k=1, mode="dense")
    assert hits and hits[0].dense is not None and "ten percent" in hits[0].text
    two.update(docs)  # and it still writes
    two.close()
