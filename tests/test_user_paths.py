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
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing import reading
from jupyter_docchat.indexing.scan import scan_folder

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
        if b"jupyter_docchat.indexing.read_worker" in cmdline and (parent == 0 or ppid == parent):
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
    assert reading.pool_shape(scan_folder(folder).files) is not None  # big enough that the workers read it
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
        deadline = time.monotonic() + 600
        while not _worker_pids(proc.pid):
            assert proc.poll() is None and time.monotonic() < deadline, "no reading worker was started"
            time.sleep(0.05)
        workers = _worker_pids(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 300
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
    ip.run_line_magic("docchat_index", f""""$DOCS_HOME/my docs" --store '{store}'""")  # as in a shell: not in '...' 
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
    (folder / "alias.txt").symlink_to(folder / "notes.txt")  # inside: followed, and a copy of the file it names
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.added == 1 and ("alias.txt", "copy of notes.txt") in report.skipped_files, report.summary()
    assert ("secret.txt", "link outside the folder") in report.skipped_files
    assert ("linked dir/", "link outside the folder") in report.skipped_files
    assert "not indexed: " in report.summary() and "secret.txt (link outside the folder)" in report.summary()
    assert not any("vault" in hit.text for hit in index.search("vault combination", k=5, mode="lexical"))
    followed = index.update(folder, IndexOptions(follow_links=True))
    assert followed.added == 2 and followed.unchanged == 1, followed.summary()
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
    assert time.perf_counter() - started < 180  # bs4 took over 10 minutes on the first alone: generous on a busy machine


def test_a_fifo_put_in_place_of_a_file_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    box: list = []
    thread = threading.Thread(target=lambda: box.append(
        reading.read_one("notes.txt", fifo, reading.ChunkerSpec(1000, 100, "minilm"))), daemon=True)
    thread.start()
    thread.join(10)
    assert box and box[0].skipped == "not a regular file"


def test_a_file_replaced_by_a_fifo_after_the_scan_never_blocks_the_update(tmp_path: Path, monkeypatch) -> None:
    import jupyter_docchat.index as index_module

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bank.txt").write_text("The bank failed because depositors ran.")
    (folder / "notes.txt").write_text("A note that becomes a FIFO.")
    real_scan = index_module.scan_folder

    def scan_then_swap(*args, **kwargs):
        scan = real_scan(*args, **kwargs)
        (folder / "notes.txt").unlink()
        os.mkfifo(folder / "notes.txt")  # between the scan and the plan's hash, with the write lock coming
        return scan

    monkeypatch.setattr(index_module, "scan_folder", scan_then_swap)
    index = DocIndex(tmp_path / "store", collection="docs")
    box: list = []
    thread = threading.Thread(target=lambda: box.append(index.update(folder)), daemon=True)
    thread.start()
    thread.join(120)
    if thread.is_alive():  # let the blocked open go, so the thread ends with the test
        try:
            os.close(os.open(folder / "notes.txt", os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
    assert box, "update() blocked on a FIFO"
    report = box[0]
    assert ("notes.txt", "not a regular file") in report.skipped_files and report.added == 1
    index.close()


def test_a_file_whose_reading_makes_no_progress_is_skipped_and_named_and_the_worker_replaced(tmp_path: Path) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_text("A plain note about reserves.")
    spec = reading.ChunkerSpec(1000, 100, "minilm")
    pool = reading.WorkerPool(1, time_limit=8)  # generous: a busy machine reads a note well within it
    try:
        assert pool.submit("ok.txt", ok, spec).result(timeout=120).chunks
        [worker] = _worker_pids(os.getpid())
        os.kill(worker, signal.SIGSTOP)  # it will make no progress at all, however fast the machine
        started = time.monotonic()
        skipped = pool.submit("ok.txt", ok, spec).result(timeout=120)
        assert skipped.skipped == "no progress in 8 s of reading" and skipped.chunks is None
        assert time.monotonic() - started >= 8
        assert pool.submit("ok.txt", ok, spec).result(timeout=120).chunks  # a new worker took over
    finally:
        pool.shutdown()
    assert not _worker_pids(os.getpid())


def test_a_long_pdf_is_read_however_long_it_takes_while_its_pages_keep_coming(tmp_path: Path) -> None:
    import queue

    from pdfgen import write_pdf

    big = write_pdf(tmp_path / "manual.pdf", [[f"Page {n} of the manual about reserve ratio {n}."] for n in range(6000)])
    ticks: queue.Queue = queue.Queue()
    limit = 9.0
    pool = reading.WorkerPool(1, time_limit=limit, on_progress=lambda rel, done, total, unit: ticks.put(unit))
    try:
        future = pool.submit("manual.pdf", big, reading.ChunkerSpec(1000, 100, "minilm"))
        started = time.monotonic()
        stopped = 0.0
        for _ in range(3):  # paused three times for less than the limit each, over the limit in all
            ticks.get(timeout=120)
            if future.done():
                break
            [worker] = _worker_pids(os.getpid())
            os.kill(worker, signal.SIGSTOP)
            time.sleep(4)
            os.kill(worker, signal.SIGCONT)
            stopped += 4
        result = future.result(timeout=600)
        assert stopped == 12 and time.monotonic() - started > limit  # a limit on the whole file would have hit
        assert not result.skipped and {c.page for c in result.chunks} == set(range(1, 6001))
    finally:
        pool.shutdown()


def test_one_large_file_shows_its_progress_on_the_reading_bar(tmp_path: Path, capsys) -> None:
    from pdfgen import write_pdf

    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "manual.pdf", [[f"Page {n} about the discount window."] for n in range(300)])
    ticks: list = []
    with reading.FileReader([("manual.pdf", folder / "manual.pdf")], reading.ChunkerSpec(1000, 100, "minilm"),
                            on_progress=lambda *tick: ticks.append(tick)) as reader:
        assert reader.next().chunks
    assert ("manual.pdf", 300, 300, "pages") in ticks and ticks[-1][1] == ticks[-1][2]  # the last tick of each kind
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder, progress=True)
    assert "manual.pdf: 300/300 pages" in capsys.readouterr().err
    index.close()


def test_reading_workers_work_in_a_kernel_holding_over_a_thousand_open_files(tmp_path: Path) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 1500
    assert hard == resource.RLIM_INFINITY or hard >= need + 100, f"this machine allows only {hard} open files"
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, need + 100), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(need)]  # the workers' pipes get numbers over 1024
    ok = tmp_path / "ok.txt"
    ok.write_text("A plain note about reserves.")
    pool = reading.WorkerPool(1, time_limit=30)
    try:
        assert pool.submit("ok.txt", ok, reading.ChunkerSpec(1000, 100, "minilm")).result(timeout=600).chunks
    finally:
        pool.shutdown()
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_utf16_and_utf32_files_with_a_bom_are_read_and_binary_without_nul_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "sixteen.txt").write_bytes("The auction cleared at par.".encode("utf-16"))  # BOM + UTF-16
    (folder / "thirtytwo.md").write_bytes("# Ledger\n\nThe ledger balances.".encode("utf-32"))
    noise = bytes((n * 37 + 11) % 255 + 1 for n in range(20_000))  # every byte value but NUL
    (folder / "noise.txt").write_bytes(noise)
    (folder / "short.html").write_text("<html><body><p>Apples are red.</p></body></html>")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + noise)
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.added == 3, report.summary()
    assert ("noise.txt", "binary") in report.skipped_files
    summary = report.summary()
    assert "noise.txt (binary)" in summary and "image.png (unsupported type)" in summary
    texts = " ".join(hit.text for hit in index.search("auction ledger apples", k=10, mode="lexical"))
    assert "cleared at par" in texts and "ledger balances" in texts and "Apples are red." in texts


