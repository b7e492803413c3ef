"""The reading process reads small files itself while its workers' next result is not in (reading.FileReader._read_here)."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_user_paths import _worker_pids

from jupyter_docchat.indexing import reading

SPEC = reading.ChunkerSpec(1000, 100, "minilm")


def _page(folder: Path, n: int, words: int = 20) -> tuple[str, Path]:
    path = folder / f"page{n}.html"
    body = " ".join(f"reserve{n}x{w}" for w in range(words))
    path.write_text(f"<html><body><h1>Part {n}</h1><p>Deposits at the bank, part {n}: {body}.</p>"
                    f"<h2>More</h2><p>Insured, part {n}.</p></body></html>")
    return path.name, path


def _expected(files: list[tuple[str, Path]]) -> list:
    return [(got.rel, got.chunks, got.skipped, got.text_key) for got in (reading.read_one(r, p, SPEC) for r, p in files)]


def _as_read(reader: reading.FileReader) -> list:
    out = []
    while (got := reader.next()) is not None:
        out.append((got.rel, got.chunks, got.skipped, got.text_key))
    return out


def test_small_files_are_read_here_while_the_worker_is_held_and_come_in_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # a core for this process besides the worker's
    files = [_page(tmp_path, n) for n in range(12)]
    big = tmp_path / "big.txt"  # over HERE_MAX_BYTES: left to the worker
    big.write_text("The ledger balances at the end of the day.\n" * (reading.HERE_MAX_BYTES // 40 + 10))
    files.insert(6, ("big.txt", big))
    probe = tmp_path / "probe.txt"
    probe.write_text("A plain note about reserves.")
    pool = reading.WorkerPool(1, time_limit=120, eager=True)
    assert pool.submit("probe.txt", probe, SPEC).result(timeout=120).chunks  # the worker is up
    [worker] = _worker_pids(os.getpid())
    os.kill(worker, signal.SIGSTOP)  # it reads nothing until let go
    try:
        with reading.FileReader(files, SPEC, pool=pool) as reader:
            assert not reader.ready(wait=5)  # the first file is the worker's: still not in
            here = {rel for future, rel, _ in reader._pending if isinstance(future, reading._ReadHere)}
            # All but what the worker took before it stopped (IN_FLIGHT requests at most) and the big file.
            assert "big.txt" not in here and len(here) >= len(files) - 1 - reading.IN_FLIGHT
            os.kill(worker, signal.SIGCONT)
            assert _as_read(reader) == _expected(files)
    finally:
        with contextlib.suppress(ProcessLookupError):  # gone with the reader's close
            os.kill(worker, signal.SIGCONT)
        pool.shutdown()


def test_a_reader_error_in_a_file_read_here_comes_in_its_turn(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    files = [_page(tmp_path, n) for n in range(6)]
    pool = reading.WorkerPool(1, time_limit=120, eager=True)
    real = reading.read_one

    def failing(rel: str, path: Path, spec: reading.ChunkerSpec, checks: bool = True) -> reading.ReadResult:
        if rel == "page4.html":
            raise RuntimeError("a reader bug")
        return real(rel, path, spec, checks)

    monkeypatch.setattr(reading, "read_one", failing)  # in this process only: the worker reads page4 as it is
    with reading.FileReader(files, SPEC, pool=pool) as reader:
        got = []
        for _ in range(len(files)):
            try:
                got.append(reader.next().rel)
            except RuntimeError as exc:
                got.append(str(exc))
    # page4.html was read here (it failed) or by the worker (it did not): in its turn either way.
    assert got in ([f"page{n}.html" for n in range(6)], [*[f"page{n}.html" for n in range(4)], "a reader bug", "page5.html"])


def test_nothing_is_read_here_without_a_core_besides_the_workers(tmp_path: Path, monkeypatch) -> None:
    files = [_page(tmp_path, n) for n in range(8)]
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    here: list[str] = []
    real = reading.FileReader._read_into
    monkeypatch.setattr(reading.FileReader, "_read_into", lambda self, rel, path: here.append(rel) or real(self, rel, path))
    pool = reading.WorkerPool(1, time_limit=120, eager=True)
    with reading.FileReader(files, SPEC, pool=pool) as reader:
        got = _as_read(reader)
    assert got == _expected(files) and here == []
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # the same with a core to spare: this process reads too
    with reading.FileReader(files, SPEC, pool=reading.WorkerPool(1, time_limit=120)) as reader:
        assert _as_read(reader) == _expected(files)
    assert here  # the worker starts after the first files are read here


def test_one_worker_where_this_process_can_read_most_bytes_on_two_cores(tmp_path: Path, monkeypatch) -> None:
    pages = [_page(tmp_path, n, words=40) for n in range(20)]  # all read here too
    manual = tmp_path / "manual.pdf"
    manual.write_bytes(b"%PDF-1.4\n" + b"0" * 200_000)
    monkeypatch.setattr(reading, "POOL_MIN_BYTES", 1000)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert reading.pool_shape(pages) == reading.PoolShape(reading.WORKERS - 1, frozenset({".html"}))
    assert reading.pool_shape([*pages, ("manual.pdf", manual)]) == reading.PoolShape(
        reading.WORKERS, frozenset({".html", ".pdf"}))  # most bytes a worker's
    small = tmp_path / "small.pdf"  # a third of the bytes: two thirds read here are not enough for one worker fewer
    small.write_bytes(b"%PDF-1.4\n" + b"0" * (sum(path.stat().st_size for _, path in pages) // 2))
    assert reading.pool_shape([*pages, ("small.pdf", small)]).workers == reading.WORKERS
    monkeypatch.setattr(os, "cpu_count", lambda: 8)  # a core for this process besides the workers'
    assert reading.pool_shape(pages).workers == reading.WORKERS
    assert reading.pool_shape(pages[: reading.POOL_MIN_FILES - 1]) is None  # too few files for a pool
    assert reading.reads_here(pages[0][1]) and not reading.reads_here(manual)


_FILE = st.tuples(st.sampled_from(["html", "txt", "md", "csv", "big"]), st.integers(1, 60))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_FILE, min_size=1, max_size=40))
def test_results_come_in_order_and_as_read_alone_however_the_reading_is_shared(tmp_path_factory, kinds) -> None:
    folder = tmp_path_factory.mktemp("docs")
    files = []
    for n, (kind, words) in enumerate(kinds):
        text = " ".join(f"w{n}x{w}" for w in range(words))
        if kind == "html":
            files.append(_page(folder, n, words))
            continue
        name = f"f{n}.{'txt' if kind == 'big' else kind}"
        body = {"md": f"# Title {n}\n\n{text}\n", "csv": f"name,value\n{text.replace(' ', ',')},1\n"}.get(kind, text)
        if kind == "big":
            body = (text + "\n") * (reading.HERE_MAX_BYTES // max(len(text), 1) + 2)
        (folder / name).write_text(body)
        files.append((name, folder / name))
    pool = reading.WorkerPool(1, time_limit=120)
    with reading.FileReader(files, SPEC, pool=pool) as reader:
        assert _as_read(reader) == _expected(files)
