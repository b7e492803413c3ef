"""kill -9 in the middle of indexing, several times; the next run recovers exactly."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from synthetic import make_corpus

from jupyter_docchat import DocIndex


def assert_exact(store: Path, folder: Path, reference: Path) -> None:
    index = DocIndex(store)
    ids = index.vectors().collection.get(include=[])["ids"]
    rows = [r[0] for r in index.catalog.db.execute("SELECT id FROM chunks")]
    expected = DocIndex(reference).update(folder)
    assert len(ids) == len(set(ids)), "duplicate chunks in Chroma"
    assert sorted(ids) == sorted(rows) == sorted(
        r[0] for r in DocIndex(reference).catalog.db.execute("SELECT id FROM chunks"))
    assert len(index.catalog.files("docs")) == expected.added + expected.unchanged
    assert not index.catalog.pending("docs")


def test_kill_9_at_random_points_then_rerun(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs", files=40)
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "index", str(folder), "--quiet"]
    rng = random.Random(1234)
    killed_while_working = 0
    for attempt in range(3):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Wait until this run has started writing, then kill it at a random moment.
        deadline = time.monotonic() + 60
        while not (store / "docchat.sqlite").exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_while_working += 1
        proc.wait()
    assert killed_while_working >= 2
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert "40 " in final.stdout or "unchanged" in final.stdout
    assert_exact(store, folder, tmp_path / "reference")
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert "0 added, 0 updated, 0 removed, 40 unchanged" in again.stdout
