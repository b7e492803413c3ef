"""Many kernels, one store: concurrent indexing keeps one copy of each chunk; asking during indexing stays consistent."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from chroma_server import ChromaServer
from conftest import first_update
from synthetic import make_corpus

from jupyter_docchat import DocIndex


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-conc") / "data").start()
    yield server
    server.stop()


def index_cmd(store: Path, folder: Path, server: str = "", collection: str = "docs") -> list[str]:
    cmd = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "--collection", collection]
    if server:
        cmd += ["--server", server]
    return cmd + ["index", str(folder), "--quiet"]


def ask_while_indexing(index: DocIndex, proc: subprocess.Popen) -> int:
    """Search until the indexing process ends; every hit must be a whole, current chunk."""
    rounds = 0
    while proc.poll() is None or rounds < 3:
        for hit in index.search("bank deposit liquidity record", k=5):
            assert hit.text and hit.source.startswith("file") and hit.start_line >= 1
        rounds += 1
        time.sleep(0.05)
    return rounds


@pytest.mark.parametrize("mode", ["disk", "server"])
def test_asking_while_another_process_indexes(mode: str, chroma, tmp_path: Path) -> None:
    server = chroma.url if mode == "server" else ""
    folder = make_corpus(tmp_path / "docs", files=10, seed=1)
    index = DocIndex(tmp_path / "store", f"ask-{mode}", server=server)
    index.update(folder)
    make_corpus(folder, files=30, seed=2)  # edits every file and adds twenty more
    proc = subprocess.Popen(index_cmd(tmp_path / "store", folder, server, f"ask-{mode}"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rounds = ask_while_indexing(index, proc)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert rounds >= 3
    fresh = DocIndex(tmp_path / "store", f"ask-{mode}", server=server)
    ids = fresh.vectors().collection.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == fresh.catalog.chunk_count(f"ask-{mode}") == \
        first_update(folder, tmp_path / "reference")[0].chunks_total


def test_two_machines_indexing_one_server_collection_at_once(chroma, tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs", files=20, seed=3)
    # Separate local stores: no shared lock, as on two machines.
    procs = [subprocess.Popen(index_cmd(tmp_path / f"machine-{n}", folder, chroma.url, "twice"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    index = DocIndex(tmp_path / "machine-0", "twice", server=chroma.url)
    ids = index.vectors().collection.get(include=[])["ids"]
    expected = first_update(folder, tmp_path / "reference")[1]
    assert len(ids) == len(set(ids)) and sorted(ids) == sorted(expected)
