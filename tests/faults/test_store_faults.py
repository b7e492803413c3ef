"""The Chroma server stopping mid-update, a file changing while indexed, a full or read-only disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from chroma_server import ChromaServer
from conftest import first_update, run_cell
from synthetic import make_corpus

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing import ingest
from jupyter_docchat.errors import StoreError
from jupyter_docchat.indexing.ingest import Updater
from jupyter_docchat.store.vectors import VectorStore


def exact(index: DocIndex) -> int:
    ids = index.vectors().collection.get(include=[])["ids"]
    rows = [r[0] for r in index.catalog.db.execute("SELECT id FROM chunks WHERE collection=?", (index.collection,))]
    assert len(ids) == len(set(ids)) and sorted(ids) == sorted(rows) and not index.catalog.pending(index.collection)
    assert index.vectors_waiting() == 0
    return len(ids)


def test_chroma_server_stops_mid_update_then_next_run_completes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "GROUP_CHUNKS", 16)
    monkeypatch.setattr(ingest, "WINDOW", 16)
    folder = make_corpus(tmp_path / "docs", files=30)
    server = ChromaServer(tmp_path / "chroma").start()
    real_upsert = VectorStore.upsert_rows
    written = []

    def upsert_then_server_stops(self, ids, *args):
        real_upsert(self, ids, *args)
        written.append(len(ids))
        if len(written) == 2:
            server.stop()  # after two windows of vectors reached the server: the rest meets a dead server

    monkeypatch.setattr(VectorStore, "upsert_rows", upsert_then_server_stops)
    try:
        with pytest.raises(StoreError, match="Chroma") as caught:
            DocIndex(tmp_path / "store", server=server.url).update(folder)
        assert "\n" not in str(caught.value) and len(written) == 2
        monkeypatch.setattr(VectorStore, "upsert_rows", real_upsert)
        server = ChromaServer(tmp_path / "chroma", port=server.port).start()
        index = DocIndex(tmp_path / "store", server=server.url)
        report = index.update(folder)
        assert report.added + report.unchanged == 30
        assert exact(index) == first_update(folder, tmp_path / "reference")[0].chunks_total
    finally:
        server.stop()


def test_file_changing_while_indexed_is_indexed_as_it_is_now(tmp_path: Path, monkeypatch) -> None:
    folder = make_corpus(tmp_path / "docs", files=5)
    target = folder / "file002.md"
    real_plan = Updater._plan

    def plan_then_edit(self, files, known, report):
        planned = real_plan(self, files, known, report)
        target.write_text("# Edited\n\nThis text was written while the index was running: zebra xylophone.\n")
        return planned

    monkeypatch.setattr(Updater, "_plan", plan_then_edit)
    index = DocIndex(tmp_path / "store")
    index.update(folder)
    monkeypatch.setattr(Updater, "_plan", real_plan)
    hit = index.search("zebra xylophone", k=1, mode="lexical")[0]
    assert hit.source == "file002.md"
    again = index.update(folder)
    assert again.unchanged == 5 and again.updated == 0  # the stored hash is that of the indexed text


def _mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "small"
    _mount_tmpfs(mount, "600k")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def test_full_disk_is_a_clear_error_and_nothing_else_breaks(ip, small_disk: Path, tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs", files=40)
    before = sorted(p.read_text() for p in folder.iterdir())
    result, error = run_cell(ip, f"%docchat_index {folder} --store {small_disk / 'store'} --quiet")
    assert isinstance(error, UsageError) and "\n" not in str(error), repr(error)
    assert any(word in str(error) for word in ("full", "space")), str(error)
    assert sorted(p.read_text() for p in folder.iterdir()) == before  # the documents are untouched
    result, error = run_cell(ip, f"%docchat_index {folder} --quiet")  # the default store still works
    assert error is None
    assert ip.run_cell("1 + 1").result == 2


def test_read_only_store_is_a_clear_error(ip, tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs", files=3)
    mount = tmp_path / "ro"
    _mount_tmpfs(mount, "50m")
    try:
        # Built by another process, so nothing here holds the store's files open when it turns read-only.
        subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(mount / "store"), "index",
                        str(folder), "--quiet"], check=True, capture_output=True)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        (folder / "new.md").write_text("# New\n\nA new file to index.\n")
        ip.magics_manager.registry["DocChat"]._indexes.clear()
        result, error = run_cell(ip, f"%docchat_index {folder} --store {mount / 'store'} --quiet")
        assert isinstance(error, UsageError) and "\n" not in str(error), repr(error)
        assert "is read-only: it can be searched and asked but not updated" in str(error)
        assert str(mount / "store") in str(error)
        result, error = run_cell(ip, f"%ask --store {mount / 'store'} What is in the ledger?")
        assert error is None and result.result.turn.sources  # asked as it is
    finally:
        subprocess.run(["umount", "-l", str(mount)])