def test_summary_names_every_skipped_file_up_to_five_then_counts(tmp_path: Path) -> None:
    from jupyter_docchat.indexing.report import IndexReport

    report = IndexReport(collection="docs")
    for n in range(7):
        report.skip(f"f{n}.bin", "unsupported type")
    line = report.summary()
    assert "f0.bin (unsupported type)" in line and "f4.bin" in line and "f5.bin" not in line
    assert "and 2 more" in line


def test_citations_are_linked_in_text_only_not_in_links_titles_autolinks_or_code() -> None:
    from jupyter_docchat.markdown_html import render_markdown

    out = render_markdown('Fact [1]. [see [2]](http://x "title [2]") <http://a/[1]> `[1]` [9]', 2, "t")
    assert out.count('class="docchat-cite"') == 1 and 'href="#t-src-1">[1]</a>.' in out
    assert 'title="title [2]"' in out and '<a href="http://a/%5B1%5D">http://a/[1]</a>' in out
    assert "<code>[1]</code>" in out and "[9]" in out  # no source 9: left as text


HOSTILE_TURN = {
    "question": "Why?\n# Injected heading <img src=x onerror=alert(1)>",
    "standalone": "",
    "answer": "It failed [1].\n<script>alert(1)</script>\n[click](javascript:alert(1))\n- list\n\ud800 broken",
    "sources": [{"n": 1, "source": "a <b>.md", "location": "lines 1-2", "text": "x", "score": 0.5}],
    "model": "extractive", "time": "2026-01-01T00:00:00",
}


