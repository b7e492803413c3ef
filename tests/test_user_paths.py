"""The paths users take beside the ones the other tests walk: plain scripts, odd names, links, odd files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cell

from jupyter_docchat import DocIndex, reading
from jupyter_docchat.scan import scan_folder

# The README's Python example, exactly as a user saves it: no ``if __name__ == "__main__":`` guard.
README_SNIPPET = textwrap.dedent('''\
    from jupyter_docchat import DocIndex

    index = DocIndex("{store}", collection="docs")
    report = index.update("{folder}")          # IndexReport; print(report) gives the summary line
    for hit in index.search("why did the bank fail?", k=5):
        print(hit.source, hit.location, round(hit.score, 3), hit.text[:80])
    print("ADDED", report.added)
''')


def heavy_html_folder(folder: Path, files: int = 10) -> Path:
    """Over POOL_MIN_BYTES of HTML (big inline scripts, as real pages have) but little text to embed."""
    folder.mkdir(parents=True)
    script = "<script>" + "var x = 1;\n" * 24_000 + "</script>"
    for n in range(files):
        (folder / f"page {n}.html").write_text(
            f"<html><head><title>Bank {n}</title>{script}</head><body><h1>Bank {n}</h1>"
            f"<p>The bank number {n} failed because depositors ran when bond losses surfaced.</p></body></html>")
    return folder


def _worker_pids(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if b"jupyter_docchat.read_worker" in cmdline and (parent == 0 or ppid == parent):
            pids.append(int(entry.name))
    return pids


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its parent's reaping is left


@pytest.mark.parametrize("how", ["script", "stdin"])
def test_readme_snippet_runs_as_an_unguarded_script_with_reading_workers(tmp_path: Path, how: str) -> None:
    folder = heavy_html_folder(tmp_path / "my docs")
    assert reading._worth_a_pool(scan_folder(folder).files)  # big enough that the workers read it
    code = README_SNIPPET.format(store=tmp_path / "the store", folder=folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if how == "script":
        script = tmp_path / "index docs.py"
        script.write_text(code)
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
                              timeout=240, env=env)
    else:
        done = subprocess.run([sys.executable, "-"], input=code, cwd=tmp_path, capture_output=True, text=True,
                              timeout=240, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ADDED 10" in done.stdout
    assert "page " in done.stdout  # the search printed hits


def test_killing_the_indexer_leaves_no_reading_worker_behind(tmp_path: Path) -> None:
    folder = heavy_html_folder(tmp_path / "docs", files=60)
    code = README_SNIPPET.format(store=tmp_path / "store", folder=folder)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _worker_pids(proc.pid):
            assert proc.poll() is None and time.monotonic() < deadline, "no reading worker was started"
            time.sleep(0.05)
        workers = _worker_pids(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 20
        alive = workers
        while alive and time.monotonic() < deadline:
            time.sleep(0.1)
            alive = [pid for pid in workers if _running(pid)]
        assert not alive, f"reading workers {alive} outlived their parent"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_file_name_that_is_not_utf8_is_indexed_under_an_escaped_name(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "plain.txt").write_text("Plain file about treasury auctions and yields.")
    odd = os.fsdecode(b"caf\xe9 menu.txt")  # latin-1 bytes in a name: lone surrogates once decoded
    (folder / odd).write_text("The cafe menu lists espresso and croissants.")
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.added == 2 and not report.skipped, report.summary()
    hit = index.search("espresso croissants", k=1)[0]
    assert hit.source == "caf\\xe9 menu.txt"
    hit.source.encode("utf-8")  # storable and printable
    again = index.update(folder)
    assert again.unchanged == 2 and again.added == again.updated == again.removed == 0


def test_magics_take_quoted_paths_with_spaces_and_expand_variables(ip, corpus: Path, tmp_path: Path, monkeypatch,
                                                                   capsys) -> None:
    spaced = tmp_path / "my docs"
    corpus.rename(spaced)
    store = tmp_path / "st ore"
    ip.run_line_magic("docchat_index", f'"{spaced}" --store "{store}"')
    assert "6 added" in capsys.readouterr().out
    assert (store / "docchat.sqlite").exists() and not list(tmp_path.glob('"*'))
    monkeypatch.setenv("DOCS_HOME", str(tmp_path))
    ip.run_line_magic("docchat_index", f"'$DOCS_HOME/my docs' --store '{store}'")
    assert "6 unchanged" in capsys.readouterr().out
    ip.run_line_magic("config", f"DocChat.store = {str(store)!r}")
    ip.run_cell("%ask What caused the collapse of Silicon Valley Bank?")
    saved = tmp_path / "my chat.md"
    result, error = run_cell(ip, f'%docchat_history --save "{saved}"')
    assert error is None and saved.exists() and "Silicon Valley" in saved.read_text()
    monkeypatch.setenv("HOME", str(tmp_path))
    result, error = run_cell(ip, '%docchat_history --save "~/home chat.json"')
    assert error is None and (tmp_path / "home chat.json").exists()
    result, error = run_cell(ip, '%docchat_index "unclosed')
    assert error is not None and "could not parse arguments" in str(error)


def test_links_outside_the_folder_are_named_not_followed_unless_asked(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("The vault combination is forty two.")
    (outside / "sub").mkdir()
    (outside / "sub" / "deep.txt").write_text("A deep note about mortgage ledgers.")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("Notes about bank runs and deposit flight.")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "linked dir").symlink_to(outside / "sub", target_is_directory=True)
    (folder / "alias.txt").symlink_to(folder / "notes.txt")  # inside: followed
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.added == 2, report.summary()
    assert ("secret.txt", "link outside the folder") in report.skipped_files
    assert ("linked dir/", "link outside the folder") in report.skipped_files
    assert "not indexed: " in report.summary() and "secret.txt (link outside the folder)" in report.summary()
    assert not any("vault" in hit.text for hit in index.search("vault combination", k=5, mode="lexical"))
    followed = index.update(folder, follow_links=True)
    assert followed.added == 2 and followed.unchanged == 2, followed.summary()
    assert any("vault" in hit.text for hit in index.search("vault combination", k=5, mode="lexical"))


def test_a_folder_link_loop_ends(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "note.txt").write_text("A note about auctions.")
    (folder / "a" / "up").symlink_to(folder, target_is_directory=True)
    assert [rel for rel, _ in scan_folder(folder, follow_links=True).files] == ["a/note.txt"]


def test_deeply_nested_and_very_long_html_is_read_in_linear_time(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "nested.html").write_text("<html><body>" + "<div>lorem " * 60_000 + "needle-deep"
                                        + "</div>" * 60_000 + "</body></html>")
    rows = "".join(f"<tr><td>row {i}</td><td>value {i}</td></tr>" for i in range(30_000))
    (folder / "rows.html").write_text(f"<html><body><h1>Table</h1><table>{rows}</table><p>needle-flat</p></body></html>")
    started = time.perf_counter()
    for name in ("nested.html", "rows.html"):
        result = reading.read_one(name, folder / name, reading.ChunkerSpec(1000, 100, "minilm"))
        assert not result.skipped and result.chunks
        assert any("needle" in chunk.text for chunk in result.chunks)  # the text after the deep part is kept
    assert time.perf_counter() - started < 30  # bs4 took over 10 minutes on the first alone


def test_a_fifo_put_in_place_of_a_file_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    box: list = []
    thread = threading.Thread(target=lambda: box.append(
        reading.read_one("notes.txt", fifo, reading.ChunkerSpec(1000, 100, "minilm"))), daemon=True)
    thread.start()
    thread.join(10)
    assert box and box[0].skipped == "not a regular file"


def test_a_file_over_the_time_limit_is_skipped_and_named_and_the_worker_replaced(tmp_path: Path) -> None:
    slow = tmp_path / "slow.html"
    slow.write_text("<html><body>" + "<div>lorem " * 200_000 + "</div>" * 200_000 + "</body></html>")
    ok = tmp_path / "ok.txt"
    ok.write_text("A plain note about reserves.")
    spec = reading.ChunkerSpec(1000, 100, "minilm")
    pool = reading.WorkerPool(1, time_limit=0.05)  # the slow page takes about a second to read
    try:
        assert pool.submit("ok.txt", ok, spec).result(timeout=60).chunks
        skipped = pool.submit("slow.html", slow, spec).result(timeout=60)
        assert skipped.skipped == "took over 0.05 s to read" and skipped.chunks is None
        assert pool.submit("ok.txt", ok, spec).result(timeout=60).chunks  # a new worker took over
    finally:
        pool.shutdown()
    assert not _worker_pids(os.getpid())
