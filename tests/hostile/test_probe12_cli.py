"""Probe 12: the CLI on a terminal or a redirect whose encoding cannot write the documents' letters (a Windows
console piped to a file is cp1252; PYTHONIOENCODING=ascii; a POSIX locale without UTF-8 mode): `docchat search` and
`docchat ask` died with a UnicodeEncodeError traceback halfway through their output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import write_tree

from jupyter_docchat import DocIndex


def _run(tmp_path: Path, encoding: str, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0"}
    return subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(tmp_path / "store"), *argv],
                          env=env, capture_output=True, timeout=300)


def test_search_and_ask_write_what_the_output_can_hold(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"café.md": "# Café\n\nLe café ouvre à 7h. 日本語のテキスト。\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
    for encoding, argv in [("ascii", ("search", "café ouvre", "--mode", "lexical")),
                           ("latin-1", ("ask", "Quand le café ouvre?")),
                           ("cp1252", ("status",))]:
        run = _run(tmp_path, encoding, *argv)
        assert run.returncode == 0 and b"Traceback" not in run.stderr, (encoding, run.stderr[-300:])
        assert b"caf" in run.stdout or argv == ("status",)


def test_an_error_naming_letters_the_output_cannot_hold_is_still_one_line(tmp_path: Path) -> None:
    run = _run(tmp_path, "ascii", "index", str(tmp_path / "日本語"))
    assert run.returncode == 1 and b"Traceback" not in run.stderr and run.stderr.startswith(b"docchat: folder not found")
