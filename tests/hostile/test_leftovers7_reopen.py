"""Leftover 7.7: when another process's vectors make an index open Chroma afresh (reopen_client), the client it
replaced was never closed: its database and files stayed open for good, a dozen descriptors a reopen. It is
closed when it alone holds its system; a system another index shares is left to that index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.store import vectors


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    docs = write_tree(tmp_path / "docs", {"a.md": "# Reserves\n\nThe reserve ratio was ten percent.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
    return tmp_path / "store"


def _another_process_wrote(store: Path, n: int) -> None:
    (store / "chroma" / vectors.WRITER_FILE).write_text(f"4242-another {n} {vectors.SETTLED}")


def test_a_reopen_closes_the_client_it_replaces(store: Path) -> None:
    index = DocIndex(store)
    assert index.search("reserve ratio", k=1, mode="dense")
    counts = []
    for n in range(6):
        _another_process_wrote(store, n)
        hits = index.search("how high was the reserve ratio?", k=1, mode="dense")
        assert hits and hits[0].dense is not None and "ten percent" in hits[0].text
        counts.append(_open_descriptors())
    # Before: about a dozen more for every reopen, the replaced clients' files all still open.
    assert counts[-1] - counts[0] < 6, counts
    index.close()


def test_a_reopen_leaves_a_system_another_index_shares_working(store: Path) -> None:
    one, two = DocIndex(store), DocIndex(store)
    assert one.search("reserve ratio", k=1, mode="dense") and two.search("reserve ratio", k=1, mode="dense")
    _another_process_wrote(store, 1)
    assert one.search("reserve ratio", k=1, mode="dense")  # one reopens; two's client is the same system
    hits = two.search("how high was the reserve ratio?", k=1, mode="dense")
    assert hits and hits[0].dense is not None and "ten percent" in hits[0].text
    two.update(store.parent / "docs")  # and it still writes
    one.close()
    two.close()


def test_a_reopen_while_this_index_fills_vectors_leaves_its_pass_writing(tmp_path: Path) -> None:
    """The replaced client is the one this index's background pass writes through: closing it would stop the pass."""
    docs = write_tree(tmp_path / "docs", {f"f{n}.md": f"# Doc {n}\n\n" + "\n\n".join(
        f"Paragraph {k} of doc {n}: the heron number {k} nests by lake {n} in spring." for k in range(60))
        for n in range(8)})
    index = DocIndex(tmp_path / "store")
    report = index.update(docs, background=True)
    assert report.background and index.job is not None
    reopened_while_filling = 0
    for n in range(3):
        filling = index.job.is_alive()
        client = index._client
        _another_process_wrote(tmp_path / "store", n)
        index.search("heron nests", k=1, mode="dense")
        reopened_while_filling += filling and index._client is not client
    assert reopened_while_filling  # else the pass ended before the reopen: nothing was tried
    index.job.join(120)
    assert index.job.state == "done", (index.job.state, index.job.error)
    assert index.vectors_waiting() == 0
    index.close()
