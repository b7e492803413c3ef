"""kill -9 in the middle of indexing, several times; the next run recovers exactly."""

from __future__ import annotations

import os
import random
import sqlite3
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import first_update
from synthetic import make_corpus

from jupyter_docchat import DocIndex


def assert_exact(store: Path, folder: Path, reference: Path) -> None:
    index = DocIndex(store)
    ids = index.vectors().collection.get(include=[])["ids"]
    rows = [r[0] for r in index.catalog.db.execute("SELECT id FROM chunks")]
    expected, expected_ids = first_update(folder, reference)
    assert len(ids) == len(set(ids)), "duplicate chunks in Chroma"
    assert sorted(ids) == sorted(rows) == sorted(expected_ids)
    assert len(index.catalog.files("docs")) == expected.added + expected.unchanged
    assert not index.catalog.pending("docs")


FILES = 72


def store_state(store: Path) -> tuple[int, int, int]:
    """(files recorded, chunks with a vector, unfinished markers) read from the catalog, read-only."""
    try:
        db = sqlite3.connect(f"file:{store / 'docchat.sqlite'}?mode=ro", uri=True, timeout=60)
        try:
            files = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
            chunks = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
            todo = db.execute("SELECT COUNT(*) FROM vector_todo").fetchone()[0]
            pending = db.execute("SELECT COUNT(*) FROM pending").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return (0, 0, 0)
    return files, chunks - todo, todo + pending


def test_kill_9_at_random_points_then_rerun(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs", files=FILES)  # about 420 chunks, some 18 s of work
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "index", str(folder), "--quiet"]
    rng = random.Random(1234)
    killed_while_working = 0
    for attempt in range(3):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # A random moment into the run (the whole run takes about 18 s); whether it landed mid-work is
        # read from the store afterwards, not assumed.
        time.sleep(rng.uniform(1.0, 4.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        files, with_vectors, unfinished = store_state(store)
        if proc.returncode == -signal.SIGKILL and (files < FILES or unfinished):
            killed_while_working += 1  # the store itself shows the run was cut off mid-work
    assert killed_while_working >= 2
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert "unchanged" in final.stdout
    assert_exact(store, folder, tmp_path / "reference")
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert f"0 added, 0 updated, 0 removed, {FILES} unchanged" in again.stdout
