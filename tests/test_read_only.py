"""A store on a read-only mount: searched and asked as it is, never written.

The store is bind-mounted read-only in a mount namespace of its own (``unshare``), so even root cannot
write there, as on a read-only network share or a container's read-only volume; nothing outside the test
sees the mount.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex

_SCRIPT = textwrap.dedent("""
    import contextlib, io, json, sys
    from pathlib import Path
    from IPython.core.interactiveshell import InteractiveShell
    from jupyter_docchat import DocIndex
    from jupyter_docchat.cli import main

    store, folder = sys.argv[1], sys.argv[2]
    try:
        Path(store, "probe").write_text("x")
        writable = True
    except OSError:
        writable = False
    out = {"writable": writable}
    index = DocIndex(store)
    hits = index.search("standard deposit insurance amount", k=3)
    out["hits"] = [[h.source, h.dense is not None, h.lexical is not None] for h in hits]
    out["refresh"] = repr(index.refresh())
    out["filling"] = index.filling()
    out["status"] = [c.chunks for c in index.status()]
    try:
        index.update(folder)
        out["update"] = "no error"
    except Exception as exc:
        out["update"] = f"{type(exc).__name__}: {exc}"
    index.close()
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "docchat")
    ip.run_line_magic("config", f"DocChat.store = {store!r}")
    ip.run_line_magic("config", "DocChat.progress = False")
    result = ip.run_cell("%%ask\\nWhat is the standard deposit insurance amount?")
    error = result.error_in_exec or result.error_before_exec
    out["ask_error"] = repr(error) if error else ""
    out["answer"] = result.result.turn.answer if result.result is not None else ""
    result = ip.run_cell("%ask What is the standard deposit insurance amount?")
    out["line_ask"] = [repr(result.error_in_exec or result.error_before_exec or ""),
                       result.result.turn.answer if result.result is not None else ""]
    result = ip.run_cell("%docchat_status")
    out["magic_status"] = [repr(result.error_in_exec or result.error_before_exec or ""), str(result.result)]
    for name, argv in [("cli_status", ["status", "--store", store]),
                       ("cli_ask", ["ask", "What is the standard deposit insurance amount?", "--store", store])]:
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            out[name] = [main(argv), shown.getvalue()]
    print("REPORT " + json.dumps(out), flush=True)
    print("CLI ", end="", flush=True)
    code = main(["--store", store, "search", "deposit insurance", "-k", "2", "--json"])
    sys.exit(code)
""")


def _read_only_runner() -> list[str] | None:
    """How to run a command with a folder bind-mounted read-only: as root ``unshare -m``, elsewhere a user
    namespace (``unshare -rm``); None when this machine allows neither."""
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        try:
            probe = subprocess.run(prefix + ["sh", "-c", "mount --bind / /mnt && mount -o remount,bind,ro /mnt"],
                                   capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    return None


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_store_on_a_read_only_mount_is_searched_and_asked(corpus: Path, tmp_path: Path, tmp_path_factory) -> None:
    runner = _read_only_runner()
    if runner is None:
        pytest.skip("no mount namespace here (unshare -m and unshare -rm both refused): cannot mount read-only")
    store = tmp_path / "store"
    index = DocIndex(store)
    chunks = index.update(corpus).chunks_total
    index.close()
    (corpus / "notes.md").write_text("# Notes\n\nA change the read-only store cannot take in.\n")
    before = _tree(store)
    mount = f"mount --bind {tmp_path} {tmp_path} && mount -o remount,bind,ro {tmp_path} && exec \"$@\""
    scratch = tmp_path_factory.mktemp("scratch")  # the process's temporary files: outside the mount
    run = subprocess.run(runner + ["sh", "-c", mount, "sh", sys.executable, "-c", _SCRIPT, str(store), str(corpus)],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "TMPDIR": str(scratch)})
    assert run.returncode == 0, run.stderr[-3000:]
    report, cli = run.stdout.split("REPORT ", 1)[1].split("\nCLI ", 1)
    out = json.loads(report)
    assert out["writable"] is False  # the mount really is read-only
    assert out["hits"][0][0] == "deposit_insurance.pdf" and all(dense and lexical for _, dense, lexical in out["hits"])
    assert out["refresh"] == "None" and out["filling"] is False and out["status"] == [chunks]
    assert out["update"].startswith("StoreError: ") and "read-only" in out["update"] and "\n" not in out["update"]
    assert out["ask_error"] == "" and "250,000" in out["answer"]
    assert out["line_ask"][0] == "''" and "250,000" in out["line_ask"][1]  # %ask as %%ask
    assert out["magic_status"][0] == "''" and f"{chunks} chunks" in out["magic_status"][1]
    assert out["cli_status"][0] == 0 and f"{chunks} chunks" in out["cli_status"][1]
    assert out["cli_ask"][0] == 0 and "250,000" in out["cli_ask"][1]
    assert json.loads(cli)[0]["source"] == "deposit_insurance.pdf"  # the CLI's search
    assert _tree(store) == before
    assert not [p for p in scratch.iterdir() if p.name.startswith("docchat-")]  # the vectors' copy went at exit
    assert "Traceback" not in run.stderr


def test_a_read_only_store_made_by_an_older_docchat_is_a_clear_error(tmp_path: Path) -> None:
    import sqlite3

    from jupyter_docchat.errors import StoreError
    from jupyter_docchat.store import catalog

    path = tmp_path / "docchat.sqlite"
    db = sqlite3.connect(path)
    for script in catalog.MIGRATIONS[:2]:
        db.executescript(script)
    db.execute("PRAGMA user_version = 2")
    db.close()
    with pytest.raises(StoreError, match="read-only and was made by an older docchat .* where it can be written"):
        catalog.Catalog(path, read_only=True)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2  # not migrated