def test_markdown_export_renders_as_plain_text_and_saves_atomically(ip, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    ip.user_ns["docchat_history"] = [dict(HOSTILE_TURN)]
    target = tmp_path / "chat.md"
    result, error = run_cell(ip, f"%docchat_history --save '{target}'")
    assert error is None
    text = target.read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    headings = ["".join(c.content for c in tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["docchat conversation", "Why? # Injected heading <img src=x onerror=alert(1)>"]
    inline = {c.type for t in tokens if t.children for c in t.children}
    assert not inline & {"html_inline", "link_open", "image"} and not any(t.type == "html_block" for t in tokens)
    assert "\ufffd broken" in text
    # A save that fails leaves the old file whole and says so in one line.
    (tmp_path / "chat.json").mkdir()  # os.replace onto a folder fails after the data was written
    result, error = run_cell(ip, f"%docchat_history --save '{tmp_path / 'chat.json'}'")
    assert error is not None and "cannot write" in str(error) and "\n" not in str(error)
    assert target.read_text(encoding="utf-8") == text
    assert not list(tmp_path.glob(".chat*.tmp"))


def test_malformed_history_entries_are_shown_never_raised(ip) -> None:
    ip.user_ns["docchat_history"] = [
        {"question": 42, "answer": ["not", "text"], "sources": "nope", "seconds": "slow", "usage": 3},
        {"question": "ok?", "answer": "yes", "sources": [{"n": "x", "score": "high"}, 7]},
        "not a dict",
    ]
    view = ip.run_line_magic("docchat_history", "")
    bundle = view._repr_mimebundle_()
    assert "42" in bundle["text/plain"] and "ok?" in bundle["text/html"]
    box = ip.run_line_magic("docchat_chat", "")
    assert box is not None


def test_config_never_shows_the_key(ip) -> None:
    ip.run_line_magic("config", "DocChat.api_key = 'sk-typed-in-cell-999'")
    result = ip.run_cell("%config DocChat.api_key")
    assert "sk-typed" not in repr(result.result) and "set (hidden)" in repr(result.result)
    from IPython.lib.pretty import pretty

    assert pretty(result.result) == "'set (hidden)'"
    assert str(result.result) == "sk-typed-in-cell-999"  # the code still gets the key itself


@pytest.fixture
def indexed_env(ip, corpus: Path):
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    return ip


def test_environment_key_is_not_sent_to_a_base_url_set_only_in_config(indexed_env, fake, monkeypatch) -> None:
    ip = indexed_env
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-KEY-777")
    magics = ip.magics_manager.registry["DocChat"]
    magics.set_trait("api_key", magics.trait_defaults("api_key"))  # the environment's key, as at start-up
    magics._api_key_set_here = False
    fake.answer = "Fine [1]."
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.model = 'test-model'")
    ip.run_cell("%ask --no-stream Why did it fail?")
    assert fake.keys and all("sk-env-KEY-777" not in k for k in fake.keys)
    fake.keys.clear()
    ip.run_line_magic("config", "DocChat.api_key = 'sk-config-KEY-1'")
    ip.run_cell("%ask --no-stream Why did it fail?")
    assert fake.keys and all(k == "Bearer sk-config-KEY-1" for k in fake.keys)
    fake.keys.clear()
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)  # the environment's own URL gets the environment's key
    magics.set_trait("api_key", magics.trait_defaults("api_key"))
    magics._api_key_set_here = False
    ip.run_cell("%ask --no-stream Why did it fail?")
    assert fake.keys and all(k == "Bearer sk-env-KEY-777" for k in fake.keys)


def test_store_schema_is_versioned_and_migrated_in_order(tmp_path: Path, monkeypatch) -> None:
    import sqlite3

    from jupyter_docchat.store import catalog
    from jupyter_docchat.errors import StoreError

    path = tmp_path / "docchat.sqlite"
    old = sqlite3.connect(path)  # a store made before versioning: the schema, user_version 0
    old.executescript(catalog.MIGRATIONS[0])
    old.execute("INSERT INTO collections (name, embeddings) VALUES ('docs', 'minilm')")
    old.commit()
    old.close()
    opened = catalog.Catalog(path)
    assert opened.db.execute("PRAGMA user_version").fetchone()[0] == len(catalog.MIGRATIONS)
    assert opened.collection("docs") is not None  # its data survived
    opened.close()
    monkeypatch.setattr(catalog, "MIGRATIONS", catalog.MIGRATIONS + ("CREATE TABLE IF NOT EXISTS later (x);",))
    again = catalog.Catalog(path)
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == len(catalog.MIGRATIONS)
    assert again.db.execute("SELECT name FROM sqlite_master WHERE name='later'").fetchone()
    again.db.execute("PRAGMA user_version = 99")
    again.close()
    with pytest.raises(StoreError, match="made by a newer docchat"):
        catalog.Catalog(path)


def test_one_catalog_shared_by_threads_never_interleaves_statements(tmp_path: Path) -> None:
    from jupyter_docchat.store.catalog import Catalog

    shared = Catalog(tmp_path / "docchat.sqlite")
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for n in range(200):
                with shared.transaction() as db:
                    db.execute("INSERT OR REPLACE INTO pending VALUES (?, ?)", (name, f"f{n}"))
                    db.execute("DELETE FROM pending WHERE collection=? AND source=?", (name, f"f{n}"))
                shared.chunk_count(name)
        except BaseException as exc:  # noqa: BLE001 - any error is the finding
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"c{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[:3]
    assert shared.db.execute("SELECT COUNT(*) FROM pending").fetchone()[0] == 0


def test_one_index_per_resolved_store_and_a_key_set_after_a_failure_is_used(ip, corpus: Path, tmp_path: Path, fake,
                                                                            monkeypatch, capsys) -> None:
    magics = ip.magics_manager.registry["DocChat"]
    monkeypatch.chdir(tmp_path)
    ip.run_line_magic("config", "DocChat.store = '.docchat'")
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    ip.run_line_magic("docchat_index", f"{corpus} --quiet --store ./sub/../.docchat")
    ip.run_line_magic("docchat_index", f"{corpus} --quiet --store {tmp_path / '.docchat'} --embeddings MiniLM")
    assert len(magics._indexes) == 1 and "6 unchanged" in capsys.readouterr().out
    result, error = run_cell(ip, f"%docchat_index {corpus} --collection remote --embeddings openai:fake-embed")
    assert isinstance(error, UsageError) and "needs an API key" in str(error)
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-embed-KEY'")
    result, error = run_cell(ip, f"%docchat_index {corpus} --collection remote --embeddings openai:fake-embed --quiet")
    assert error is None and "6 added" in capsys.readouterr().out and fake.embedded > 0
    assert all(k == "Bearer sk-embed-KEY" for k in fake.keys)
    hits = magics.index_for(magics.settings(collection="remote", embeddings="openai:fake-embed")).search(
        "Bank Term Funding Program lending facility", k=3, mode="dense")
    assert hits and hits[0].source == "regulators_response.html"  # vectors from /v1/embeddings, searched
    fake.mode = "401"
    result, error = run_cell(ip, "%ask --collection remote What is the Bank Term Funding Program?")
    assert isinstance(error, UsageError) and "sk-embed-KEY" not in str(error) and "\n" not in str(error)


def test_unloading_closes_chat_boxes_indexes_and_local_model_servers(shell, tmp_path: Path, corpus: Path) -> None:
    import socket

    from jupyter_docchat.qa import llm

    shell.run_line_magic("config", f"DocChat.store = {str(tmp_path / 'store')!r}")
    magics = shell.magics_manager.registry["DocChat"]
    shell.run_line_magic("docchat_index", f"{corpus} --quiet")
    box = shell.run_line_magic("docchat_chat", "")
    url = llm.gguf_server(llm.default_gguf())
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    try:
        shell.run_line_magic("unload_ext", "docchat")
        box._worker.join(120)
        assert not box._worker.is_alive() and box.widget.comm is None
        assert not magics._indexes and not llm._GGUF_SERVERS
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                break  # the local model server is gone
            assert time.monotonic() < deadline, "the local model server still listens"
            time.sleep(0.2)
    finally:
        shell.run_line_magic("load_ext", "docchat")


def test_chat_magic_errors_are_one_line(ip) -> None:
    result, error = run_cell(ip, "%docchat_chat --collection 'bad name!'")
    assert isinstance(error, UsageError) and "\n" not in str(error)


def test_answers_are_capped_and_long_past_answers_are_shortened_in_prompts(indexed_env, fake) -> None:
    from jupyter_docchat.qa.conversation import PAST_ANSWER_CHARS, past_exchanges

    ip = indexed_env
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.model = 'test-model'")
    ip.run_cell("%ask --no-stream Why did it fail?")
    request = fake.chat_requests("answer")[-1]
    assert request.get("max_tokens", request.get("max_completion_tokens")) == 1024
    long = [{"question": "q?", "answer": "word " * 2000, "status": "ok"}]
    (_, answer), = past_exchanges(long, 4)
    assert len(answer) <= PAST_ANSWER_CHARS + 2 and answer.endswith("…")
